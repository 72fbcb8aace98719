package org.panacea.records.internal;

import org.panacea.api.security.FieldBinding;

/** Where a resource's sealed JSON belongs: its type, its id, and the one column that holds it. */
final class Sealed {

    static final String FIELD = "resource";

    private Sealed() {
    }

    static FieldBinding binding(String resourceType, String id) {
        return new FieldBinding(resourceType, id, FIELD);
    }
}

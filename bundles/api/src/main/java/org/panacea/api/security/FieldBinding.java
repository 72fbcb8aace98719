package org.panacea.api.security;

import java.util.Objects;

/**
 * Where an encrypted value belongs. It is bound into the ciphertext as associated data: a value copied to another
 * record or field fails to decrypt instead of showing wrong data.
 *
 * @param resourceType FHIR resource type of the record ({@code Patient})
 * @param recordId     the record's logical id
 * @param field        the field, or group of fields sealed together ({@code name}, {@code identity})
 */
public record FieldBinding(String resourceType, String recordId, String field) {

    public FieldBinding {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(field, "field");
    }
}

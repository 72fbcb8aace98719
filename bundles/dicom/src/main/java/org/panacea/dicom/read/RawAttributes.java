package org.panacea.dicom.read;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** The kept elements of a data set by scope; the first occurrence of an element in a scope wins. */
final class RawAttributes {

    private final Map<Scope, Map<Integer, RawValue>> byScope = new EnumMap<>(Scope.class);

    void put(Scope scope, RawValue value) {
        byScope.computeIfAbsent(scope, s -> new HashMap<>()).putIfAbsent(value.tag(), value);
    }

    /** The element in this scope, or {@code null}. */
    RawValue get(Scope scope, int tag) {
        Map<Integer, RawValue> values = byScope.get(scope);
        return values == null ? null : values.get(tag);
    }

    RawValue get(int tag) {
        return get(Scope.TOP, tag);
    }
}

package org.panacea.api.records;

import java.util.List;
import java.util.Map;

/**
 * What importing a FHIR transaction or collection bundle stored.
 *
 * @param stored          in entry order, each entry's {@code fullUrl} mapped to the {@code Type/id} it was stored as
 * @param keptOpaque      {@code Type/id} of the entries whose type Panacea does not model, kept as encrypted JSON
 * @param createdByCondition {@code Type/id} of resources created to satisfy conditional references
 */
public record BundleOutcome(Map<String, String> stored, List<String> keptOpaque, List<String> createdByCondition) {

    public BundleOutcome {
        // In the bundle's entry order: a transaction-response answers the entries in the order they came.
        stored = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stored));
        keptOpaque = List.copyOf(keptOpaque);
        createdByCondition = List.copyOf(createdByCondition);
    }
}

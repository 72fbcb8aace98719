package org.panacea.api.records;

import java.util.Map;
import java.util.Objects;

/**
 * A FHIR search: exact match on the parameters the type supports ({@code identifier}, {@code family},
 * {@code birthdate}, {@code patient}, {@code code}, ...).
 *
 * @param resourceType FHIR resource type name
 * @param parameters   search parameter values by name
 * @param count        page size, 1 to 1000
 * @param offset       entries to skip
 */
public record SearchQuery(String resourceType, Map<String, String> parameters, int count, int offset) {

    public SearchQuery {
        Objects.requireNonNull(resourceType, "resourceType");
        parameters = Map.copyOf(parameters);
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("_count must be between 1 and 1000, was " + count);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }
}

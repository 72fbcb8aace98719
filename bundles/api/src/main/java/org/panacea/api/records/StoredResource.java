package org.panacea.api.records;

import java.time.Instant;
import java.util.Objects;

/**
 * A FHIR resource as the platform holds it: decrypted for an authorised caller.
 *
 * @param resourceType FHIR resource type name
 * @param id           logical id assigned by the platform
 * @param versionId    increases by one on every update; the optimistic-locking token
 * @param lastUpdated  when this version was stored
 * @param json         the resource as FHIR R4 JSON, with {@code id} and {@code meta} filled in
 */
public record StoredResource(String resourceType, String id, long versionId, Instant lastUpdated, String json) {

    public StoredResource {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
    }
}

package org.panacea.records.internal;

import java.time.Instant;
import java.util.Optional;

import org.panacea.api.records.StoredResource;

/**
 * One version in a resource's history: its content, or none when this version records the resource's deletion.
 *
 * @param resourceType FHIR type
 * @param id           resource id
 * @param versionId    version number
 * @param lastUpdated  when this version was written
 * @param resource     the content of this version; empty for a deletion
 */
public record HistoryEntry(String resourceType, String id, long versionId, Instant lastUpdated,
        Optional<StoredResource> resource) {

    /** Whether this version records a delete. */
    public boolean deleted() {
        return resource.isEmpty();
    }
}

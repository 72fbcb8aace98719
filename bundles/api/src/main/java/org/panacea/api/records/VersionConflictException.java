package org.panacea.api.records;

/**
 * An update named a version that is no longer current: someone else changed the record first. Nothing was stored.
 * HTTP maps it to 409 (or 412 for a failed {@code If-Match}).
 */
public class VersionConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VersionConflictException(String resourceType, String id, long expected, long current) {
        super(resourceType + "/" + id + " is at version " + current + ", not " + expected
                + ": reload it and apply the change again");
    }
}

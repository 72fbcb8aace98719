package org.panacea.api.records;

/**
 * The resource existed and was deleted: its earlier versions stay readable by version (FHIR vread) and in its history.
 * HTTP maps it to 410 Gone.
 */
public class ResourceDeletedException extends ResourceNotFoundException {

    private static final long serialVersionUID = 1L;

    private final long deletedAsVersion;

    public ResourceDeletedException(String resourceType, String id, long deletedAsVersion) {
        super(resourceType, id, resourceType + "/" + id + " was deleted (version " + deletedAsVersion
                + "); earlier versions remain readable at /_history/{version}");
        this.deletedAsVersion = deletedAsVersion;
    }

    /** The version number the deletion was recorded as. */
    public long deletedAsVersion() {
        return deletedAsVersion;
    }
}

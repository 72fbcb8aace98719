package org.panacea.api.records;

/** No resource of that type and id exists (or it was deleted). HTTP maps it to 404 (410 when deleted). */
public class ResourceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResourceNotFoundException(String resourceType, String id) {
        super(resourceType + "/" + id + " does not exist");
    }

    /** For a more specific message about {@code resourceType/id}. */
    protected ResourceNotFoundException(String resourceType, String id, String message) {
        super(message);
    }
}

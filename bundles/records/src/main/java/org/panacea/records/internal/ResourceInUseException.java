package org.panacea.records.internal;

/** A delete refused because other records still refer to the resource (HTTP 409). */
public class ResourceInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResourceInUseException(String message) {
        super(message);
    }
}

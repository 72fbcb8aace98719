package org.panacea.engine.internal.run;

/**
 * A run was refused because its input would not fit in the free heap next to the runs already going. HTTP maps it
 * to 503 with Retry-After.
 */
public class InsufficientMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public InsufficientMemoryException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** When trying again may work, in seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

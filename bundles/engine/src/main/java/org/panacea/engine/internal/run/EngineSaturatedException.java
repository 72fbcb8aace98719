package org.panacea.engine.internal.run;

/**
 * The engine is running as many calls as it may and none finished within the queue wait. HTTP maps it to 503 with
 * Retry-After.
 */
public class EngineSaturatedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public EngineSaturatedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** When trying again may work, in seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

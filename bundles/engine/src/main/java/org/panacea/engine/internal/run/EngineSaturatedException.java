package org.panacea.engine.internal.run;

import org.panacea.rest.http.HttpProblem;

/**
 * The engine is running as many calls as it may and none finished within the queue wait. HTTP answers 503 with
 * Retry-After.
 */
public class EngineSaturatedException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public EngineSaturatedException(String message, long retryAfterSeconds) {
        super(503, "transient", message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        withRetryAfter(this.retryAfterSeconds);
    }

    /** When trying again may work, in seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

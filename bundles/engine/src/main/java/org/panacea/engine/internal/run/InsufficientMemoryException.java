package org.panacea.engine.internal.run;

import org.panacea.rest.http.HttpProblem;

/**
 * A run was refused because its input would not fit in the free heap next to the runs already going. HTTP answers
 * 503 with Retry-After.
 */
public class InsufficientMemoryException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public InsufficientMemoryException(String message, long retryAfterSeconds) {
        super(503, "transient", message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        withRetryAfter(this.retryAfterSeconds);
    }

    /** When trying again may work, in seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

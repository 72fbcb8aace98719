package org.panacea.engine.internal;

import org.panacea.rest.http.HttpProblem;

/**
 * The engine cannot take the call right now for a reason of its own (stopping, a service it needs is not running);
 * trying again later may work. HTTP answers 503 with {@code Retry-After}.
 */
public class EngineUnavailableException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    /** Long enough for a restarting service to come back. */
    private static final long RETRY_AFTER_SECONDS = 5;

    public EngineUnavailableException(String message) {
        super(503, "transient", message);
        withRetryAfter(RETRY_AFTER_SECONDS);
    }
}

package org.panacea.api.security;

import java.time.Duration;

/**
 * A login was not even tried: too many recent failures for this user from this address, or from this address
 * overall. HTTP answers it with 429 and {@code Retry-After}; the console refuses the login.
 */
public class LoginThrottledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public LoginThrottledException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

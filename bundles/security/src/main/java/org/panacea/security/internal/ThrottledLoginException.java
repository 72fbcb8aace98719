package org.panacea.security.internal;

import java.time.Duration;

import javax.security.auth.login.AccountLockedException;

/**
 * Thrown by {@link ThrottlingLoginModule} when a login is refused unchecked. The JAAS {@code LoginContext} rethrows a
 * requisite module's {@code LoginException} as it is, so {@link JaasCallerAuthentication} can tell a throttled login
 * from a wrong password and answer with the wait; Karaf's ssh server treats it as any refused login.
 */
public class ThrottledLoginException extends AccountLockedException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public ThrottledLoginException(Duration retryAfter) {
        super("too many failed logins: try again in " + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    /** How long the client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

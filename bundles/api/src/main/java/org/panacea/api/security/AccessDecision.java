package org.panacea.api.security;

import java.util.Objects;

/**
 * The answer of the {@link AccessPolicy} to one request.
 *
 * @param allowed {@code true} when the operation may go ahead
 * @param reason  why, in words an auditor understands ({@code "role auditor may not READ Patient"})
 */
public record AccessDecision(boolean allowed, String reason) {

    public AccessDecision {
        Objects.requireNonNull(reason, "reason");
    }

    public static AccessDecision allow(String reason) {
        return new AccessDecision(true, reason);
    }

    public static AccessDecision deny(String reason) {
        return new AccessDecision(false, reason);
    }
}

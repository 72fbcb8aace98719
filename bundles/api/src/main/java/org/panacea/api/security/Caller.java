package org.panacea.api.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated user or system component on whose behalf an operation runs. Every core service takes the caller
 * explicitly, so that access decisions and audit entries always name a person.
 *
 * @param name          the login name ({@code system:<component>} for the platform's own work)
 * @param roles         the Panacea roles the realm granted; immutable
 * @param clientAddress the network address the request came from, or {@code console} / {@code internal}
 */
public record Caller(String name, Set<Role> roles, String clientAddress) {

    public Caller {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("caller name is blank");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        clientAddress = Objects.requireNonNullElse(clientAddress, "internal");
    }

    /** The platform itself acting for {@code component} (start-up, background re-wrap, import jobs). */
    public static Caller system(String component) {
        return new Caller("system:" + component, Set.of(Role.ADMIN), "internal");
    }

    /** {@code true} when the caller holds {@code role}. */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}

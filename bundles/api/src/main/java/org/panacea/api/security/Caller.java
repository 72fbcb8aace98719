package org.panacea.api.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated user or system component on whose behalf an operation runs. Every core service takes the caller
 * explicitly, so that access decisions and audit entries always name a person.
 * <p>
 * Only the security bundle issues callers that the platform accepts: it stamps each one with a {@code seal}, a keyed
 * hash of the name, roles and address under a key that never leaves the security bundle. The access policy refuses
 * every caller without a valid seal, so code that merely constructs a {@code Caller} (a plugin, say) cannot act as a
 * clinician. Callers are issued by {@link CallerAuthentication}.
 *
 * @param name          the login name ({@code system:<component>} for the platform's own work)
 * @param roles         the Panacea roles the realm granted; immutable
 * @param clientAddress the network address the request came from, or {@code console} / {@code internal}
 * @param seal          opaque proof that the security bundle issued this caller; empty for one it did not
 * @param scopes        the SMART on FHIR scopes of the OpenID Connect token the caller presented
 *                      ({@code user/*.read}, {@code patient/Observation.rs}), which narrow what the roles allow (never
 *                      widen it); empty when no token narrows the caller (password login, console, the platform
 *                      itself, a token that carries no SMART scope); immutable
 * @param launchPatient the logical id of the one patient whose compartment the token's SMART {@code patient/} scopes
 *                      are limited to (the launch context's {@code patient} claim): every chart door then opens that
 *                      patient's chart only. Empty when no {@code patient/} scope limits the caller (then
 *                      {@code patient/} scopes grant nothing). Sealed with the rest, so it cannot be dropped or changed
 * @since 2.3 (scopes), 2.4 (launchPatient)
 */
public record Caller(String name, Set<Role> roles, String clientAddress, String seal, Set<String> scopes,
        String launchPatient) {

    public Caller {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("caller name is blank");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        clientAddress = Objects.requireNonNullElse(clientAddress, "internal");
        seal = Objects.requireNonNullElse(seal, "");
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        launchPatient = Objects.requireNonNullElse(launchPatient, "");
    }

    /** A caller whose scopes, if any, are not limited to one patient. */
    public Caller(String name, Set<Role> roles, String clientAddress, String seal, Set<String> scopes) {
        this(name, roles, clientAddress, seal, scopes, "");
    }

    /** A caller whose access no token's scopes narrow. */
    public Caller(String name, Set<Role> roles, String clientAddress, String seal) {
        this(name, roles, clientAddress, seal, Set.of(), "");
    }

    /** {@code true} when the token's {@code patient/} scopes limit this caller to {@link #launchPatient()}'s chart. */
    public boolean limitedToPatient() {
        return !launchPatient.isEmpty();
    }

    /** {@code true} when a token's SMART on FHIR scopes narrow what this caller's roles allow. */
    public boolean scoped() {
        return !scopes.isEmpty();
    }

    /**
     * A caller that no one vouched for: fine for tests and for describing someone, refused by the access policy.
     */
    public Caller(String name, Set<Role> roles, String clientAddress) {
        this(name, roles, clientAddress, "");
    }

    /** {@code true} when the caller holds {@code role}. */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /**
     * The role an audit entry names for this caller: the alphabetically first of its JAAS role names, so the same
     * caller is always described the same way; empty when the caller holds none.
     */
    public String primaryRole() {
        return roles.stream().map(Role::jaasName).sorted().findFirst().orElse("");
    }

    /** Leaves the seal out: it proves nothing to a reader and has no place in logs. */
    @Override
    public String toString() {
        return "Caller[" + name + ", roles " + roles + (scopes.isEmpty() ? "" : ", scopes " + scopes)
                + (launchPatient.isEmpty() ? "" : ", limited to Patient/" + launchPatient) + ", from "
                + clientAddress + "]";
    }
}

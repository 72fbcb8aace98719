package org.panacea.security.internal.oidc;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.Role;
import org.panacea.security.internal.SmartScopes;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Turns a verified token's claims into what Panacea knows of a caller: the login name (configured claim), the Panacea
 * roles (configured claim, values mapped by configuration: a value not named gives no role) and the SMART on FHIR
 * scopes ({@code scope}, space-separated, or {@code scp}, a list), and the launch patient of {@code patient/} scopes
 * (configured claim, {@code patient} as SMART's launch context names it). Immutable, thread-safe.
 */
final class ClaimMapping {

    /** The claim SMART on FHIR's standalone and EHR launch put the launch patient's id in. */
    static final String SMART_PATIENT_CLAIM = "patient";

    /** A FHIR logical id (R4 {@code id} datatype). */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final String loginNameClaim;
    private final String patientClaim;
    private final List<String> rolesClaimPath;
    private final Map<String, Role> roleByValue;

    /**
     * @param roleMapping {@code value=role} pairs separated by commas
     * @throws IllegalArgumentException when a pair is malformed or names a role Panacea does not define
     */
    ClaimMapping(String loginNameClaim, String rolesClaim, String roleMapping) {
        this(loginNameClaim, rolesClaim, roleMapping, SMART_PATIENT_CLAIM);
    }

    /**
     * @param patientClaim the claim holding the launch patient's logical id
     * @param roleMapping  {@code value=role} pairs separated by commas
     * @throws IllegalArgumentException when a pair is malformed or names a role Panacea does not define, or the
     *                                  patient claim is empty
     */
    ClaimMapping(String loginNameClaim, String rolesClaim, String roleMapping, String patientClaim) {
        if (patientClaim == null || patientClaim.isBlank()) {
            throw new IllegalArgumentException("patient.claim is empty: name the claim that holds the launch "
                    + "patient's id (SMART's launch context: patient)");
        }
        this.patientClaim = patientClaim.strip();
        if (loginNameClaim == null || loginNameClaim.isBlank()) {
            throw new IllegalArgumentException("login.name.claim is empty: name the claim that holds the login name");
        }
        this.loginNameClaim = loginNameClaim.strip();
        this.rolesClaimPath = rolesClaim == null || rolesClaim.isBlank() ? List.of()
                : List.of(rolesClaim.strip().split("\\."));
        this.roleByValue = parse(roleMapping);
    }

    private static Map<String, Role> parse(String roleMapping) {
        Map<String, Role> mapping = new LinkedHashMap<>();
        for (String pair : (roleMapping == null ? "" : roleMapping).split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.lastIndexOf('=');
            String value = equals < 0 ? "" : pair.substring(0, equals).strip();
            String roleName = equals < 0 ? "" : pair.substring(equals + 1).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("role.mapping entry '" + pair.strip()
                        + "' is not value=role (for example Physicians=clinician)");
            }
            Role role = Role.fromJaasName(roleName).orElseThrow(() -> new IllegalArgumentException(
                    "role.mapping entry '" + pair.strip() + "' names no Panacea role; the roles are "
                            + List.of(Role.values()).stream().map(Role::jaasName).toList()));
            mapping.put(value, role);
        }
        return Map.copyOf(mapping);
    }

    /** The claim the login name comes from. */
    String loginNameClaim() {
        return loginNameClaim;
    }

    /** The login name the caller gets. */
    String loginName(JWTClaimsSet claims) {
        Object value = claims.getClaim(loginNameClaim);
        if (!(value instanceof String name) || name.isBlank()) {
            throw new InvalidTokenException("the token has no " + loginNameClaim
                    + " claim to take the login name from");
        }
        if (name.contains(":") || name.contains("\n")) {
            // Names with ':' are the platform's own callers (system:<component>, dicom:<AE title>), which care
            // relationships do not bind and the audit trail reads as no person: no token may claim one
            throw new InvalidTokenException("the token's " + loginNameClaim + " is not a login name Panacea accepts");
        }
        return name;
    }

    /**
     * The logical id of the patient the token's {@code patient/} scopes are limited to; empty when the token has no
     * {@code patient/} scope or no patient claim (its {@code patient/} scopes then grant nothing).
     *
     * @throws InvalidTokenException when the claim is there but is not a FHIR logical id
     */
    String launchPatient(JWTClaimsSet claims, Set<String> smartScopes) {
        if (smartScopes.stream().noneMatch(SmartScopes::isPatientScope)) {
            return "";
        }
        Object value = claims.getClaim(patientClaim);
        if (value == null) {
            return "";
        }
        String id = value instanceof String text ? text.strip() : "";
        if (id.startsWith("Patient/")) {
            id = id.substring("Patient/".length());
        }
        if (!FHIR_ID.matcher(id).matches()) {
            throw new InvalidTokenException("the token's " + patientClaim + " claim is not a patient's logical id "
                    + "(1 to 64 letters, digits, '-' or '.')");
        }
        return id;
    }

    /** The Panacea roles the token's role claim maps to; none when the claim is missing. */
    Set<Role> roles(JWTClaimsSet claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(claims.getClaims(), rolesClaimPath)) {
            Role role = roleByValue.get(value);
            if (role != null) {
                roles.add(role);
            }
        }
        return roles;
    }

    private static List<String> values(Map<String, Object> claims, List<String> path) {
        Object node = claims;
        for (String step : path) {
            node = node instanceof Map<?, ?> object ? object.get(step) : null;
        }
        if (path.isEmpty() || node == null) {
            return List.of();
        }
        if (node instanceof Collection<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return node instanceof String single ? List.of(single) : List.of();
    }

    /** The token's SMART on FHIR scopes (others, such as {@code openid}, are left out), sorted. */
    static Set<String> smartScopes(JWTClaimsSet claims) {
        Set<String> scopes = new TreeSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text) {
            scopes.addAll(List.of(text.strip().split("\\s+")));
        }
        Object scp = claims.getClaim("scp");
        if (scp instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
        } else if (scp instanceof String text) {
            scopes.addAll(List.of(text.strip().split("\\s+")));
        }
        scopes.removeIf(s -> !SmartScopes.isSmartScope(s));
        return scopes;
    }
}

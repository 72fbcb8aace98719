package org.panacea.security.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.panacea.api.security.Operation;

/**
 * The SMART on FHIR scopes of a token, and what they permit. Scopes narrow what a caller's roles allow; they never
 * widen it, so the access policy asks here only after the roles said yes.
 * <p>
 * Syntax: {@code <context>/<resource>.<permissions>}, context {@code patient}, {@code user} or {@code system},
 * resource a FHIR type or {@code *}, permissions SMART v1 ({@code read}, {@code write}, {@code *}) or v2 (a non-empty
 * subset of {@code cruds} in that order: create, read, update, delete, search). v1 {@code read} is v2 {@code rs},
 * {@code write} is {@code cud}, {@code *} is {@code cruds}.
 * <p>
 * {@code patient/} scopes grant their permissions within one patient's compartment: only for a caller limited to a
 * launch patient ({@link org.panacea.api.security.Caller#launchPatient()}, which the record's chart access holds it
 * to on every door), and only for the operations on a chart (read, search, create, update, delete, and running an
 * algorithm or a model on the patient's data): cohort statistics, the audit trail and administration reach beyond
 * one patient, so {@code patient/} scopes never grant them. Without a launch patient they grant nothing.
 * <p>
 * What is deliberately not granted, because Panacea cannot yet hold a token to its promise:
 * <ul>
 * <li>v2 granular scopes with a query ({@code user/Observation.rs?category=laboratory}): they grant a subset that the
 * policy cannot check; they grant nothing.</li>
 * </ul>
 * Platform operations map to permissions on the resource type the policy is asked about: running an algorithm or a
 * model reads its input and creates its result ({@code r} and {@code c}); aggregates and the audit trail are reads
 * ({@code r} or {@code s}); administering changes the platform ({@code c}, {@code u} and {@code d}). A resource type
 * of {@code *} (platform-wide) is matched only by a {@code *} scope. Immutable, thread-safe.
 */
public final class SmartScopes {

    private static final Pattern SCOPE = Pattern
            .compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]*)\\.([a-z*]+)(\\?.*)?");

    /** One permission of SMART v2, in the order v2 writes them. */
    enum Permission {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        final char letter;

        Permission(char letter) {
            this.letter = letter;
        }
    }

    /** Operations that stay within one patient's chart, the only ones {@code patient/} scopes may grant. */
    private static final Set<Operation> CHART_OPERATIONS = EnumSet.of(Operation.READ, Operation.SEARCH,
            Operation.CREATE, Operation.UPDATE, Operation.DELETE, Operation.RUN_ALGORITHM, Operation.RUN_MODEL);

    /** One parsed scope that grants something; {@code patientContext} for a {@code patient/} scope. */
    private record Grant(String resourceType, Set<Permission> permissions, boolean patientContext) {
        boolean covers(String type) {
            return "*".equals(resourceType) || resourceType.equals(type);
        }
    }

    private final List<Grant> grants;

    private SmartScopes(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** {@code true} when {@code scope} is a SMART clinical scope in the {@code patient/} context. */
    public static boolean isPatientScope(String scope) {
        return isSmartScope(scope) && scope.startsWith("patient/");
    }

    /** {@code true} when {@code scope} has the shape of a SMART on FHIR clinical scope (granting or not). */
    public static boolean isSmartScope(String scope) {
        Matcher matcher = scopeMatcher(scope);
        return matcher != null && permissions(matcher.group(3)).isPresent();
    }

    /**
     * The scopes of a token not limited to a launch patient (its {@code patient/} scopes grant nothing), of which
     * those that are not SMART clinical scopes ({@code openid}) are ignored.
     */
    public static SmartScopes of(Collection<String> scopes) {
        return of(scopes, false);
    }

    /**
     * The scopes of a token; {@code patient/} scopes grant (within the one patient's chart) only when
     * {@code limitedToLaunchPatient}.
     */
    public static SmartScopes of(Collection<String> scopes, boolean limitedToLaunchPatient) {
        List<Grant> grants = new ArrayList<>();
        for (String scope : scopes) {
            Matcher matcher = scopeMatcher(scope);
            if (matcher == null || matcher.group(4) != null) {
                continue;
            }
            boolean patientContext = "patient".equals(matcher.group(1));
            if (!patientContext || limitedToLaunchPatient) {
                permissions(matcher.group(3)).ifPresent(p -> grants.add(new Grant(matcher.group(2), p,
                        patientContext)));
            }
        }
        return new SmartScopes(grants);
    }

    private static Matcher scopeMatcher(String scope) {
        Matcher matcher = SCOPE.matcher(scope);
        return matcher.matches() ? matcher : null;
    }

    /** The permissions a v1 or v2 permission string grants; empty when it is neither. */
    static Optional<Set<Permission>> permissions(String text) {
        switch (text) {
            case "read":
                return Optional.of(EnumSet.of(Permission.READ, Permission.SEARCH));
            case "write":
                return Optional.of(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE));
            case "*":
                return Optional.of(EnumSet.allOf(Permission.class));
            default:
                break;
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        int next = 0; // v2 letters come in the order c, r, u, d, s, each at most once
        for (char letter : text.toCharArray()) {
            boolean known = false;
            for (Permission permission : Permission.values()) {
                if (permission.letter == letter && permission.ordinal() >= next) {
                    permissions.add(permission);
                    next = permission.ordinal() + 1;
                    known = true;
                    break;
                }
            }
            if (!known) {
                return Optional.empty();
            }
        }
        return permissions.isEmpty() ? Optional.empty() : Optional.of(permissions);
    }

    /** {@code true} when these scopes permit {@code operation} on {@code resourceType}. */
    public boolean permit(Operation operation, String resourceType) {
        if (!CHART_OPERATIONS.contains(operation) && grants.stream().anyMatch(Grant::patientContext)) {
            return withoutPatientContext().permit(operation, resourceType);
        }
        return switch (operation) {
            case READ -> has(resourceType, Permission.READ);
            case SEARCH -> has(resourceType, Permission.SEARCH);
            case CREATE -> has(resourceType, Permission.CREATE);
            case UPDATE -> has(resourceType, Permission.UPDATE);
            case DELETE -> has(resourceType, Permission.DELETE);
            case RUN_ALGORITHM, RUN_MODEL -> has(resourceType, Permission.READ)
                    && has(resourceType, Permission.CREATE);
            case READ_AGGREGATE, READ_AUDIT -> has(resourceType, Permission.READ)
                    || has(resourceType, Permission.SEARCH);
            case ADMINISTER -> has(resourceType, Permission.CREATE) && has(resourceType, Permission.UPDATE)
                    && has(resourceType, Permission.DELETE);
        };
    }

    private boolean has(String resourceType, Permission permission) {
        return grants.stream().anyMatch(g -> g.covers(resourceType) && g.permissions().contains(permission));
    }

    /** The same scopes without their {@code patient/} grants, for operations that reach beyond one chart. */
    private SmartScopes withoutPatientContext() {
        return new SmartScopes(grants.stream().filter(g -> !g.patientContext()).toList());
    }
}

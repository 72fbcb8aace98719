package org.panacea.testsupport;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;

/**
 * The platform's access policy as the security bundle decides it (least privilege by role, a caller with several
 * roles gets the union): clinicians work on charts, run algorithms and models and read aggregates; nurses read
 * charts, write observations, encounters and risk assessments and run models; researchers read aggregates only;
 * auditors read the audit trail only; admins administer and keep the directory (practitioners, organizations,
 * locations) but read no charts. A caller the given {@link Callers} did not issue is refused whatever its roles, as
 * the real policy refuses a caller without the security bundle's seal. A denial is audited, then thrown.
 *
 * <p>A test can also {@linkplain #deny deny an operation} to every caller, as when the platform is configured to
 * refuse it, to see how the code under test handles a refusal.
 */
public final class RolePolicy implements AccessPolicy {

    private static final Set<String> DIRECTORY_TYPES = Set.of("Practitioner", "Organization", "Location");
    private static final Set<Operation> CHART_READ = EnumSet.of(Operation.READ, Operation.SEARCH);
    private static final Set<Operation> CHART_WRITE = EnumSet.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE);
    private static final Set<String> NURSE_WRITABLE = Set.of("Observation", "Encounter", "RiskAssessment");
    private static final Map<Role, Set<Operation>> PLATFORM_OPERATIONS = Map.of(
            Role.ADMIN, EnumSet.of(Operation.ADMINISTER),
            Role.CLINICIAN, EnumSet.of(Operation.RUN_ALGORITHM, Operation.RUN_MODEL, Operation.READ_AGGREGATE),
            Role.NURSE, EnumSet.of(Operation.RUN_MODEL),
            Role.RESEARCHER, EnumSet.of(Operation.READ_AGGREGATE),
            Role.AUDITOR, EnumSet.of(Operation.READ_AUDIT));

    private final Callers callers;
    private final AuditTrail audit;
    private final Set<Operation> denied = EnumSet.noneOf(Operation.class);

    public RolePolicy(Callers callers, AuditTrail audit) {
        this.callers = callers;
        this.audit = audit;
    }

    /** From now on {@code operation} is refused to every caller, whatever its roles. */
    public synchronized RolePolicy deny(Operation operation) {
        denied.add(operation);
        return this;
    }

    @Override
    public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
        if (!callers.issued(caller)) {
            return AccessDecision.deny(caller.name() + " was not issued by the platform's security bundle, so may not "
                    + operation + " " + resourceType);
        }
        synchronized (this) {
            if (denied.contains(operation)) {
                return AccessDecision.deny(caller.name() + " may not " + operation + " " + resourceType);
            }
        }
        for (Role role : caller.roles()) {
            if (allows(role, operation, resourceType)) {
                return AccessDecision.allow("role " + role.jaasName() + " may " + operation + " " + resourceType);
            }
        }
        return AccessDecision.deny(caller.roles().isEmpty()
                ? caller.name() + " has no Panacea role, so may not " + operation + " " + resourceType
                : "roles " + caller.roles().stream().map(Role::jaasName).sorted().toList() + " may not " + operation
                        + " " + resourceType);
    }

    private static boolean allows(Role role, Operation operation, String resourceType) {
        if (PLATFORM_OPERATIONS.get(role).contains(operation)) {
            return true;
        }
        boolean directory = DIRECTORY_TYPES.contains(resourceType);
        return switch (role) {
            case CLINICIAN -> CHART_READ.contains(operation) || CHART_WRITE.contains(operation);
            case NURSE -> CHART_READ.contains(operation)
                    || (NURSE_WRITABLE.contains(resourceType)
                            && (operation == Operation.CREATE || operation == Operation.UPDATE));
            case ADMIN -> directory && (CHART_READ.contains(operation) || CHART_WRITE.contains(operation));
            case RESEARCHER, AUDITOR -> false;
        };
    }

    @Override
    public void require(Caller caller, Operation operation, String resourceType) {
        AccessDecision decision = decide(caller, operation, resourceType);
        if (!decision.allowed()) {
            audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.ACCESS_DENIED, resourceType,
                    "", "", AuditOutcome.DENIED, caller.clientAddress(), operation + ": " + decision.reason()));
            throw new AccessDeniedException(decision);
        }
    }
}

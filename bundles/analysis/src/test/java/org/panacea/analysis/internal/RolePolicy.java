package org.panacea.analysis.internal;

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
 * The platform's role policy for patient data, as the security bundle decides it: clinicians read and write charts
 * and read aggregates, nurses read charts, researchers read aggregates only, auditors read the audit trail only; a
 * caller {@link Callers} did not issue is refused whatever its roles. A denial is audited, then thrown.
 */
public final class RolePolicy implements AccessPolicy {

    private static final Map<Role, Set<Operation>> ALLOWED = Map.of(
            Role.CLINICIAN, EnumSet.of(Operation.READ, Operation.SEARCH, Operation.CREATE, Operation.UPDATE,
                    Operation.DELETE, Operation.READ_AGGREGATE, Operation.RUN_ALGORITHM, Operation.RUN_MODEL),
            Role.NURSE, EnumSet.of(Operation.READ, Operation.SEARCH, Operation.RUN_MODEL),
            Role.RESEARCHER, EnumSet.of(Operation.READ_AGGREGATE),
            Role.AUDITOR, EnumSet.of(Operation.READ_AUDIT),
            Role.ADMIN, EnumSet.of(Operation.ADMINISTER));

    private final Callers callers;
    private final AuditTrail audit;

    public RolePolicy(Callers callers, AuditTrail audit) {
        this.callers = callers;
        this.audit = audit;
    }

    @Override
    public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
        if (!callers.issued(caller)) {
            return AccessDecision.deny(caller.name() + " was not issued by the platform's security bundle, so may not "
                    + operation + " " + resourceType);
        }
        for (Role role : caller.roles()) {
            if (ALLOWED.get(role).contains(operation)) {
                return AccessDecision.allow("role " + role.jaasName() + " may " + operation + " " + resourceType);
            }
        }
        return AccessDecision.deny("roles " + caller.roles().stream().map(Role::jaasName).sorted().toList()
                + " may not " + operation + " " + resourceType);
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

package org.panacea.security.internal;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
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
 * Least privilege by role. Clinicians work on charts; nurses read charts and record observations; researchers see
 * aggregates only; auditors read the audit trail only; admins run the platform and its directory (practitioners,
 * organizations) but read no charts. A caller with several roles gets the union. A caller that logged in with an
 * OpenID Connect token is further narrowed by the token's SMART on FHIR scopes ({@link SmartScopes}).
 */
@Component(service = AccessPolicy.class)
public class RoleBasedAccessPolicy implements AccessPolicy {

    /** Directory data: who works where. Not patient data. */
    private static final Set<String> DIRECTORY_TYPES = Set.of("Practitioner", "Organization", "Location");

    private static final Set<Operation> CHART_READ = EnumSet.of(Operation.READ, Operation.SEARCH);
    private static final Set<Operation> CHART_WRITE = EnumSet.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE);

    /**
     * What nurses may write: their own observations, the encounters they document, and the risk assessments of the
     * early-warning scores they run (NEWS2 is nursing work; its result belongs in the chart).
     */
    private static final Set<String> NURSE_WRITABLE = Set.of("Observation", "Encounter", "RiskAssessment");

    private static final Map<Role, Set<Operation>> PLATFORM_OPERATIONS = Map.of(
            Role.ADMIN, EnumSet.of(Operation.ADMINISTER),
            Role.CLINICIAN, EnumSet.of(Operation.RUN_ALGORITHM, Operation.RUN_MODEL, Operation.READ_AGGREGATE),
            Role.NURSE, EnumSet.of(Operation.RUN_MODEL),
            Role.RESEARCHER, EnumSet.of(Operation.READ_AGGREGATE),
            Role.AUDITOR, EnumSet.of(Operation.READ_AUDIT));

    private final AuditTrail audit;
    private final CallerSeals seals;

    @Activate
    public RoleBasedAccessPolicy(@Reference AuditTrail audit, @Reference CallerSeals seals) {
        this.audit = audit;
        this.seals = seals;
    }

    @Override
    public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
        if (!seals.issued(caller)) {
            // Whatever roles it claims: only callers the security bundle issued act on the platform.
            return AccessDecision.deny(caller.name() + " was not issued by the platform's security bundle, so may not "
                    + operation + " " + resourceType);
        }
        for (Role role : caller.roles()) {
            if (allows(role, operation, resourceType)) {
                return narrowedByScopes(caller, operation, resourceType,
                        AccessDecision.allow("role " + role.jaasName() + " may " + operation + " " + resourceType));
            }
        }
        return AccessDecision.deny(caller.roles().isEmpty()
                ? caller.name() + " has no Panacea role, so may not " + operation + " " + resourceType
                : "roles " + caller.roles().stream().map(Role::jaasName).sorted().toList() + " may not " + operation
                        + " " + resourceType);
    }

    /**
     * A token's SMART on FHIR scopes narrow what the roles allowed (they are asked only after a role said yes, so they
     * never widen it). A caller without scopes (password, console, the platform) keeps what the roles allow.
     */
    private static AccessDecision narrowedByScopes(Caller caller, Operation operation, String resourceType,
            AccessDecision byRole) {
        if (!caller.scoped()
                || SmartScopes.of(caller.scopes(), caller.limitedToPatient()).permit(operation, resourceType)) {
            return byRole;
        }
        if (!caller.limitedToPatient() && caller.scopes().stream().anyMatch(SmartScopes::isPatientScope)) {
            return AccessDecision.deny("the token's scopes " + caller.scopes().stream().sorted().toList()
                    + " do not permit " + operation + " " + resourceType + ": its patient/ scopes grant nothing, as "
                    + "the token names no launch patient (the patient claim of a SMART launch) to limit them to");
        }
        return AccessDecision.deny("the token's scopes " + caller.scopes().stream().sorted().toList()
                + " do not permit " + operation + " " + resourceType + " (the roles would)"
                + (caller.limitedToPatient() ? "; its patient/ scopes reach only the chart of Patient/"
                        + caller.launchPatient() : ""));
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
            audit.record(new AuditEvent(caller.name(), caller.primaryRole(),
                    AuditAction.ACCESS_DENIED, resourceType, "", "", AuditOutcome.DENIED, caller.clientAddress(),
                    operation + ": " + decision.reason() + (caller.limitedToPatient()
                            ? " (token limited to Patient/" + caller.launchPatient() + ")" : "")));
            throw new AccessDeniedException(decision);
        }
    }
}

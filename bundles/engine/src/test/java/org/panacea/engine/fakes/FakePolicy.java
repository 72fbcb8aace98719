package org.panacea.engine.fakes;

import java.util.EnumSet;
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

/** Allows everything but the operations a test denies; a denial is audited before it is thrown, as the real one. */
public final class FakePolicy implements AccessPolicy {

    private final AuditTrail trail;
    private final Set<Operation> denied = EnumSet.noneOf(Operation.class);

    public FakePolicy(AuditTrail trail) {
        this.trail = trail;
    }

    public FakePolicy deny(Operation operation) {
        denied.add(operation);
        return this;
    }

    @Override
    public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
        return denied.contains(operation)
                ? AccessDecision.deny(caller.name() + " may not " + operation + " " + resourceType)
                : AccessDecision.allow("test policy allows " + operation);
    }

    @Override
    public void require(Caller caller, Operation operation, String resourceType) {
        AccessDecision decision = decide(caller, operation, resourceType);
        if (!decision.allowed()) {
            trail.record(new AuditEvent(caller.name(), "", AuditAction.ACCESS_DENIED, resourceType, "", "",
                    AuditOutcome.DENIED, caller.clientAddress(), operation + ": " + decision.reason()));
            throw new AccessDeniedException(decision);
        }
    }
}

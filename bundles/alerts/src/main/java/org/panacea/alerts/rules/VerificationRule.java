package org.panacea.alerts.rules;

import java.time.Instant;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditVerification;

/**
 * Any verification of the trail that finds it broken is an alert, once per distinct finding on this node: an
 * auditor verifying again and again the same break does not raise it again; a different break does.
 */
public final class VerificationRule {

    private String lastReported;

    /** @return the finding when {@code verification} is broken in a way not yet reported */
    public synchronized Optional<Finding> evaluate(AuditVerification verification, Instant time) {
        if (verification.intact()) {
            return Optional.empty();
        }
        String finding = verification.firstBroken() + ":" + verification.problem();
        if (finding.equals(lastReported)) {
            return Optional.empty();
        }
        lastReported = finding;
        return Optional.of(new Finding(AlertRule.AUDIT_VERIFY_FAILED, time, "system:audit", "",
                "audit verification failed: " + verification.summary(), 0));
    }
}

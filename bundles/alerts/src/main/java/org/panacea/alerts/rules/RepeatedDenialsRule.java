package org.panacea.alerts.rules;

import java.time.Duration;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;

/**
 * One user refused access ({@code ACCESS_DENIED}) more than {@code threshold} times within {@code window}: one
 * alert per burst. Refused logins are not counted here: the login throttle already detects those
 * ({@link ThrottledLoginRule}).
 */
public final class RepeatedDenialsRule implements EntryRule {

    private final BurstDetector detector;
    private final int threshold;
    private final Duration window;

    public RepeatedDenialsRule(int threshold, Duration window) {
        this.detector = new BurstDetector(threshold, window);
        this.threshold = threshold;
        this.window = window;
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (entry.event().action() != AuditAction.ACCESS_DENIED) {
            return Optional.empty();
        }
        // Each denial is its own value: the detector counts denials, not distinct resources.
        int denials = detector.add(entry.event().actor(), Long.toString(entry.sequence()), entry.time());
        if (denials == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(AlertRule.REPEATED_DENIALS, entry.time(), entry.event().actor(),
                entry.event().patientId(), entry.event().actor() + " was refused access " + denials + " times within "
                        + window.toMinutes() + " min (threshold " + threshold + "), last on "
                        + entry.event().resourceType(), entry.sequence()));
    }
}

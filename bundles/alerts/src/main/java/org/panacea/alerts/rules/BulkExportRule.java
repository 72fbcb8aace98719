package org.panacea.alerts.rules;

import java.time.Duration;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;

/**
 * One user exporting the records of more than {@code threshold} distinct patients within {@code window} (bulk
 * {@code $export} audits one {@code EXPORT} entry per patient and resource type sent): one alert per burst.
 */
public final class BulkExportRule implements EntryRule {

    private final BurstDetector detector;
    private final int threshold;
    private final Duration window;

    public BulkExportRule(int threshold, Duration window) {
        this.detector = new BurstDetector(threshold, window);
        this.threshold = threshold;
        this.window = window;
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (entry.event().action() != AuditAction.EXPORT || entry.event().outcome() != AuditOutcome.SUCCESS
                || entry.event().patientId().isEmpty()) {
            return Optional.empty();
        }
        int patients = detector.add(entry.event().actor(), entry.event().patientId(), entry.time());
        if (patients == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(AlertRule.BULK_EXPORT, entry.time(), entry.event().actor(), "",
                entry.event().actor() + " exported the records of " + patients + " patients within "
                        + window.toMinutes() + " min (threshold " + threshold + ")", entry.sequence()));
    }
}

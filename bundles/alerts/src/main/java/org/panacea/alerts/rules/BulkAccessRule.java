package org.panacea.alerts.rules;

import java.time.Duration;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditEntry;

/**
 * One user opening more than {@code threshold} distinct charts within {@code window}: one alert per burst (see
 * {@link BurstDetector}), raised by the read that passes the threshold and naming that read's patient.
 */
public final class BulkAccessRule implements EntryRule {

    private final BurstDetector detector;
    private final int threshold;
    private final Duration window;

    public BulkAccessRule(int threshold, Duration window) {
        this.detector = new BurstDetector(threshold, window);
        this.threshold = threshold;
        this.window = window;
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (!ChartOpening.is(entry)) {
            return Optional.empty();
        }
        int charts = detector.add(entry.event().actor(), entry.event().patientId(), entry.time());
        if (charts == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(AlertRule.BULK_ACCESS, entry.time(), entry.event().actor(),
                entry.event().patientId(), entry.event().actor() + " opened " + charts + " distinct charts within "
                        + window.toMinutes() + " min (threshold " + threshold + ")", entry.sequence()));
    }
}

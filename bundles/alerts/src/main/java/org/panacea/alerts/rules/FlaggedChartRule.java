package org.panacea.alerts.rules;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditEntry;

/**
 * A chart flagged VIP or employee ({@link FlaggedCharts}: its patient's logical id in the configured list, or a
 * configured security label on the Patient) opened by anyone: an alert the first time a user opens it, then none for
 * the same user and chart until the user left it alone for {@code quietPeriod} (reading a chart takes many requests).
 */
public final class FlaggedChartRule implements EntryRule {

    private final FlaggedCharts flagged;
    private final BurstDetector detector;

    /** Flags the listed patients only. */
    public FlaggedChartRule(Set<String> flaggedPatients, Duration quietPeriod) {
        this(new FlaggedCharts(flaggedPatients, List.of(), null, Duration.ZERO, Clock.systemUTC()), quietPeriod);
    }

    public FlaggedChartRule(FlaggedCharts flagged, Duration quietPeriod) {
        this.flagged = flagged;
        this.detector = new BurstDetector(0, quietPeriod);
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        // Labels are asked last: only for an opening of a chart, the one kind of entry that can alert.
        if (!ChartOpening.is(entry) || !flagged.flagged(entry.event().patientId())) {
            return Optional.empty();
        }
        String key = entry.event().actor() + "\u0000" + entry.event().patientId();
        if (detector.add(key, "", entry.time()) == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(AlertRule.FLAGGED_CHART, entry.time(), entry.event().actor(),
                entry.event().patientId(), entry.event().actor() + " opened the flagged chart Patient/"
                        + entry.event().patientId(), entry.sequence()));
    }
}

package org.panacea.alerts.rules;

import java.time.Duration;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;

/**
 * Every break-glass opening is an alert: emergency access is legitimate, but someone must look at each one. A grant
 * and every access under it are {@code BREAK_GLASS} entries (reading a chart takes many requests), so the alert comes
 * with the first entry of a user and chart, and again only once that user left the chart alone for
 * {@code quietPeriod}. The reason the user gave stays in the audit entries (stored as a digest), not in the alert.
 */
public final class BreakGlassRule implements EntryRule {

    private final BurstDetector detector;

    public BreakGlassRule(Duration quietPeriod) {
        this.detector = new BurstDetector(0, quietPeriod);
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (entry.event().action() != AuditAction.BREAK_GLASS) {
            return Optional.empty();
        }
        String key = entry.event().actor() + "\u0000" + entry.event().patientId();
        if (detector.add(key, "", entry.time()) == 0) {
            return Optional.empty();
        }
        String role = entry.event().role().isEmpty() ? "" : " (" + entry.event().role() + ")";
        return Optional.of(new Finding(AlertRule.BREAK_GLASS, entry.time(), entry.event().actor(),
                entry.event().patientId(), entry.event().actor() + role + " broke the glass on "
                        + resource(entry) + " (" + entry.event().outcome().name().toLowerCase(java.util.Locale.ROOT)
                        + ")", entry.sequence()));
    }

    private static String resource(AuditEntry entry) {
        if (!entry.event().patientId().isEmpty()) {
            return "Patient/" + entry.event().patientId();
        }
        return entry.event().resourceType() + "/" + entry.event().resourceId();
    }
}

package org.panacea.alerts.rules;

import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;

/**
 * Every break-glass opening ({@code BREAK_GLASS} entry) is an alert: emergency access is legitimate, but someone
 * must look at each one. The reason the user gave stays in the audit entry (stored as a digest), not in the alert.
 */
public final class BreakGlassRule implements EntryRule {

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (entry.event().action() != AuditAction.BREAK_GLASS) {
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

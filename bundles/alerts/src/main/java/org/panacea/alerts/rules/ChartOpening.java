package org.panacea.alerts.rules;

import java.util.EnumSet;
import java.util.Set;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/**
 * Which entries count as a user opening a patient's chart: a successful read or search of a record of one patient
 * (the entry names the patient), or a break-glass opening. Entries of the platform itself ({@code system:...}) are
 * not a user's access.
 */
final class ChartOpening {

    private static final Set<AuditAction> OPENING = EnumSet.of(AuditAction.READ, AuditAction.SEARCH,
            AuditAction.BREAK_GLASS);

    private ChartOpening() {
    }

    static boolean is(AuditEntry entry) {
        AuditEvent event = entry.event();
        return OPENING.contains(event.action()) && event.outcome() == AuditOutcome.SUCCESS
                && !event.patientId().isEmpty() && !event.actor().startsWith("system:");
    }
}

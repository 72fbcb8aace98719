package org.panacea.audit.command;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;

/**
 * One console line per entry:
 * {@code #42 2024-05-01T10:00:00.123456Z alice (clinician) READ SUCCESS Patient/p-1 patient=p-1 from=10.0.0.7 hash=3fa1...}.
 * Empty fields print as {@code -}; the hash is shortened to 16 digits, enough to tell entries apart by eye.
 */
final class EntryLine {

    private static final int HASH_DIGITS = 16;

    private EntryLine() {
    }

    static String format(AuditEntry entry) {
        AuditEvent event = entry.event();
        String role = event.role().isEmpty() ? "" : " (" + event.role() + ")";
        String resource = event.resourceType().isEmpty() && event.resourceId().isEmpty() ? "-"
                : orDash(event.resourceType()) + "/" + orDash(event.resourceId());
        return "#" + entry.sequence() + " " + entry.time() + " " + event.actor() + role + " " + event.action() + " "
                + event.outcome() + " " + resource + " patient=" + orDash(event.patientId()) + " from="
                + event.clientAddress() + " hash=" + entry.hash().substring(0, Math.min(HASH_DIGITS,
                        entry.hash().length()));
    }

    private static String orDash(String value) {
        return value.isEmpty() ? "-" : value;
    }
}

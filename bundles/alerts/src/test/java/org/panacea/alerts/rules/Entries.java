package org.panacea.alerts.rules;

import java.time.Instant;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/** Committed audit entries as the trail hands them to listeners, numbered in order. */
public final class Entries {

    private static long sequence;

    private Entries() {
    }

    public static AuditEntry entry(AuditEvent event, Instant time) {
        long seq = ++sequence;
        return new AuditEntry(seq, time, event, "0".repeat(64), "0".repeat(64), Long.toHexString(seq));
    }

    /** {@code user} (role clinician) read a record of {@code patient}. */
    public static AuditEntry read(String user, String patient, Instant time) {
        return entry(new AuditEvent(user, "clinician", AuditAction.READ, "Patient", patient, patient,
                AuditOutcome.SUCCESS, "10.0.0.1", ""), time);
    }

    public static AuditEntry read(String user, String role, String patient, Instant time) {
        return entry(new AuditEvent(user, role, AuditAction.READ, "Patient", patient, patient,
                AuditOutcome.SUCCESS, "10.0.0.1", ""), time);
    }

    public static AuditEntry event(String user, AuditAction action, String resourceId, String patient,
            AuditOutcome outcome, Instant time) {
        return entry(new AuditEvent(user, "clinician", action, "Patient", resourceId, patient, outcome, "10.0.0.1",
                "reason given"), time);
    }
}

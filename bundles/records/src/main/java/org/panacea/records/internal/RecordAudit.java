package org.panacea.records.internal;

import java.util.List;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.PendingEntries;
import org.panacea.api.security.Caller;

/** Audit entries about the record and its images, made the same way by every part of this bundle. */
public final class RecordAudit {

    private final AuditTrail trail;

    public RecordAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** Records that {@code caller} did {@code action} on {@code type/id} of {@code patient} ("" when none). */
    public void record(Caller caller, AuditAction action, String type, String id, String patient,
            AuditOutcome outcome, String details) {
        trail.record(event(caller, action, type, id, patient, outcome, details));
    }

    /** The entry {@link #record} would write, for {@link #recordAll}. */
    public AuditEvent event(Caller caller, AuditAction action, String type, String id, String patient,
            AuditOutcome outcome, String details) {
        return new AuditEvent(caller.name(), caller.primaryRole(), action, type, id, patient, outcome,
                caller.clientAddress(), withLaunchContext(caller, details));
    }

    /**
     * The entry's detail, naming the launch patient a token's SMART {@code patient/} scopes limit the caller to, so
     * the trail shows under which app launch a chart was opened.
     */
    static String withLaunchContext(Caller caller, String details) {
        if (!caller.limitedToPatient()) {
            return details;
        }
        String context = "token limited to Patient/" + caller.launchPatient();
        return details == null || details.isEmpty() ? context : details + " [" + context + "]";
    }

    /**
     * Hands the entries of one operation to the trail without waiting: the caller awaits them before its commit, so
     * the trail's commit runs beside the rest of its work.
     */
    public PendingEntries submitAll(List<AuditEvent> events) {
        return trail.submitAll(events);
    }

    /** Records the entries of one operation together: one wait until they are durable, not one per entry. */
    public void recordAll(List<AuditEvent> events) {
        trail.recordAll(events);
    }
}

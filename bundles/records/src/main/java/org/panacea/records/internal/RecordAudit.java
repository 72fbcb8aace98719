package org.panacea.records.internal;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
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
        trail.record(new AuditEvent(caller.name(), caller.primaryRole(), action, type, id, patient, outcome,
                caller.clientAddress(), details));
    }
}

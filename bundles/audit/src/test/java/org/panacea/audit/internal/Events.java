package org.panacea.audit.internal;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/** Audit events for tests. */
final class Events {

    private Events() {
    }

    /** A clinician reading patient {@code p-<n % 3>}'s observation {@code n}. */
    static AuditEvent read(int n) {
        return new AuditEvent("clinician-" + (n % 2), "clinician", AuditAction.READ, "Observation", "obs-" + n,
                "p-" + (n % 3), AuditOutcome.SUCCESS, "10.0.0." + (n % 250), "fields=value,code; n=" + n);
    }

    static AuditEvent of(String actor, AuditAction action, String patientId) {
        return new AuditEvent(actor, "clinician", action, "Patient", patientId, patientId, AuditOutcome.SUCCESS,
                "10.1.2.3", "details of " + actor);
    }
}

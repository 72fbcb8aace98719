package org.panacea.dicom.dimse;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;

/**
 * Audits the DICOM network's own decisions, each naming the calling AE title as the actor ({@code dicom:<AE>}, as
 * the configured-peer callers are named) and the peer's address: every association accepted (a {@code LOGIN}),
 * every association refused (an {@code ACCESS_DENIED}, with the reason). Reads and writes of patient data are
 * audited by the archive and the record, as for DICOMweb.
 */
final class NetworkAudit {

    static final String RESOURCE = "DicomAssociation";

    private final AuditTrail audit;
    private final String calledAeTitle;

    NetworkAudit(AuditTrail audit, String calledAeTitle) {
        this.audit = audit;
        this.calledAeTitle = calledAeTitle;
    }

    void accepted(String callingAeTitle, String address, String details) {
        audit.record(new AuditEvent(actor(callingAeTitle), "", AuditAction.LOGIN, RESOURCE, calledAeTitle, "",
                AuditOutcome.SUCCESS, address, details));
    }

    void refused(String callingAeTitle, String address, String reason) {
        audit.record(new AuditEvent(actor(callingAeTitle), "", AuditAction.ACCESS_DENIED, RESOURCE, calledAeTitle,
                "", AuditOutcome.DENIED, address, reason));
    }

    static String actor(String callingAeTitle) {
        return "dicom:" + (callingAeTitle == null || callingAeTitle.isEmpty() ? "?" : callingAeTitle);
    }
}

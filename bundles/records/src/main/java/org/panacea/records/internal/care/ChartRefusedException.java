package org.panacea.records.internal.care;

import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;

/**
 * A chart refused for want of a care relationship (or by the patient's consent): answered like every access denial
 * (403, already audited), its message saying whether and how the glass can be broken.
 */
public class ChartRefusedException extends AccessDeniedException {

    private static final long serialVersionUID = 1L;

    private final String patientId;

    public ChartRefusedException(String patientId, String reason) {
        super(AccessDecision.deny(reason));
        this.patientId = patientId;
    }

    /** The patient whose chart was refused. */
    public String patientId() {
        return patientId;
    }
}

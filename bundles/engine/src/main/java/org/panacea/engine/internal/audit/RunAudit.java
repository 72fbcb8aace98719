package org.panacea.engine.internal.audit;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one audit entry per run: the caller, the plugin kind and id, the patient, the outcome and the
 * {@link AuditDetails}. A success is reported only once its entry is durable; a failure is reported even when its
 * entry cannot be written (which is logged), since nothing was done that needs hiding.
 */
public final class RunAudit {

    private static final Logger LOG = LoggerFactory.getLogger(RunAudit.class);

    private final AuditTrail trail;

    public RunAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * Records a successful run.
     *
     * @throws AuditException when the entry cannot be made durable: the run must then be reported as failed
     */
    public void success(Caller caller, AuditAction action, String kind, String pluginId, AuditDetails details) {
        trail.record(event(caller, action, kind, pluginId, AuditOutcome.SUCCESS, details));
    }

    /**
     * Records a failed run: {@link AuditOutcome#FAILURE} when the input was refused, {@link AuditOutcome#ERROR} when
     * the plugin or the platform failed. Never throws: the caller is about to report the failure anyway.
     */
    public void failure(Caller caller, AuditAction action, String kind, String pluginId, AuditOutcome outcome,
            AuditDetails details, RuntimeException failure) {
        details.put("error", failure.getMessage());
        try {
            trail.record(event(caller, action, kind, pluginId, outcome, details));
        } catch (RuntimeException e) {
            LOG.error("Could not audit a failed {} of {} by {}", action, pluginId, caller.name(), e);
            failure.addSuppressed(e);
        }
    }

    private static AuditEvent event(Caller caller, AuditAction action, String kind, String pluginId,
            AuditOutcome outcome, AuditDetails details) {
        return new AuditEvent(caller.name(), caller.primaryRole(), action, kind, pluginId, details.patient(), outcome,
                caller.clientAddress(), details.toString());
    }
}

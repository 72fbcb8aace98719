package org.panacea.audit.internal;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;

/**
 * Audits every configuration change made through Config Admin ({@code config:edit}, files in {@code etc/}, the web
 * console): which PID was updated or deleted. Never the values, which may hold passwords. Config Admin does not say
 * who made a change, so the actor is the Config Admin service itself; the console user is in the login entries. A
 * change the trail cannot record is counted as lost ({@link LossAwareRecorder}), never dropped in silence.
 */
@Component(service = ConfigurationListener.class)
public class ConfigurationChangeAuditor implements ConfigurationListener {

    private final LossAwareRecorder recorder = new LossAwareRecorder(LostEventSource.CONFIGURATION);

    /** For Declarative Services. */
    public ConfigurationChangeAuditor() {
    }

    /** With what DS would bind; {@code null} for a service that is not there. */
    ConfigurationChangeAuditor(AuditTrail trail, AnchorJournal journal) {
        if (trail != null) {
            bindTrail(trail);
        }
        if (journal != null) {
            bindJournal(journal);
        }
    }

    @Reference(name = "trail", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTrail")
    void bindTrail(AuditTrail trail) {
        recorder.bindTrail(trail);
    }

    void unbindTrail(AuditTrail trail) {
        recorder.unbindTrail(trail);
    }

    @Reference(name = "journal", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindJournal")
    void bindJournal(AnchorJournal journal) {
        recorder.bindJournal(journal);
    }

    void unbindJournal(AnchorJournal journal) {
        recorder.unbindJournal(journal);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String change = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> "updated";
            case ConfigurationEvent.CM_DELETED -> "deleted";
            case ConfigurationEvent.CM_LOCATION_CHANGED -> "bound to another bundle";
            default -> "changed (event type " + event.getType() + ")";
        };
        String pid = event.getPid();
        recorder.record(new AuditEvent("system:config-admin", "", AuditAction.CONFIGURATION_CHANGED, "Configuration",
                pid, "", AuditOutcome.SUCCESS, "internal", "configuration " + pid + " " + change
                        + (event.getFactoryPid() == null ? "" : " (factory " + event.getFactoryPid() + ")")),
                () -> "The change of configuration " + pid);
    }
}

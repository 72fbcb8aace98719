package org.panacea.audit.internal;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits every configuration change made through Config Admin ({@code config:edit}, files in {@code etc/}, the web
 * console): which PID was updated or deleted. Never the values, which may hold passwords. Config Admin does not say
 * who made a change, so the actor is the Config Admin service itself; the console user is in the login entries.
 */
@Component(service = ConfigurationListener.class)
public class ConfigurationChangeAuditor implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationChangeAuditor.class);

    private final AuditTrail trail;

    @Activate
    public ConfigurationChangeAuditor(@Reference AuditTrail trail) {
        this.trail = trail;
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
        try {
            trail.record(new AuditEvent("system:config-admin", "", AuditAction.CONFIGURATION_CHANGED, "Configuration",
                    pid, "", AuditOutcome.SUCCESS, "internal", "configuration " + pid + " " + change
                            + (event.getFactoryPid() == null ? "" : " (factory " + event.getFactoryPid() + ")")));
        } catch (RuntimeException e) {
            LOG.error("The change of configuration {} could not be audited: {}", pid, e.getMessage());
        }
    }
}

package org.panacea.audit.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Records the framework's own install, update and uninstall events of plugin bundles (those carrying the
 * {@value PluginHeaders#PLUGIN} manifest header) as {@code PLUGIN_INSTALLED}, {@code PLUGIN_UPDATED} and
 * {@code PLUGIN_REMOVED}, by actor {@value #ACTOR}. Listening synchronously means the entry is written before the
 * framework goes on, whichever tool changed the bundle. An audit failure is never thrown into the framework (the bundle
 * has changed either way); the event is counted as lost instead ({@link LossAwareRecorder}).
 */
@Component(service = {}, immediate = true)
public final class BundleLifecycleAuditor implements SynchronousBundleListener {

    static final String ACTOR = "system:framework";
    static final String RESOURCE_TYPE = "Bundle";

    private final LossAwareRecorder recorder = new LossAwareRecorder(LostEventSource.PLUGIN);
    private BundleContext context;

    /** For Declarative Services. */
    public BundleLifecycleAuditor() {
    }

    /** With what DS would bind; {@code null} for a service that is not there. */
    BundleLifecycleAuditor(AuditTrail trail, AnchorJournal journal) {
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

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        bundleContext.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        AuditAction action = actionFor(event.getType());
        Bundle bundle = event.getBundle();
        // Raw headers: localized lookup would read resource files of a bundle that may be going away.
        String kind = action == null ? null : bundle.getHeaders("").get(PluginHeaders.PLUGIN);
        if (kind == null) {
            return;
        }
        String resourceId = bundle.getSymbolicName() + "/" + bundle.getVersion();
        String details = "location=" + bundle.getLocation() + "; kind=" + kind + "; bundleId=" + bundle.getBundleId();
        recorder.record(new AuditEvent(ACTOR, "", action, RESOURCE_TYPE, resourceId, "", AuditOutcome.SUCCESS,
                "internal", details), () -> action + " of plugin " + resourceId + " (" + bundle.getLocation() + ")");
    }

    private static AuditAction actionFor(int bundleEventType) {
        return switch (bundleEventType) {
            case BundleEvent.INSTALLED -> AuditAction.PLUGIN_INSTALLED;
            case BundleEvent.UPDATED -> AuditAction.PLUGIN_UPDATED;
            case BundleEvent.UNINSTALLED -> AuditAction.PLUGIN_REMOVED;
            default -> null;
        };
    }
}

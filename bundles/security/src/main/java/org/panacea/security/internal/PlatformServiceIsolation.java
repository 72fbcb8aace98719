package org.panacea.security.internal;

import java.util.Collection;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Plugin code sees none of the platform's own services. Records, the image archive, encryption, keys, the audit
 * trail, the access policy and, above all, {@link org.panacea.api.security.CallerAuthentication} (the only source of
 * callers the policy accepts) are hidden from every plugin bundle: its lookups find nothing and its listeners hear
 * nothing, so a vendor's bundle cannot read a chart, decrypt a value, write an audit entry or act as anyone. A plugin
 * gets its inputs from the engine and returns its outputs, which is all the API promises it.
 * <p>
 * A plugin is what {@link PluginTrust#isPlugin} says: it carries the {@code Panacea-Plugin} header or has registered an
 * algorithm or model service. Hooks are the framework's own means for this (as Aries subsystems and Karaf's regions
 * use them), and they hold whatever API a plugin calls: {@code getServiceReferences}, a tracker or DS.
 */
@Component(service = { FindHook.class, EventListenerHook.class })
public class PlatformServiceIsolation implements FindHook, EventListenerHook {

    /** The platform's service contracts, by package: everything but the two plugin extension points. */
    private static final String PLATFORM_PACKAGES = "org.panacea.";

    private final PluginTrust plugins;

    @Activate
    public PlatformServiceIsolation(@Reference PluginTrust plugins) {
        this.plugins = plugins;
    }

    @Override
    public void find(BundleContext finder, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (isPlugin(finder)) {
            references.removeIf(PlatformServiceIsolation::isPlatformService);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (isPlatformService(event.getServiceReference())) {
            listeners.keySet().removeIf(this::isPlugin);
        }
    }

    private boolean isPlugin(BundleContext context) {
        Bundle bundle;
        try {
            bundle = context.getBundle();
        } catch (IllegalStateException stopped) {
            return false;
        }
        return bundle != null && bundle.getBundleId() != 0 && plugins.isPlugin(bundle);
    }

    static boolean isPlatformService(ServiceReference<?> reference) {
        if (reference == null) {
            return false;
        }
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (classes instanceof String[] names) {
            for (String name : names) {
                if (name.startsWith(PLATFORM_PACKAGES) && !SignedPluginGate.PLUGIN_SERVICES.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/** A plugin asks the registry for the platform's services, the way vendor code would try: it finds none. */
class PlatformServiceIsolationTest {

    private final PluginTrust trust = mock(PluginTrust.class);
    private final PlatformServiceIsolation isolation = new PlatformServiceIsolation(trust);

    private BundleContext context(long id, boolean plugin) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(trust.isPlugin(bundle)).thenReturn(plugin);
        BundleContext context = mock(BundleContext.class);
        when(context.getBundle()).thenReturn(bundle);
        return context;
    }

    private static ServiceReference<?> service(String... classes) {
        ServiceReference<?> reference = mock(ServiceReference.class);
        when(reference.getProperty(Constants.OBJECTCLASS)).thenReturn(classes);
        return reference;
    }

    @Test
    void aPluginFindsNoPlatformServiceButEverythingElse() {
        ServiceReference<?> authentication = service("org.panacea.api.security.CallerAuthentication");
        ServiceReference<?> records = service("org.panacea.api.records.PatientRecords");
        ServiceReference<?> encryption = service("org.panacea.api.security.FieldEncryption",
                "org.panacea.api.security.KeyManagement");
        ServiceReference<?> audit = service("org.panacea.api.audit.AuditTrail");
        ServiceReference<?> algorithm = service("org.panacea.api.imaging.ImagingAlgorithm");
        ServiceReference<?> logging = service("org.osgi.service.log.LoggerFactory");

        Collection<ServiceReference<?>> found = new ArrayList<>(
                List.of(authentication, records, encryption, audit, algorithm, logging));
        isolation.find(context(90, true), null, null, false, found);
        assertEquals(List.of(algorithm, logging), List.copyOf(found));

        Collection<ServiceReference<?>> forCore = new ArrayList<>(List.of(authentication, records, audit));
        isolation.find(context(20, false), null, null, false, forCore);
        assertEquals(3, forCore.size(), "platform bundles see their services");
    }

    @Test
    void aPluginHearsOfNoPlatformServiceRegistration() {
        BundleContext plugin = context(90, true);
        BundleContext core = context(20, false);
        Map<BundleContext, Collection<ListenerInfo>> listeners = new HashMap<>();
        listeners.put(plugin, new ArrayList<>());
        listeners.put(core, new ArrayList<>());

        isolation.event(new ServiceEvent(ServiceEvent.REGISTERED,
                service("org.panacea.api.security.CallerAuthentication")), listeners);

        assertEquals(List.of(core), List.copyOf(listeners.keySet()));
        Map<BundleContext, Collection<ListenerInfo>> again = new HashMap<>(Map.of(plugin, new ArrayList<>()));
        isolation.event(new ServiceEvent(ServiceEvent.REGISTERED, service("org.example.Other")), again);
        assertTrue(again.containsKey(plugin));
    }
}

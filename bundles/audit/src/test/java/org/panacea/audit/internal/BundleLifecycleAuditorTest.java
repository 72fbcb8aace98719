package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Version;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.testsupport.RecordingAuditTrail;

class BundleLifecycleAuditorTest {

    private static final String LOCATION = "mvn:com.vendor/lung-nodules/1.2.3";

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final BundleLifecycleAuditor auditor = new BundleLifecycleAuditor(trail, null);
    private final Bundle plugin = bundle("com.vendor.lung", "1.2.3", LOCATION,
            Map.of(PluginHeaders.PLUGIN, PluginHeaders.KIND_IMAGING));

    @Test
    void recordsInstallUpdateAndRemovalOfPlugins() {
        auditor.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, plugin));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UPDATED, plugin));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, plugin));

        assertEquals(List.of(AuditAction.PLUGIN_INSTALLED, AuditAction.PLUGIN_UPDATED, AuditAction.PLUGIN_REMOVED),
                trail.events().stream().map(AuditEvent::action).toList());
        AuditEvent installed = trail.events().get(0);
        assertEquals("system:framework", installed.actor());
        assertEquals("Bundle", installed.resourceType());
        assertEquals("com.vendor.lung/1.2.3", installed.resourceId());
        assertEquals(AuditOutcome.SUCCESS, installed.outcome());
        assertTrue(installed.details().contains("location=" + LOCATION), installed.details());
        assertTrue(installed.details().contains("kind=imaging"), installed.details());
    }

    @Test
    void ignoresOtherBundlesAndOtherEvents() {
        Bundle ordinary = bundle("org.apache.karaf.shell.core", "4.4.10", "mvn:karaf", Map.of());

        auditor.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, ordinary));
        auditor.bundleChanged(new BundleEvent(BundleEvent.STARTED, plugin));
        auditor.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, plugin));

        assertTrue(trail.events().isEmpty());
    }

    @Test
    void anAuditFailureIsCountedNotThrownIntoTheFramework(@TempDir Path folder) {
        trail.failing(true);
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            BundleLifecycleAuditor counting = new BundleLifecycleAuditor(trail, journal);

            counting.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, plugin));
            counting.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, plugin));

            assertTrue(trail.events().isEmpty());
            assertEquals(Map.of(LostEventSource.PLUGIN, 2L), journal.unrecordedLost());
        }
    }

    @Test
    void listensWhileActive() {
        List<Object> listeners = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> {
                    switch (method.getName()) {
                        case "addBundleListener" -> listeners.add(arguments[0]);
                        case "removeBundleListener" -> listeners.remove(arguments[0]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });

        auditor.activate(context);
        assertEquals(1, listeners.size());
        assertSame(auditor, listeners.get(0));
        ((BundleListener) listeners.get(0)).bundleChanged(new BundleEvent(BundleEvent.INSTALLED, plugin));
        auditor.deactivate();

        assertTrue(listeners.isEmpty());
        assertEquals(1, trail.events().size());
    }

    private static Bundle bundle(String symbolicName, String version, String location, Map<String, String> headers) {
        Hashtable<String, String> dictionary = new Hashtable<>(headers);
        return (Bundle) Proxy.newProxyInstance(BundleLifecycleAuditorTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getLocation" -> location;
                    case "getBundleId" -> 42L;
                    case "getHeaders" -> dictionary;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    case "toString" -> symbolicName;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * The gate judges the bytes a bundle runs, not the file its location names, and judges every bundle that offers a
 * plugin service, header or not: an attacker's way around each is tried here.
 */
class SignedPluginGateRevisionTest {

    @TempDir
    static Path keys;

    @TempDir
    Path etc;

    private static Path acmeCertificate;
    private static Path signedPlugin;
    private static Path unsignedPlugin;
    private static Path unsignedImpostor;

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final BundleContext context = mock(BundleContext.class);
    private final Bundle platform = mock(Bundle.class);
    private final Bundle engine = mock(Bundle.class);
    private final BundleContext engineContext = mock(BundleContext.class);
    private SignedPluginGate gate;

    @BeforeAll
    static void makePlugins() throws Exception {
        TestVendorKeys vendors = new TestVendorKeys(keys);
        acmeCertificate = vendors.vendor("acme", "CN=Acme Imaging Ltd,O=Acme Imaging Ltd");
        signedPlugin = vendors.signedPlugin("com.acme.filter", "acme");
        unsignedPlugin = unsigned(keys.resolve("com.acme.filter-tampered.jar"), "com.acme.filter", true);
        unsignedImpostor = unsigned(keys.resolve("com.example.impostor.jar"), "com.example.impostor", false);
    }

    private static Path unsigned(Path jar, String name, boolean header) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", name);
        if (header) {
            manifest.getMainAttributes().putValue("Panacea-Plugin", "imaging");
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("org/example/Filter.class"));
            out.write("other bytecode".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @BeforeEach
    void startGate() throws Exception {
        when(platform.getBundleId()).thenReturn(7L);
        when(context.getBundle()).thenReturn(platform);
        when(context.getBundles()).thenReturn(new Bundle[0]);
        when(engine.getBundleId()).thenReturn(30L);
        when(engineContext.getBundle()).thenReturn(engine);
        SecurityConfiguration config = mock(SecurityConfiguration.class);
        when(config.plugins_trusted_certificates()).thenReturn(etc.resolve("trusted-vendors").toString());
        gate = new SignedPluginGate(audit, config, context);
        gate.vendors().add(acmeCertificate, "acme");
        gate.reload();
    }

    @AfterEach
    void stopGate() {
        gate.stopWatching();
    }

    @Test
    void anUpdateWithUnsignedBytesIsRefusedWhateverTheLocationSays() {
        JarBackedBundle plugin = new JarBackedBundle(41, "com.acme.filter", Map.of("Panacea-Plugin", "imaging"),
                signedPlugin, signedPlugin.toUri().toString());
        assertTrue(gate.verdict(plugin.bundle()).trusted(), gate.verdict(plugin.bundle()).reason());

        // bundle:update 41 file:...tampered.jar: the location still names the signed file
        plugin.update(unsignedPlugin, 5_000L);

        assertFalse(gate.verdict(plugin.bundle()).trusted());
        assertTrue(gate.verdict(plugin.bundle()).reason().startsWith("not signed"),
                gate.verdict(plugin.bundle()).reason());
        assertTrue(audit.events().stream().anyMatch(e -> e.action() == AuditAction.PLUGIN_REFUSED
                && e.resourceId().equals("com.acme.filter 1.0.0")));
    }

    @Test
    void anUnsignedBundleWithoutTheHeaderCannotOfferAnAlgorithmToTheEngine() {
        JarBackedBundle impostor = new JarBackedBundle(77, "com.example.impostor", Map.of(), unsignedImpostor,
                unsignedImpostor.toUri().toString());
        ServiceReference<?> blur = algorithm(impostor.bundle(), "imaging.gaussian-blur", "9.0.0");

        Collection<ServiceReference<?>> found = new ArrayList<>(List.of(blur));
        gate.find(engineContext, ImagingAlgorithm.class.getName(), null, false, found);
        assertEquals(List.of(), found, "the engine's lookup does not find it");

        Map<BundleContext, Collection<ListenerInfo>> listeners = new HashMap<>();
        listeners.put(engineContext, new ArrayList<>());
        gate.event(new ServiceEvent(ServiceEvent.REGISTERED, blur), listeners);
        assertTrue(listeners.isEmpty(), "the engine's DS reference never hears of it");

        BundleContext own = mock(BundleContext.class);
        when(own.getBundle()).thenReturn(impostor.bundle());
        Collection<ServiceReference<?>> itself = new ArrayList<>(List.of(blur));
        gate.find(own, ImagingAlgorithm.class.getName(), null, false, itself);
        assertEquals(1, itself.size(), "a bundle still sees its own services");

        assertTrue(gate.isPlugin(impostor.bundle()), "listed as a plugin, and refused");
        assertFalse(gate.verdict(impostor.bundle()).trusted());
        assertTrue(audit.events().stream().anyMatch(e -> e.action() == AuditAction.PLUGIN_REFUSED
                && e.resourceId().equals("com.example.impostor 1.0.0")));
    }

    @Test
    void aSignedBundleWithoutTheHeaderIsAdmittedAndItsServicesSeen() {
        JarBackedBundle vendor = new JarBackedBundle(78, "com.acme.filter", Map.of(), signedPlugin,
                signedPlugin.toUri().toString());
        ServiceReference<?> blur = algorithm(vendor.bundle(), "acme.blur", "1.0.0");

        Collection<ServiceReference<?>> found = new ArrayList<>(List.of(blur));
        gate.find(engineContext, ImagingAlgorithm.class.getName(), null, false, found);
        assertEquals(1, found.size());
    }

    @Test
    void servicesThatAreNotPluginsAreNeverJudged() {
        Bundle core = mock(Bundle.class);
        when(core.getBundleId()).thenReturn(12L);
        when(core.getHeaders("")).thenReturn(new java.util.Hashtable<>());
        ServiceReference<?> records = mock(ServiceReference.class);
        when(records.getBundle()).thenReturn(core);
        when(records.getProperty(Constants.OBJECTCLASS)).thenReturn(new String[] { "org.panacea.api.records.PatientRecords" });

        Collection<ServiceReference<?>> found = new ArrayList<>(List.of(records));
        gate.find(engineContext, null, null, false, found);

        assertEquals(1, found.size());
        assertFalse(gate.isPlugin(core));
        assertTrue(audit.events().isEmpty(), audit.events().toString());
    }

    private static ServiceReference<?> algorithm(Bundle registrant, String id, String version) {
        ServiceReference<?> reference = mock(ServiceReference.class);
        when(reference.getBundle()).thenReturn(registrant);
        when(reference.getProperty(Constants.OBJECTCLASS)).thenReturn(new String[] { ImagingAlgorithm.class.getName() });
        when(reference.getProperty("panacea.plugin.id")).thenReturn(id);
        when(reference.getProperty("panacea.plugin.version")).thenReturn(version);
        return reference;
    }
}

package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.Role;
import org.panacea.itests.bundles.ImpostorActivator;

/**
 * The plugin boundary attacked in the real distribution: an unsigned bundle without the plugin header that offers a
 * shipped algorithm's id at a higher version; a signed plugin updated with unsigned bytes; signed vendor code reaching
 * for the platform's services; a caller made by hand instead of issued by the security bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginBoundaryIT {

    private static final Path VENDOR_DIRECTORY = Path.of("target", "test-vendor").toAbsolutePath();
    private static final String PORT = PanaceaDistribution.freePort();
    private static final String PASSPHRASE = "plugin-boundary-it-" + java.util.UUID.randomUUID();

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Inject
    AuditTrail audit;

    @Inject
    PatientRecords records;

    @Inject
    CallerAuthentication authentication;

    @Inject
    PluginSignatureVerifier gate;

    @Inject
    FeaturesService features;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws Exception {
        TestVendor vendor = new TestVendor(VENDOR_DIRECTORY).create();
        vendor.plugin("org.example.trusted.filter", true);
        vendor.plugin("org.example.trusted.filter", false); // the same plugin, its bytes unsigned
        activatorBundle(VENDOR_DIRECTORY.resolve("org.example.impostor.jar"), "org.example.impostor", false);
        Path curious = activatorBundle(VENDOR_DIRECTORY.resolve("org.example.curious-signed.jar"),
                "org.example.curious", true);
        vendor.sign(curious);
        return PanaceaDistribution.options(
                replaceConfigurationFile("etc/trusted-vendors/test-vendor.pem", vendor.certificate.toFile()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                // a passphrase in the configuration file must never reach a service property (service:list)
                editConfigurationFilePut("etc/org.panacea.security.cfg", ".keystore.passphrase", PASSPHRASE),
                systemProperty("panacea.test.vendor").value(VENDOR_DIRECTORY.toString()));
    }

    /** A bundle whose activator is {@link ImpostorActivator}, copied from the test classes. */
    private static Path activatorBundle(Path jar, String symbolicName, boolean header) throws Exception {
        Manifest manifest = new Manifest();
        var attributes = manifest.getMainAttributes();
        attributes.putValue("Manifest-Version", "1.0");
        attributes.putValue("Bundle-ManifestVersion", "2");
        attributes.putValue("Bundle-SymbolicName", symbolicName);
        attributes.putValue("Bundle-Version", "1.0.0");
        attributes.putValue("Bundle-Activator", ImpostorActivator.class.getName());
        attributes.putValue("Import-Package", "org.osgi.framework,org.panacea.api.imaging;version=\"[1.0,2)\","
                + "org.panacea.api.plugin;version=\"[1.0,2)\"");
        if (header) {
            attributes.putValue("Panacea-Plugin", "imaging");
        }
        Path classes = Path.of("target", "test-classes");
        String folder = ImpostorActivator.class.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
                var compiled = Files.list(classes.resolve(folder))) {
            for (Path classFile : compiled.filter(p -> p.getFileName().toString().startsWith("ImpostorActivator"))
                    .toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + classFile.getFileName()));
                out.write(Files.readAllBytes(classFile));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Before
    public void installImagingPlugins() throws Exception {
        if (!features.isInstalled(features.getFeature("panacea-imaging"))) {
            features.installFeature("panacea-imaging", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8))).GET().build();
        return Eventually.waitFor(() -> http.send(request, HttpResponse.BodyHandlers.ofString()),
                response -> response.statusCode() != 404 || !response.body().contains("<html"),
                Duration.ofSeconds(60));
    }

    private static Path vendorFile(String name) {
        return Path.of(System.getProperty("panacea.test.vendor"), name);
    }

    @Test
    public void anUnsignedBundleWithoutTheHeaderCannotTakeOverAShippedAlgorithm() throws Exception {
        String before = Eventually.waitFor(() -> get("/api/algorithms/imaging.gaussian-blur", "clinician").body(),
                body -> body.contains("\"1.1.0\""), Duration.ofSeconds(30));
        Bundle impostor = context.installBundle(vendorFile("org.example.impostor.jar").toUri().toString());
        impostor.start();
        try {
            assertEquals("the impostor bundle itself runs", Bundle.ACTIVE, impostor.getState());
            String listed = get("/api/algorithms", "clinician").body();
            assertFalse("9.0.0 is not listed: " + listed, listed.contains("9.0.0"));
            assertTrue(listed, listed.contains("imaging.gaussian-blur"));
            String versions = get("/api/algorithms/imaging.gaussian-blur", "clinician").body();
            assertFalse(versions, versions.contains("9.0.0"));
            assertEquals(before, versions);
            assertTrue(versions, versions.contains("\"1.1.0\""));
            assertEquals("it never ran", null, System.getProperty("org.example.impostor.ran"));

            String plugins = get("/api/plugins", "admin").body();
            int at = plugins.indexOf("\"org.example.impostor\"");
            assertTrue("listed among the plugins: " + plugins, at > 0);
            assertTrue(plugins, plugins.substring(at).matches("(?s).*?\"kind\":\"undeclared\".*?\"trusted\":false.*"));
            List<AuditEntry> refusals = audit.search(new AuditQuery(null, null, AuditAction.PLUGIN_REFUSED, null,
                    null, 20));
            assertTrue("the refusal is audited", refusals.stream()
                    .anyMatch(e -> e.event().resourceId().startsWith("org.example.impostor")));
        } finally {
            impostor.uninstall();
        }
    }

    @Test
    public void aSignedPluginUpdatedWithUnsignedBytesIsRefused() throws Exception {
        Bundle plugin = context.installBundle(vendorFile("org.example.trusted.filter-signed.jar").toUri().toString());
        plugin.start();
        assertEquals(Bundle.ACTIVE, plugin.getState());

        // bundle:update ID file:...unsigned.jar: the location still names the signed JAR
        try (InputStream unsigned = Files.newInputStream(vendorFile("org.example.trusted.filter-unsigned.jar"))) {
            plugin.update(unsigned);
        } catch (org.osgi.framework.BundleException | IllegalStateException refusedOnTheSpot) {
            // the resolver hook may refuse the new revision while the update restarts it
        }

        assertEquals("a refused update is uninstalled", Bundle.UNINSTALLED, (int) Eventually.waitFor(
                plugin::getState, state -> state == Bundle.UNINSTALLED, Duration.ofSeconds(15)));
        List<AuditEntry> refusals = audit.search(new AuditQuery(null, null, AuditAction.PLUGIN_REFUSED, null, null,
                100));
        // (the trail keeps the details as a digest: the reason is in the log)
        assertTrue(refusals.toString(), refusals.stream()
                .anyMatch(e -> e.event().resourceId().startsWith("org.example.trusted.filter")));
    }

    @Test
    public void signedVendorCodeSeesNoneOfThePlatformsServices() throws Exception {
        Bundle curious = context.installBundle(vendorFile("org.example.curious-signed.jar").toUri().toString());
        try {
            curious.start();
            assertEquals(Bundle.ACTIVE, curious.getState());
            for (String service : List.of("org.panacea.api.security.CallerAuthentication",
                    "org.panacea.api.records.PatientRecords", "org.panacea.api.audit.AuditTrail",
                    "org.panacea.api.security.FieldEncryption")) {
                assertEquals(service, "false", System.getProperty("org.example.curious" + ImpostorActivator.SAW
                        + service));
            }
            // the probe, platform-side code, still sees them
            assertTrue(context.getServiceReference(CallerAuthentication.class) != null);
        } finally {
            curious.uninstall();
        }
    }

    @Test
    public void aCallerMadeByHandActsAsNobody() {
        Caller forged = new Caller("mallory", Set.of(Role.CLINICIAN), "internal");
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> records.search(forged, new org.panacea.api.records.SearchQuery("Patient", java.util.Map.of(),
                        10, 0)));
        assertTrue(denied.getMessage(), denied.getMessage().contains("not issued by the platform"));

        Caller issued = authentication.internal("plugin-boundary-it", Set.of(Role.CLINICIAN));
        records.search(issued, new org.panacea.api.records.SearchQuery("Patient", java.util.Map.of(), 10, 0));
        Caller promoted = new Caller(issued.name(), Set.of(Role.CLINICIAN, Role.ADMIN), issued.clientAddress(),
                issued.seal());
        assertThrows(AccessDeniedException.class, () -> records.search(promoted,
                new org.panacea.api.records.SearchQuery("Patient", java.util.Map.of(), 10, 0)));
    }

    @Test
    public void theKeyStorePassphraseIsInNoServiceProperty() throws Exception {
        org.osgi.framework.ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        assertTrue(all.length > 50);
        for (org.osgi.framework.ServiceReference<?> reference : all) {
            for (String key : reference.getPropertyKeys()) {
                assertFalse(key + " of " + reference, String.valueOf(reference.getProperty(key)).contains("boundary-it"));
                assertFalse(key + " of " + reference, key.equals(".keystore.passphrase"));
                if (key.equals("keystore.passphrase")) {
                    // the former public name, published with its empty default only
                    assertEquals(reference.toString(), "", reference.getProperty(key));
                }
            }
        }
    }
}

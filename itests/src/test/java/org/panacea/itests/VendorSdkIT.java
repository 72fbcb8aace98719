package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.kar.KarService;
import org.apache.karaf.shell.api.console.SessionFactory;
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
import org.osgi.framework.wiring.BundleWiring;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.security.PluginSignatureVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The vendor SDK end to end. Before the container starts, a vendor project is generated from the archetype and
 * built twice into KARs signed with a throw-away vendor key ({@link VendorProject}). In the real distribution, the
 * administrator trusts the vendor's certificate ({@code plugin:trust}); the 1.0.0 KAR is installed, listed by
 * {@code GET /api/algorithms} and {@code plugin:list}, and runs on a stored CT image; 1.1.0 replaces it while
 * clients keep calling, without a failed request; the KAR is uninstalled and no bundle, service or thread of the
 * plugin remains, and no core bundle was touched; once the vendor is untrusted ({@code plugin:untrust}), its KAR
 * installs no running plugin any more. A model vendor's project of the archetype's onnx flavour (no code: a descriptor
 * and an ONNX graph) goes the same way: trusted, its signed KAR installed (which brings the ONNX runtime), the model
 * listed with its card and the SHA-256 of its graph, run on the stored CT with the probabilities Python ONNX Runtime
 * gives and an occlusion map stored as a derived image, then uninstalled.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VendorSdkIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String ALIAS = "sdk-it-vendor";
    private static final String MODEL_ALIAS = "sdk-it-model-vendor";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_VERSION = Pattern.compile("\"algorithm\":\\{\"id\":\""
            + Pattern.quote(VendorProject.PLUGIN_ID) + "\",\"version\":\"([^\"]+)\"");
    private static final int CLIENTS = 6;

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Inject
    KarService kars;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    AuditTrail audit;

    /** The signed-plugin gate: injecting it makes the test wait until the gate is up. */
    @Inject
    PluginSignatureVerifier gate;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        VendorProject vendor = VendorProject.build(Path.of("target/vendor-sdk").toAbsolutePath());
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty("panacea.test.dicom").value(new File("../bundles/records/src/test/resources/dicom")
                        .getAbsolutePath()),
                systemProperty("panacea.test.vendor.certificate").value(vendor.certificate.toString()),
                systemProperty("panacea.test.vendor.first").value(vendor.firstRelease.toString()),
                systemProperty("panacea.test.vendor.second").value(vendor.secondRelease.toString()),
                systemProperty("panacea.test.model.certificate").value(vendor.modelCertificate.toString()),
                systemProperty("panacea.test.model.release").value(vendor.modelRelease.toString()),
                systemProperty("panacea.test.model.graph").value(vendor.modelGraph.toString()),
                systemProperty("panacea.test.model.reference").value(new File(
                        "../sdk/plugin-archetype/src/test/resources/reference/CT_small-example-classifier.json")
                        .getAbsolutePath()));
    }

    @Test
    public void aVendorPluginGoesFromTheArchetypeIntoTheHospitalIsUpgradedUnderLoadAndLeavesNothingBehind()
            throws Exception {
        long started = System.nanoTime();
        URI first = Path.of(System.getProperty("panacea.test.vendor.first")).toUri();
        URI second = Path.of(System.getProperty("panacea.test.vendor.second")).toUri();
        Map<String, Long> core = coreBundles();

        // The hospital trusts the vendor's certificate.
        // (the certificate is handed over through the import folder, the only place the console reads files from)
        Path certificate = Path.of(System.getProperty("panacea.test.vendor.certificate"));
        Path imports = java.nio.file.Files.createDirectories(Path.of(System.getProperty("karaf.data"), "import"));
        java.nio.file.Files.copy(certificate, imports.resolve(certificate.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String trusted = console("admin", "plugin:trust --alias " + ALIAS + " " + certificate.getFileName());
        assertTrue(trusted, trusted.contains("Trusted vendor " + ALIAS + ": CN=" + VendorProject.VENDOR));
        assertTrue("the trust is audited", audit.search(new AuditQuery(null, "admin",
                AuditAction.CONFIGURATION_CHANGED, null, null, 20)).stream()
                .anyMatch(entry -> entry.event().resourceId().equals(ALIAS)));

        // Release 1.0.0: installed from its KAR, listed, and it runs.
        kars.install(first, false, true);
        String listed = Eventually.waitFor(() -> text(send("GET", "/api/algorithms", "clinician", null)),
                answer -> answer.contains(VendorProject.PLUGIN_ID), Duration.ofSeconds(30));
        assertTrue(listed, listed.contains(VendorProject.PLUGIN_ID) && listed.contains(VendorProject.VENDOR)
                && listed.contains("\"radius\""));
        String instance = storeCt();
        HttpResponse<byte[]> run = run(instance);
        assertEquals(text(run), 200, run.statusCode());
        assertEquals("1.0.0", version(text(run)));
        String plugins = console("admin", "plugin:list");
        String row = row(plugins, VendorProject.PLUGIN_ID + " 1.0.0");
        assertTrue(row, row.contains(VendorProject.VENDOR) && row.contains("Active") && row.contains("trusted")
                && row.contains("imaging"));

        // Release 1.1.0 replaces it while clients keep calling: no request fails.
        Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
        AtomicReference<String> lastVersion = new AtomicReference<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean upgrading = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                while (upgrading.get()) {
                    try {
                        HttpResponse<byte[]> response = run(instance);
                        calls.incrementAndGet();
                        if (response.statusCode() == 200) {
                            String version = version(text(response));
                            versionsSeen.add(version);
                            lastVersion.set(version);
                        } else {
                            failures.add(response.statusCode() + " " + text(response));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        long upgradeStarted = System.nanoTime();
        Thread.sleep(500);
        kars.install(second, false, true);
        Eventually.waitFor(() -> versionsSeen.contains("1.1.0"), Boolean::booleanValue, Duration.ofSeconds(30));
        kars.uninstall(VendorProject.ARTIFACT_ID + "-1.0.0", true);
        long upgradeMillis = (System.nanoTime() - upgradeStarted) / 1_000_000;
        Thread.sleep(1000);
        upgrading.set(false);
        for (Future<?> client : running) {
            client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        System.out.println("Vendor upgrade 1.0.0 -> 1.1.0 under load: " + calls.get() + " calls from " + CLIENTS
                + " clients, " + failures.size() + " failed, upgrade took " + upgradeMillis + " ms");
        assertEquals("no failed request during the upgrade", List.of(), failures);
        assertTrue("calls during the upgrade: " + calls.get(), calls.get() >= 2 * CLIENTS);
        assertEquals(Set.of("1.0.0", "1.1.0"), versionsSeen);
        assertEquals("1.1.0", lastVersion.get());
        List<Bundle> installed = pluginBundles();
        assertEquals(1, installed.size());
        assertEquals("1.1.0", installed.get(0).getVersion().toString());

        // Uninstalled: no bundle, service, listing or thread of it remains, and the core was never touched.
        Bundle plugin = installed.get(0);
        long pluginBundleId = plugin.getBundleId();
        ClassLoader pluginLoader = plugin.adapt(BundleWiring.class).getClassLoader();
        kars.uninstall(VendorProject.ARTIFACT_ID + "-1.1.0", true);
        assertTrue(Eventually.waitFor(() -> context.getBundle(pluginBundleId) == null, Boolean::booleanValue,
                Duration.ofSeconds(10)));
        assertEquals(List.of(), pluginBundles());
        assertTrue("no service of the plugin", context.getServiceReferences(ImagingAlgorithm.class,
                "(panacea.plugin.id=" + VendorProject.PLUGIN_ID + ")").isEmpty());
        String after = Eventually.waitFor(() -> text(send("GET", "/api/algorithms", "clinician", null)),
                answer -> !answer.contains(VendorProject.PLUGIN_ID), Duration.ofSeconds(10));
        assertFalse(after, after.contains(VendorProject.PLUGIN_ID));
        assertEquals("no thread of the plugin", List.of(), threadsOf(pluginLoader));
        assertFalse(kars.list().toString(), kars.list().stream().anyMatch(
                kar -> kar.startsWith(VendorProject.ARTIFACT_ID)));
        for (Map.Entry<String, Long> bundle : core.entrySet()) {
            Bundle now = bundleNamed(bundle.getKey());
            assertEquals(bundle.getKey() + " was not touched", bundle.getValue(),
                    now == null ? null : Long.valueOf(now.getLastModified()));
        }

        // Untrusted: the vendor's KAR installs no running plugin any more; the refusal is audited.
        String untrusted = console("admin", "plugin:untrust " + ALIAS);
        assertTrue(untrusted, untrusted.contains("is no longer trusted"));
        try {
            kars.install(second, false, true);
            assertFalse("the refusal is audited", Eventually.waitFor(() -> audit.search(new AuditQuery(null,
                    "system:plugin-gate", AuditAction.PLUGIN_REFUSED, null, null, 20)).stream()
                    .filter(entry -> entry.event().resourceId().startsWith(VendorProject.SYMBOLIC_NAME)).toList(),
                    refusals -> !refusals.isEmpty(), Duration.ofSeconds(20)).isEmpty());
            assertTrue("the refused plugin is uninstalled", Eventually.waitFor(() -> pluginBundles().isEmpty(),
                    Boolean::booleanValue, Duration.ofSeconds(10)));
            assertFalse(text(send("GET", "/api/algorithms", "clinician", null)).contains(VendorProject.PLUGIN_ID));
        } finally {
            if (kars.list().contains(VendorProject.ARTIFACT_ID + "-1.1.0")) {
                kars.uninstall(VendorProject.ARTIFACT_ID + "-1.1.0", true);
            }
        }
        System.out.println("Vendor SDK in the container: " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @Test
    public void aModelOnlyPluginGoesFromTheOnnxFlavourIntoTheHospitalAndClassifiesAnImage() throws Exception {
        long started = System.nanoTime();
        Path certificate = Path.of(System.getProperty("panacea.test.model.certificate"));
        Path imports = Files.createDirectories(Path.of(System.getProperty("karaf.data"), "import"));
        Files.copy(certificate, imports.resolve(certificate.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String trusted = console("admin", "plugin:trust --alias " + MODEL_ALIAS + " " + certificate.getFileName());
        assertTrue(trusted, trusted.contains("Trusted vendor " + MODEL_ALIAS + ": CN=" + VendorProject.MODEL_VENDOR));
        String kar = VendorProject.MODEL_ARTIFACT_ID + "-1.0.0";
        try {
            kars.install(Path.of(System.getProperty("panacea.test.model.release")).toUri(), false, true);

            // Listed with its card: name, vendor, intended use, the demonstration warning, the graph's SHA-256.
            String graphSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Files.readAllBytes(Path.of(System.getProperty("panacea.test.model.graph")))));
            JsonNode listed = Eventually.waitFor(() -> plugin(JSON.readTree(text(send("GET", "/api/algorithms",
                    "clinician", null))), VendorProject.MODEL_ID), found -> found != null, Duration.ofSeconds(120));
            assertEquals(listed.toString(), "Central density classifier (example)", listed.get("name").asText());
            assertEquals(VendorProject.MODEL_VENDOR, listed.get("vendor").asText());
            assertTrue(listed.toString(), listed.get("intendedUse").asText().startsWith(
                    "Demonstration of a model-only plugin"));
            assertTrue(listed.toString(), listed.get("description").asText().contains(
                    "DEMONSTRATION ONLY: not for clinical use.")
                    && listed.get("description").asText().contains("ONNX model, SHA-256 " + graphSha256));
            String row = row(console("admin", "plugin:list"), VendorProject.MODEL_ID);
            assertTrue(row, row.contains(VendorProject.MODEL_VENDOR) && row.contains("Active")
                    && row.contains("trusted") && row.contains("onnx"));

            // It classifies the stored CT as Python ONNX Runtime does, with its occlusion map as a derived image.
            String instance = storeCt();
            HttpResponse<byte[]> ran = send("POST", "/api/algorithms/" + VendorProject.MODEL_ID + "/$run",
                    "clinician", "application/json", ("{\"instance\":\"" + instance + "\",\"parameters\":{}}")
                            .getBytes(StandardCharsets.UTF_8));
            assertEquals(text(ran), 200, ran.statusCode());
            JsonNode result = JSON.readTree(text(ran));
            JsonNode reference = JSON.readTree(Path.of(System.getProperty("panacea.test.model.reference")).toFile())
                    .get("probabilities");
            for (String label : List.of("not dense", "dense")) {
                double expected = reference.get(label).asDouble();
                double actual = measurement(result.get("measurements"), "probability " + label);
                assertTrue(label + ": expected " + expected + ", was " + actual,
                        Math.abs(expected - actual) <= 1e-5 * Math.max(1, Math.abs(expected)));
            }
            assertEquals(result.toString(), "dense", result.get("findings").get(0).get("label").asText());
            assertEquals("the occlusion map has the source's geometry", 128,
                    result.get("derivedInstance").findValue("width").asInt());
        } finally {
            if (kars.list().contains(kar)) {
                kars.uninstall(kar, true);
            }
        }
        String after = Eventually.waitFor(() -> text(send("GET", "/api/algorithms", "clinician", null)),
                answer -> !answer.contains(VendorProject.MODEL_ID), Duration.ofSeconds(20));
        assertFalse(after, after.contains(VendorProject.MODEL_ID));
        System.out.println("Model-only vendor plugin in the container: " + (System.nanoTime() - started) / 1_000_000
                + " ms");
    }

    private static JsonNode plugin(JsonNode listing, String id) {
        for (JsonNode plugin : listing) {
            if (id.equals(plugin.path("id").asText())) {
                return plugin;
            }
        }
        return null;
    }

    private static double measurement(JsonNode measurements, String name) {
        for (JsonNode measurement : measurements) {
            if (name.equals(measurement.path("name").asText())) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("no measurement " + name + " in " + measurements);
    }

    /** Live threads running the plugin's code or holding its class loader, by name. */
    private static List<String> threadsOf(ClassLoader pluginLoader) {
        List<String> threads = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            boolean runsIt = false;
            for (StackTraceElement frame : thread.getValue()) {
                runsIt |= frame.getClassName().startsWith(VendorProject.GROUP_ID + ".");
            }
            if (runsIt || thread.getKey().getContextClassLoader() == pluginLoader) {
                threads.add(thread.getKey().getName());
            }
        }
        return threads;
    }

    private List<Bundle> pluginBundles() {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (VendorProject.SYMBOLIC_NAME.equals(bundle.getSymbolicName())
                    && bundle.getState() != Bundle.UNINSTALLED) {
                bundles.add(bundle);
            }
        }
        return bundles;
    }

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    /** The platform's own bundles and what they stand on, with their last-modified times. */
    private Map<String, Long> coreBundles() {
        Map<String, Long> core = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            boolean platform = name != null && ((name.startsWith("org.panacea.")
                    && bundle.getHeaders().get("Panacea-Plugin") == null) || name.startsWith("org.ops4j.pax.web")
                    || name.startsWith("org.eclipse.persistence") || name.startsWith("org.apache.aries.jpa")
                    || name.startsWith("com.fasterxml.jackson"));
            if (platform) {
                core.put(name, bundle.getLastModified());
            }
        }
        return core;
    }

    private static String version(String runAnswer) {
        Matcher matcher = RUN_VERSION.matcher(runAnswer);
        assertTrue(runAnswer, matcher.find());
        return matcher.group(1);
    }

    private static String row(String listing, String containing) {
        return listing.lines().filter(line -> line.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + containing + " in\n" + listing));
    }

    private String storeCt() throws Exception {
        byte[] ct = Files.readAllBytes(Path.of(System.getProperty("panacea.test.dicom"), "CT_small.dcm"));
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "clinician", "application/dicom", ct);
        assertEquals(text(stored), 200, stored.statusCode());
        String json = text(stored);
        return ImagingIT.dicomValue(json, "00081155");
    }

    private HttpResponse<byte[]> run(String instance) throws Exception {
        String body = "{\"instance\":\"" + instance + "\",\"parameters\":{\"radius\":2,\"border\":\"reflect\"}}";
        return send("POST", "/api/algorithms/" + VendorProject.PLUGIN_ID + "/$run", "clinician", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> send(String method, String path, String user, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        // Until the servlets are registered, Jetty answers 404 with an HTML page.
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()),
                response -> !(response.statusCode() == 404 && text(response).contains("<html")),
                Duration.ofSeconds(60));
    }

    private HttpResponse<byte[]> send(String method, String path, String user, String contentType) throws Exception {
        return send(method, path, user, contentType, null);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Runs a console command as {@code user} (logged in through the realm, like an ssh session) and its output. */
    private String console(String user, String command) throws Exception {
        return Console.run(sessionFactory, user, command);
    }
}

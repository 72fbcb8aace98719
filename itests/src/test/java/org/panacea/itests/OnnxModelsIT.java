package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.File;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
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
import org.osgi.framework.ServiceReference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.inference.InferenceRuntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * ONNX models in the real distribution: feature panacea-onnx loads ONNX Runtime's native library inside Karaf, the
 * signed model-only example plugin's three models run through the engine over HTTP and equal Python ONNX Runtime's
 * outputs, which started from the same DICOM file with pre-processing written in pydicom/numpy (Java: ONNX Runtime
 * 1.22.0; Python: the versions each reference file states; 1e-5 relative to max(|reference|, 1)); a model-only bundle
 * that is unsigned, or signed but with its graph swapped, never runs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OnnxModelsIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final double TOLERANCE = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    AuditTrail audit;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        String examples = "../bundles/plugins/onnx-examples";
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty("panacea.test.onnx.reference").value(new File(examples + "/src/test/resources/reference")
                        .getAbsolutePath()),
                systemProperty("panacea.test.onnx.mr").value(new File(
                        "../bundles/onnx/src/test/resources/models/MR_small.dcm").getAbsolutePath()),
                systemProperty("panacea.test.onnx.jar").value(new File(examples + "/target/panacea-onnx-examples-"
                        + System.getProperty("panacea.version") + ".jar").getAbsolutePath()));
    }

    /** A hospital installs the feature when it wants ONNX models (idempotent). */
    @Before
    public void installOnnxExamples() throws Exception {
        if (!features.isInstalled(features.getFeature("panacea-onnx-examples"))) {
            features.installFeature("panacea-onnx-examples", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        Eventually.waitFor(() -> context.getServiceReferences(ImagingAlgorithm.class,
                "(panacea.plugin.id=onnx.phantom-segmenter)"), refs -> !refs.isEmpty(), Duration.ofSeconds(60));
    }

    static JsonNode reference(String name) throws Exception {
        return JSON.readTree(Path.of(System.getProperty("panacea.test.onnx.reference"), name).toFile());
    }

    HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("clinician:clinician"
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                response -> !(response.statusCode() == 404 && response.body().contains("<html")),
                Duration.ofSeconds(60));
    }

    static void assertClose(double expected, double actual, String what) {
        assertTrue(what + ": expected " + expected + ", was " + actual,
                Math.abs(expected - actual) <= TOLERANCE * Math.max(Math.abs(expected), 1.0));
    }

    static Map<String, Double> measurements(JsonNode measurements) {
        Map<String, Double> values = new HashMap<>();
        measurements.forEach(m -> values.put(m.get("name").asText(), m.get("value").asDouble()));
        return values;
    }

    private JsonNode storeCtSmall() throws Exception {
        HttpResponse<String> stored = send("POST", "/dicomweb/studies", "application/dicom",
                Files.readAllBytes(Path.of(System.getProperty("panacea.test.onnx.reference"), "CT_small.dcm")));
        assertEquals(stored.body(), 200, stored.statusCode());
        return JSON.readTree(stored.body());
    }

    /** The SOP Instance UID of the first instance a PS3.18 store response names (Referenced SOP Sequence). */
    private static String storedInstance(JsonNode stored) {
        return stored.path("00081199").path("Value").get(0).path("00081155").path("Value").get(0).asText();
    }

    private JsonNode run(String algorithm, String instance) throws Exception {
        HttpResponse<String> ran = send("POST", "/api/algorithms/" + algorithm + "/$run", "application/json",
                ("{\"instance\":\"" + instance + "\",\"parameters\":{}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(ran.body(), 200, ran.statusCode());
        return JSON.readTree(ran.body());
    }

    /**
     * The runtime loaded its native library inside Karaf and says what it reads; every shipped model, run through the
     * engine over HTTP from the DICOM file stored over STOW-RS, equals Python ONNX Runtime; runs are audited.
     */
    @Test
    public void everyShippedModelEqualsPythonOnnxRuntime() throws Exception {
        InferenceRuntime runtime = context.getService(context.getServiceReference(InferenceRuntime.class));
        assertEquals("ONNX Runtime 1.22.0", runtime.info().runtime());
        assertEquals(10, runtime.info().maxIrVersion());

        JsonNode stored = storeCtSmall();
        String instance = storedInstance(stored);

        JsonNode classified = run("onnx.phantom-classifier", instance);
        JsonNode classifierReference = reference("CT_small-phantom-classifier.json");
        Map<String, Double> probabilities = measurements(classified.get("measurements"));
        for (int i = 0; i < 3; i++) {
            String label = classifierReference.get("classes").get(i).asText();
            assertClose(classifierReference.get("probabilities").get(i).asDouble(),
                    probabilities.get("probability " + label), "probability of " + label);
        }
        assertEquals("top class first", "disc", classified.get("findings").get(0).get("label").asText());
        assertEquals("the occlusion map is stored as a derived image in the source's geometry", 128,
                classified.get("derivedInstance").findValue("width").asInt());

        JsonNode segmented = run("onnx.phantom-segmenter", instance);
        JsonNode segmenterReference = reference("CT_small-phantom-segmenter.json");
        Map<String, Double> sizes = measurements(segmented.get("measurements"));
        long pixels = segmenterReference.get("label_pixels_original_geometry").asLong();
        assertEquals(pixels, sizes.get("pixels object").longValue());
        JsonNode spacing = segmenterReference.get("pixel_spacing_mm");
        assertClose(pixels * spacing.get(0).asDouble() * spacing.get(1).asDouble(), sizes.get("area object"),
                "area in mm2");
        assertNotNull("the mask is stored as a derived image",
                segmented.get("derivedInstance").findValue("sopInstanceUid"));
        assertEquals(segmented.toString(), 128, segmented.get("derivedInstance").findValue("width").asInt());

        String patient = stored.path("00081199").path("Value").get(0).path("00091010").path("Value").get(0).asText()
                .replace("Patient/", "");
        JsonNode tabular = reference("wdbc-logistic.json");
        JsonNode card = JSON.readTree(send("GET", "/api/models", null, null).body());
        JsonNode inputs = null;
        for (JsonNode model : card) {
            if (model.get("id").asText().equals("onnx.wdbc-malignancy")) {
                inputs = model.get("inputs");
                assertEquals(0.9956, model.get("validationMetrics").get("auc").asDouble(), 1e-4);
            }
        }
        assertNotNull("/api/models lists the ONNX model with its card", inputs);
        for (int row = 0; row < tabular.get("rows").size(); row++) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < inputs.size(); i++) {
                values.append(i == 0 ? "" : ",").append('"').append(inputs.get(i).get("name").asText()).append("\":")
                        .append(tabular.get("rows").get(row).get(i).asDouble());
            }
            HttpResponse<String> predicted = send("POST", "/api/models/onnx.wdbc-malignancy/$predict",
                    "application/json", ("{\"patient\":\"" + patient + "\",\"inputs\":{" + values + "}}")
                            .getBytes(StandardCharsets.UTF_8));
            assertEquals(predicted.body(), 200, predicted.statusCode());
            JsonNode prediction = JSON.readTree(predicted.body());
            assertClose(tabular.get("probabilities").get(row).asDouble(),
                    prediction.get("prediction").get("value").asDouble(), "wdbc row " + row);
        }

        var runs = audit.search(new AuditQuery(null, "clinician", AuditAction.ALGORITHM_RUN, null, null, 50));
        ServiceReference<ImagingAlgorithm> classifier = context.getServiceReferences(ImagingAlgorithm.class,
                "(panacea.plugin.id=onnx.phantom-classifier)").iterator().next();
        assertEquals("the service names the SHA-256 of the graph it runs", sha256OfEntry(
                "model/phantom-classifier.onnx"), classifier.getProperty("panacea.model.sha256"));
        // The trail keeps a run's details (model.sha256 among them, see AlgorithmRunsTest) as their digest only.
        assertTrue("the runs are audited", runs.stream().anyMatch(entry -> "onnx.phantom-classifier".equals(
                entry.event().resourceId())));
    }

    private static String sha256OfEntry(String name) throws Exception {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(Path.of(System.getProperty(
                "panacea.test.onnx.jar"))))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (entry.getName().equals(name)) {
                    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(in.readAllBytes()));
                }
            }
        }
        throw new AssertionError(name + " is not in the example bundle");
    }

    /** Images outside a model's card are refused with the reason, as a 4xx the caller can act on. */
    @Test
    public void anImageOutsideTheCardIsRefused() throws Exception {
        HttpResponse<String> stored = send("POST", "/dicomweb/studies", "application/dicom", Files.readAllBytes(
                Path.of(System.getProperty("panacea.test.onnx.mr"))));
        assertEquals(stored.body(), 200, stored.statusCode());
        String instance = storedInstance(JSON.readTree(stored.body()));
        HttpResponse<String> refused = send("POST", "/api/algorithms/onnx.phantom-classifier/$run",
                "application/json", ("{\"instance\":\"" + instance + "\",\"parameters\":{}}")
                        .getBytes(StandardCharsets.UTF_8));
        assertTrue(refused.body(), refused.statusCode() >= 400 && refused.statusCode() < 500);
        assertTrue(refused.body(), refused.body().contains("modality 'MR', the model is for [CT]"));
    }

    /**
     * The signing gate holds for bundles without code: the example bundle unsigned, and the signed bundle with one
     * graph's bytes changed (a swapped network under the vendor's signature), are refused and uninstalled, and no
     * model of theirs is ever registered.
     */
    @Test
    public void unsignedOrTamperedModelBundlesNeverRun() throws Exception {
        Path jar = Path.of(System.getProperty("panacea.test.onnx.jar"));
        byte[] signed = Files.readAllBytes(jar);
        for (boolean keepSignature : List.of(false, true)) {
            if (keepSignature) {
                // the tampered copy keeps the genuine bundle's name (the signature covers the manifest): make room
                for (Bundle genuine : context.getBundles()) {
                    if ("org.panacea.onnx-examples".equals(genuine.getSymbolicName())) {
                        genuine.uninstall();
                    }
                }
            }
            byte[] forged = rewrite(signed, keepSignature);
            Bundle bundle = context.installBundle("onnx-forged-" + keepSignature,
                    new java.io.ByteArrayInputStream(forged));
            try {
                bundle.start();
            } catch (org.osgi.framework.BundleException | IllegalStateException refused) {
                // refused by the resolver hook, or uninstalled meanwhile
            }
            assertEquals("refused and uninstalled (signature kept: " + keepSignature + ")", Bundle.UNINSTALLED,
                    (int) Eventually.waitFor(bundle::getState, state -> state == Bundle.UNINSTALLED,
                            Duration.ofSeconds(15)));
            for (ServiceReference<ImagingAlgorithm> reference : context.getServiceReferences(ImagingAlgorithm.class,
                    "(panacea.plugin.id=onnx.*)")) {
                assertFalse("no service of the forged bundle", reference.getBundle() == null
                        || reference.getBundle().getLocation().startsWith("onnx-forged"));
            }
        }
        // the genuine bundle again, for the other tests
        context.installBundle(jar.toUri().toString()).start();
        Eventually.waitFor(() -> context.getServiceReferences(ImagingAlgorithm.class,
                "(panacea.plugin.id=onnx.phantom-classifier)"), refs -> !refs.isEmpty(), Duration.ofSeconds(60));
    }

    /**
     * Hot swap as for every plugin: 4 clients run the classifier over HTTP while its model bundle is updated in place
     * and reinstalled, 6 times in all; no request fails, and every answer carries the same probabilities.
     */
    @Test
    public void aModelBundleSwappedUnderLoadFailsNoRequest() throws Exception {
        String instance = storedInstance(storeCtSmall());
        String body = "{\"instance\":\"" + instance + "\",\"parameters\":{}}";
        String expected = measurements(run("onnx.phantom-classifier", instance).get("measurements")).toString();
        Path jar = Path.of(System.getProperty("panacea.test.onnx.jar"));
        java.util.concurrent.atomic.AtomicBoolean swapping = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> {
                while (swapping.get() || calls.get() < 60) {
                    try {
                        HttpResponse<String> response = send("POST", "/api/algorithms/onnx.phantom-classifier/$run",
                                "application/json", body.getBytes(StandardCharsets.UTF_8));
                        calls.incrementAndGet();
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        } else if (!measurements(JSON.readTree(response.body()).get("measurements")).toString()
                                .equals(expected)) {
                            failures.add("another answer: " + response.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        for (int swap = 0; swap < 6; swap++) {
            Thread.sleep(300);
            Bundle models = null;
            for (Bundle bundle : context.getBundles()) {
                if ("org.panacea.onnx-examples".equals(bundle.getSymbolicName())) {
                    models = bundle;
                }
            }
            assertNotNull("the example model bundle is installed", models);
            if (swap % 2 == 0) {
                try (java.io.InputStream in = Files.newInputStream(jar)) {
                    models.update(in);
                }
            } else {
                models.uninstall();
                context.installBundle(jar.toUri().toString()).start();
            }
        }
        Thread.sleep(500);
        swapping.set(false);
        for (java.util.concurrent.Future<?> client : running) {
            client.get(120, java.util.concurrent.TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertTrue("dozens of calls: " + calls.get(), calls.get() >= 60);
        assertEquals("no failed request", List.of(), failures);
    }

    /**
     * The example bundle under another symbolic name; without its signature files, or with them but with the bytes of
     * the classifier's graph changed.
     */
    private static byte[] rewrite(byte[] jar, boolean keepSignature) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar), false)) {
            Manifest manifest = in.getManifest();
            if (!keepSignature) {
                manifest.getEntries().clear();
                manifest.getMainAttributes().putValue("Bundle-SymbolicName", "org.panacea.onnx-examples.forged");
            }
            try (JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    String name = entry.getName();
                    byte[] content = in.readAllBytes();
                    if (!keepSignature && name.startsWith("META-INF/") && (name.endsWith(".SF")
                            || name.endsWith(".EC") || name.endsWith(".RSA"))) {
                        continue;
                    }
                    if (keepSignature && name.equals("model/phantom-classifier.onnx")) {
                        content[content.length - 10] ^= 0x01; // one weight's bit
                    }
                    jarOut.putNextEntry(new JarEntry(name));
                    jarOut.write(content);
                    jarOut.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }
}

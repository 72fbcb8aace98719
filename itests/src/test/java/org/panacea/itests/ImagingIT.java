package org.panacea.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * Images in the real distribution: DICOM stored over STOW-RS (single and multipart), retrieved byte for byte,
 * rendered with a window; malformed files refused with the tag and nothing stored.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ImagingIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final java.util.regex.Pattern WAITED = java.util.regex.Pattern.compile(
            "\"waitedForPluginMillis\":(\\d+)");

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    @Inject
    BundleContext context;

    @Inject
    org.apache.karaf.features.FeaturesService features;

    /** The imaging plugins ship in the distribution's repository; a hospital installs the feature (idempotent). */
    @org.junit.Before
    public void installImagingPlugins() throws Exception {
        if (!features.isInstalled(features.getFeature("panacea-imaging"))) {
            features.installFeature("panacea-imaging", java.util.EnumSet.of(
                    org.apache.karaf.features.FeaturesService.Option.NoAutoRefreshBundles));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                editConfigurationFilePut("etc/org.panacea.engine.cfg", "grace.period.seconds", "3"),
                systemProperty("panacea.test.dicom").value(new File("../bundles/records/src/test/resources/dicom")
                        .getAbsolutePath()),
                systemProperty("panacea.test.window-level.jar").value(new File("../bundles/plugins/"
                        + "imaging-window-level/target/panacea-imaging-window-level-" + System.getProperty(
                                "panacea.version") + ".jar").getAbsolutePath()));
    }

    static byte[] dicom(String name) throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("panacea.test.dicom"), name));
    }

    HttpResponse<byte[]> send(String method, String path, String user, String contentType, byte[] body)
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
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()),
                response -> !(response.statusCode() == 404 && new String(response.body(), StandardCharsets.UTF_8)
                        .contains("<html")), Duration.ofSeconds(60));
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    /** The first string value of attribute {@code tag} (eight hex digits) in a DICOM JSON answer. */
    static String dicomValue(String json, String tag) {
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"" + tag
                + "\":\\{\"vr\":\"[A-Z]{2}\",\"Value\":\\[\"([^\"]*)\"").matcher(json);
        if (!value.find()) {
            throw new AssertionError("no value of " + tag + " in " + json);
        }
        return value.group(1);
    }

    /** The path of an instance's Retrieve URL in a STOW-RS answer (the first instance stored). */
    static String storedPath(String json) {
        String url = dicomValue(json.substring(json.indexOf("\"00081199\"")), "00081190");
        return url.substring(url.indexOf("/dicomweb/"));
    }

    @Test
    public void dicomIsStoredRetrievedAndRenderedOverDicomWeb() throws Exception {
        byte[] ct = dicom("CT_small.dcm");
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "clinician", "application/dicom", ct);
        assertEquals(text(stored), 200, stored.statusCode());
        String url = storedPath(text(stored));
        HttpResponse<byte[]> retrieved = send("GET", url, "nurse", null, null);
        assertEquals(200, retrieved.statusCode());
        assertArrayEquals("the file comes back as received", ct, retrieved.body());
        HttpResponse<byte[]> rendered = send("GET", url + "/rendered?window=40,400", "clinician", null, null);
        assertEquals(200, rendered.statusCode());
        assertEquals("image/png", rendered.headers().firstValue("Content-Type").orElse(""));
        assertEquals((byte) 0x89, rendered.body()[0]);
        assertEquals(400, send("GET", url + "/rendered?window=forty", "clinician", null, null).statusCode());
        assertEquals(403, send("GET", url, "researcher", null, null).statusCode());
        String patient = dicomValue(text(stored), "00091010").substring("Patient/".length());
        assertFalse(audit.search(new AuditQuery(patient, "nurse", AuditAction.READ, null, null, 5)).isEmpty());
    }

    @Test
    public void multipartUploadsStoreWhatIsValidAndNameWhatIsNot() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String name : new String[] { "MR_small.dcm", "MR_truncated.dcm" }) {
            body.write(("--stow\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(dicom(name));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write("--stow--\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> response = send("POST", "/dicomweb/studies", "clinician",
                "multipart/related; type=\"application/dicom\"; boundary=stow", body.toByteArray());
        assertEquals(text(response), 202, response.statusCode());
        assertTrue(text(response), text(response).contains("\"00091018\":{\"vr\":\"US\",\"Value\":[2]}")
                && text(response).contains("(7FE0,0010)") && text(response).contains("\"00081197\":{\"vr\":\"US\","
                        + "\"Value\":[49152]}"));
        HttpResponse<byte[]> truncated = send("POST", "/dicomweb/studies", "clinician", "application/dicom",
                dicom("MR_truncated.dcm"));
        assertEquals(400, truncated.statusCode());
        assertTrue(text(truncated), text(truncated).contains("\"00081198\""));
        assertEquals(415, send("POST", "/dicomweb/studies", "clinician", "image/png", new byte[] { 1 }).statusCode());
    }

    private String storeCt() throws Exception {
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "clinician", "application/dicom",
                dicom("CT_small.dcm"));
        assertEquals(text(stored), 200, stored.statusCode());
        return dicomValue(text(stored), "00081155");
    }

    private HttpResponse<byte[]> run(String algorithm, String instance, String parameters) throws Exception {
        String body = "{\"instance\":\"" + instance + "\",\"parameters\":" + parameters + "}";
        return send("POST", "/api/algorithms/" + algorithm + "/$run", "clinician", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * QIDO-RS finds a stored study by Patient ID, date and modality, lists its series and instances in the DICOM
     * JSON model, and the instance's retrieve URL gives back the file as sent; bad keys are refused, unsupported ones
     * named in a warning, and the access policy holds.
     */
    @Test
    public void qidoFindsStoredStudiesTheirSeriesAndInstances() throws Exception {
        String instance = storeCt();
        String study = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
        String series = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
        HttpResponse<byte[]> studies = send("GET", "/dicomweb/studies?PatientID=1CT1&StudyDate=20040101-20040131"
                + "&ModalitiesInStudy=CT&includefield=00081030&PatientName=Compressed*", "clinician", null, null);
        assertEquals(text(studies), 200, studies.statusCode());
        assertTrue(studies.headers().firstValue("Content-Type").orElse("").startsWith("application/dicom+json"));
        assertTrue(studies.headers().firstValue("Warning").orElse(""),
                studies.headers().firstValue("Warning").orElse("").contains("PatientName"));
        String found = text(studies);
        assertTrue(found, found.contains("\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + study + "\"]}"));
        assertTrue(found, found.contains("\"00100020\":{\"vr\":\"LO\",\"Value\":[\"1CT1\"]}"));
        assertTrue(found, found.contains("\"Alphabetic\":\"CompressedSamples^CT1\""));
        assertTrue(found, found.contains("\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20040119\"]}"));
        assertTrue(found, found.contains("\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\""));
        // Outside the date range, another modality or another patient: nothing.
        for (String miss : List.of("PatientID=1CT1&StudyDate=20050101-", "PatientID=1CT1&ModalitiesInStudy=MR",
                "PatientID=nobody-has-this-id")) {
            HttpResponse<byte[]> none = send("GET", "/dicomweb/studies?" + miss, "clinician", null, null);
            assertEquals(miss, 200, none.statusCode());
            assertEquals(miss, "[]", text(none));
        }
        HttpResponse<byte[]> seriesList = send("GET", "/dicomweb/studies/" + study + "/series", "clinician", null,
                null);
        assertEquals(text(seriesList), 200, seriesList.statusCode());
        assertTrue(text(seriesList), text(seriesList).contains(series));
        HttpResponse<byte[]> instances = send("GET", "/dicomweb/studies/" + study + "/series/" + series
                + "/instances", "clinician", null, null);
        assertEquals(text(instances), 200, instances.statusCode());
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("\"00081190\":\\{\"vr\":\"UR\",\"Value\":"
                + "\\[\"http://[^/]+(/dicomweb/studies/[^\"]+/instances/" + java.util.regex.Pattern.quote(instance)
                + ")\"").matcher(text(instances));
        assertTrue(text(instances), url.find());
        HttpResponse<byte[]> retrieved = send("GET", url.group(1), "clinician", null, null);
        assertEquals(200, retrieved.statusCode());
        assertArrayEquals(dicom("CT_small.dcm"), retrieved.body());
        // WADO-RS of the whole study and of its series: the file as sent, in a multipart/related answer.
        for (String whole : List.of("/dicomweb/studies/" + study, "/dicomweb/studies/" + study + "/series/" + series)) {
            HttpResponse<byte[]> all = send("GET", whole, "clinician", null, null);
            assertEquals(whole, 200, all.statusCode());
            String type = all.headers().firstValue("Content-Type").orElse("");
            assertTrue(type, type.startsWith("multipart/related") && type.contains("application/dicom"));
            assertTrue(whole, Bytes.indexOf(all.body(), dicom("CT_small.dcm")) > 0);
        }
        assertEquals(404, send("GET", "/dicomweb/studies/" + study + "/series/1.2.3.4", "clinician", null, null)
                .statusCode());
        // WADO-RS metadata and frames, as a web viewer reads them: the frame is the file's own pixel data (CT_small
        // is 128x128 signed 16-bit little endian: the 32768 bytes after its Pixel Data element header, OW).
        HttpResponse<byte[]> metadata = send("GET", "/dicomweb/studies/" + study + "/series/" + series + "/metadata",
                "clinician", null, null);
        assertEquals(text(metadata), 200, metadata.statusCode());
        for (String attribute : List.of("\"00280010\":{\"vr\":\"US\",\"Value\":[128]}",
                "\"00280100\":{\"vr\":\"US\",\"Value\":[16]}", "\"00280103\":{\"vr\":\"US\",\"Value\":[1]}",
                "\"00281052\":{\"vr\":\"DS\",\"Value\":[-1024.0]}", "/instances/" + instance + "/frames/1")) {
            assertTrue(attribute + " in " + text(metadata), text(metadata).contains(attribute));
        }
        HttpResponse<byte[]> frame = send("GET", "/dicomweb/studies/" + study + "/series/" + series + "/instances/"
                + instance + "/frames/1", "clinician", null, null);
        assertEquals(text(frame), 200, frame.statusCode());
        assertTrue(frame.headers().firstValue("Content-Type").orElse("").startsWith("multipart/related"));
        byte[] file = dicom("CT_small.dcm");
        int pixelData = Bytes.indexOf(file, new byte[] { (byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, 0, (byte) 0x80,
            0, 0 }) + 12;
        assertTrue(Bytes.indexOf(frame.body(), java.util.Arrays.copyOfRange(file, pixelData, pixelData + 32768)) > 0);
        assertEquals(400, send("GET", "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + instance
                + "/frames/2", "clinician", null, null).statusCode());
        assertEquals(400, send("GET", "/dicomweb/studies?StudyDate=2004-01-19", "clinician", null, null)
                .statusCode());
        assertEquals(400, send("GET", "/dicomweb/studies?PatientID=1CT*", "clinician", null, null).statusCode());
        assertEquals(400, send("GET", "/dicomweb/studies?limit=0", "clinician", null, null).statusCode());
        assertEquals(404, send("GET", "/dicomweb/studies/1.2.3.4.5/series", "clinician", null, null).statusCode());
        assertEquals(403, send("GET", "/dicomweb/studies?PatientID=1CT1", "researcher", null, null).statusCode());
        HttpRequest xml = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty(
                "panacea.test.http.port") + "/dicomweb/studies")).header("Accept", "application/dicom+xml")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("clinician:clinician"
                        .getBytes(StandardCharsets.UTF_8))).GET().build();
        assertEquals(406, http.send(xml, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
    }

    /**
     * The threshold plugins take the Vector API from the system bundle, as the distribution is configured (module
     * added to the JVM, package exported by the framework), and threshold a stored CT with it: Otsu's threshold is
     * the reference 672 (stored units) computed independently from CT_small.
     */
    @Test
    public void thresholdPluginsRunOnTheVectorApiExportedByTheFramework() throws Exception {
        for (String name : List.of("org.panacea.imaging-segmentation", "org.panacea.imaging-filters")) {
            Bundle bundle = java.util.Arrays.stream(context.getBundles())
                    .filter(b -> name.equals(b.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not installed"));
            boolean wired = Eventually.waitFor(() -> bundle.adapt(org.osgi.framework.wiring.BundleWiring.class),
                    wiring -> wiring != null, Duration.ofSeconds(30))
                    .getRequiredWires(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE).stream()
                    .anyMatch(wire -> "jdk.incubator.vector".equals(wire.getCapability().getAttributes()
                            .get(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE))
                            && wire.getProvider().getBundle().getBundleId() == 0);
            assertTrue(name + " imports jdk.incubator.vector from the system bundle", wired);
        }
        String instance = storeCt();
        HttpResponse<byte[]> otsu = run("imaging.otsu-threshold", instance, "{}");
        assertEquals(text(otsu), 200, otsu.statusCode());
        assertTrue(text(otsu), java.util.regex.Pattern.compile("\"name\":\"threshold\",\"value\":672(\\.0)?,")
                .matcher(text(otsu)).find());
        HttpResponse<byte[]> soft = run("imaging.threshold", instance, "{\"lower\":-100,\"upper\":100}");
        assertEquals(text(soft), 200, soft.statusCode());
        assertTrue(text(soft), text(soft).contains("\"foreground_pixels\""));
    }

    @Test
    public void anAlgorithmRunsOnAStoredImageAndItsResultIsStoredBesideIt() throws Exception {
        String instance = storeCt();
        HttpResponse<byte[]> algorithms = send("GET", "/api/algorithms", "clinician", null, null);
        assertEquals(200, algorithms.statusCode());
        assertTrue(text(algorithms), text(algorithms).contains("imaging.gaussian-blur"));
        HttpResponse<byte[]> blurred = run("imaging.gaussian-blur", instance, "{\"sigma\":2,\"border\":\"reflect\"}");
        assertEquals(text(blurred), 200, blurred.statusCode());
        assertTrue(text(blurred), text(blurred).contains("\"derivedInstance\"") && text(blurred).contains(instance));
        HttpResponse<byte[]> badSigma = run("imaging.gaussian-blur", instance, "{\"sigma\":-1}");
        assertEquals(text(badSigma), 400, badSigma.statusCode());
        assertTrue(text(badSigma), text(badSigma).contains("sigma"));
        assertEquals(404, run("imaging.no-such-thing", instance, "{}").statusCode());
        assertEquals(403, send("POST", "/api/algorithms/imaging.gaussian-blur/$run", "researcher", "application/json",
                ("{\"instance\":\"" + instance + "\"}").getBytes(StandardCharsets.UTF_8)).statusCode());
        assertFalse(audit.search(new AuditQuery(null, "clinician", AuditAction.ALGORITHM_RUN, null, null, 5)).isEmpty());
    }

    /**
     * Hundreds of concurrent calls while the plugin is updated in place and uninstalled and installed again, and a
     * new plugin feature is installed: no call fails, and no core bundle is stopped, refreshed or updated by any of
     * it.
     */
    @Test
    public void swappingAPluginUnderLoadFailsNoRequestAndTouchesNoCoreBundle() throws Exception {
        String instance = storeCt();
        assertEquals(200, run("imaging.window-level", instance, "{}").statusCode());
        Path jar = Path.of(System.getProperty("panacea.test.window-level.jar"));
        assertTrue("the signed plugin jar is built: " + jar, Files.isRegularFile(jar));

        Map<String, Long> coreModified = new ConcurrentHashMap<>();
        List<String> coreEvents = new CopyOnWriteArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (core(bundle)) {
                coreModified.put(bundle.getSymbolicName(), bundle.getLastModified());
            }
        }
        BundleListener watcher = event -> {
            if (core(event.getBundle()) && event.getType() != BundleEvent.STARTED) {
                coreEvents.add(event.getBundle().getSymbolicName() + " " + event.getType());
            }
        };
        context.addBundleListener(watcher);

        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicLong longestWait = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            running.add(clients.submit(() -> {
                while (swapping.get() || calls.get() < 300) {
                    try {
                        HttpResponse<byte[]> response = run("imaging.window-level", instance, "{}");
                        calls.incrementAndGet();
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + text(response));
                        } else {
                            java.util.regex.Matcher waited = WAITED.matcher(text(response));
                            if (waited.find()) {
                                longestWait.accumulateAndGet(Long.parseLong(waited.group(1)), Math::max);
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        long swapStarted = System.nanoTime();
        for (int swap = 0; swap < 10; swap++) {
            Thread.sleep(300);
            Bundle plugin = pluginBundle();
            if (swap % 2 == 0) {
                try (InputStream in = Files.newInputStream(jar)) {
                    plugin.update(in);
                }
            } else {
                plugin.uninstall();
                Bundle fresh = context.installBundle(jar.toUri().toString());
                fresh.start();
            }
        }
        // A new plugin feature installed under the same load must not disturb anything either.
        features.installFeature("panacea-prediction", java.util.EnumSet.of(
                org.apache.karaf.features.FeaturesService.Option.NoAutoRefreshBundles));
        long swapMillis = (System.nanoTime() - swapStarted) / 1_000_000;
        Thread.sleep(500);
        swapping.set(false);
        for (Future<?> client : running) {
            client.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        context.removeBundleListener(watcher);

        System.out.println("Hot swap: " + calls.get() + " calls across 10 swaps in " + swapMillis + " ms, "
                + failures.size() + " failed; longest wait for a replacement " + longestWait.get() + " ms");
        assertTrue("hundreds of calls: " + calls.get(), calls.get() >= 300);
        assertEquals("no failed request", List.of(), failures);
        assertEquals("no core bundle stopped, refreshed or updated", List.of(), coreEvents);
        for (Bundle bundle : context.getBundles()) {
            if (core(bundle)) {
                assertEquals(bundle.getSymbolicName() + " was not touched", coreModified.get(bundle.getSymbolicName()),
                        Long.valueOf(bundle.getLastModified()));
            }
        }
    }

    private Bundle pluginBundle() {
        for (Bundle bundle : context.getBundles()) {
            if ("org.panacea.imaging-window-level".equals(bundle.getSymbolicName())
                    && bundle.getState() != Bundle.UNINSTALLED) {
                return bundle;
            }
        }
        throw new AssertionError("the window-level plugin is not installed");
    }

    /** The platform's own bundles and what they stand on: everything but plugins and the test probe. */
    private static boolean core(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null && ((name.startsWith("org.panacea.") && bundle.getHeaders().get("Panacea-Plugin") == null)
                || name.startsWith("org.ops4j.pax.web") || name.startsWith("org.eclipse.persistence")
                || name.startsWith("org.apache.aries.jpa") || name.startsWith("com.fasterxml.jackson"));
    }
}

package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.itests.PrometheusText.Family;
import org.panacea.itests.PrometheusText.Sample;

/**
 * {@code GET /metrics} on the real distribution: scraped without credentials from an allowed address, read with a
 * strict parser of the Prometheus text format ({@link PrometheusText}), moved by load (FHIR requests, a refused login,
 * a model run, a plugin update), never carrying a patient's id, name or identifier, and refused (403) to a client
 * address outside the allow-list. The distribution's own {@code etc/org.panacea.metrics.cfg} allows 127.0.0.1 only
 * (and ::1), so 127.0.0.2, another loopback address, is an outsider.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT {

    // Chosen where Pax Exam configures the container; the tests run inside it and read it back as a property.
    private static final String HTTP_PORT = PanaceaDistribution.freePort();
    private static final String FHIR = "application/fhir+json";
    private static final String ROUTE = "/fhir/Patient/{id}";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", HTTP_PORT),
                systemProperty("panacea.test.http.port").value(HTTP_PORT));
    }

    @Test
    public void metricsParseMoveUnderLoadAndNameNoPatient() throws Exception {
        awaitReady();
        Map<String, Family> before = scrape();
        for (String family : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_threads_live_threads",
                "panacea_http_server_requests_seconds", "panacea_audit_append_seconds", "panacea_audit_backlog",
                "panacea_engine_runs_seconds", "panacea_engine_runs_active", "panacea_engine_runs_waiting",
                "panacea_plugin_swaps_total", "panacea_plugins_installed")) {
            assertTrue(family + " is exposed: " + before.keySet(), before.containsKey(family));
        }
        assertEquals("histogram", before.get("panacea_http_server_requests_seconds").type());
        assertEquals("histogram", before.get("panacea_audit_append_seconds").type());
        assertEquals("counter", before.get("panacea_plugin_swaps_total").type());
        assertEquals("gauge", before.get("panacea_audit_backlog").type());
        assertTrue("the heap is measured", value(before, "jvm_memory_used_bytes", "_", Map.of("area", "heap")) > 0);
        assertTrue("plugins are installed", value(before, "panacea_plugins_installed", "", Map.of()) >= 10);

        // Load: a patient created and read, a read of a patient who does not exist, a refused login, a model run.
        String family = "Quernhorst" + System.nanoTime() % 100_000;
        String mrn = "MRN-" + System.nanoTime();
        HttpResponse<String> created = send("POST", "/fhir/Patient", "clinician:clinician",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:2.16.756.5.30.1\",\"value\":\""
                        + mrn + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Ottilie\"]}],"
                        + "\"gender\":\"female\",\"birthDate\":\"1951-03-17\"}");
        assertEquals(created.body(), 201, created.statusCode());
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
        assertTrue(created.body(), id.find());
        String patient = id.group(1);
        // Counted under whatever status the access rules give (200 today): the metrics count answers, not grants.
        int read = send("GET", "/fhir/Patient/" + patient, "clinician:clinician", null).statusCode();
        for (int i = 0; i < 2; i++) {
            assertEquals(read, send("GET", "/fhir/Patient/" + patient, "clinician:clinician", null).statusCode());
        }
        int searched = send("GET", "/fhir/Patient?family=" + family, "clinician:clinician", null).statusCode();
        int missing = send("GET", "/fhir/Patient/no-such-" + family, "clinician:clinician", null).statusCode();
        assertTrue("a patient who does not exist is an error: " + missing, missing >= 400);
        assertEquals(401, send("GET", "/fhir/Patient/" + patient, "clinician:wrong", null).statusCode());
        HttpResponse<String> predicted = send("POST", "/api/models/prediction.cha2ds2-vasc/$predict",
                "clinician:clinician", "{\"patient\":\"" + patient + "\",\"inputs\":{\"congestive_heart_failure\":false,"
                        + "\"hypertension\":true,\"age\":71,\"diabetes\":false,"
                        + "\"stroke_tia_thromboembolism\":false,\"vascular_disease\":false,\"female\":true}}");
        assertEquals(predicted.body(), 200, predicted.statusCode());

        Map<String, Family> after = scrape();
        String requests = "panacea_http_server_requests_seconds";
        assertEquals("three reads of the patient, by route template", 3, delta(before, after, requests,
                Map.of("method", "GET", "route", ROUTE, "status", Integer.toString(read))), 0);
        assertEquals("the read of a missing patient is an error of the same route", 1, delta(before, after, requests,
                Map.of("method", "GET", "route", ROUTE, "status", Integer.toString(missing))), 0);
        assertEquals("the refused login is counted before authentication", 1,
                delta(before, after, requests, Map.of("method", "GET", "route", ROUTE, "status", "401")), 0);
        assertEquals(1, delta(before, after, requests,
                Map.of("method", "POST", "route", "/fhir/Patient", "status", "201")), 0);
        assertEquals(1, delta(before, after, requests,
                Map.of("method", "GET", "route", "/fhir/Patient", "status", Integer.toString(searched))), 0);
        assertEquals("one model run completed", 1, delta(before, after, "panacea_engine_runs_seconds",
                Map.of("outcome", "completed")), 0);
        assertTrue("the writes and reads were audited, and timed",
                delta(before, after, "panacea_audit_append_seconds", Map.of("outcome", "stored")) >= 6);
        assertTrue("the latency sum grew", value(after, "panacea_audit_append_seconds", "_sum",
                Map.of("outcome", "stored")) > value(before, "panacea_audit_append_seconds", "_sum",
                        Map.of("outcome", "stored")));

        // No label, name or help carries the patient: not the id, the names, the identifier or the birth date.
        String text = scrapeText();
        for (String phi : List.of(patient, family, "Ottilie", mrn, "1951-03-17")) {
            assertFalse(phi + " appears in the metrics", text.contains(phi));
        }
        Pattern route = Pattern.compile("/|/\\{other\\}|/ui|(/([A-Za-z_$][A-Za-z_$-]*|\\{[a-z]+\\}))+");
        for (Family each : after.values()) {
            for (Sample sample : each.samples()) {
                String value = sample.labels().get("route");
                assertTrue("route label " + value + " is a template", value == null || route.matcher(value).matches());
            }
        }
    }

    @Test
    public void aPluginUpdateIsCountedAsASwap() throws Exception {
        Bundle plugin = Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getHeaders().get(PluginHeaders.PLUGIN) != null)
                .filter(bundle -> bundle.getSymbolicName().contains("window-level")).findFirst().orElseThrow();
        awaitReady();
        double before = value(scrape(), "panacea_plugin_swaps_total", "", Map.of("change", "updated"));
        plugin.update();
        double after = Eventually.waitFor(() -> value(scrape(), "panacea_plugin_swaps_total", "",
                Map.of("change", "updated")), swaps -> swaps > before, Duration.ofSeconds(30));
        assertEquals(before + 1, after, 0);
    }

    @Test
    public void anAddressOutsideTheAllowListIsRefused() throws Exception {
        scrape(); // the servlet is up
        String refused = rawGet("127.0.0.2", "/metrics");
        assertTrue(refused, refused.startsWith("HTTP/1.1 403"));
        assertTrue(refused, refused.contains("\"resourceType\":\"OperationOutcome\""));
        assertFalse("no metric in the refusal", refused.contains("jvm_"));
        assertTrue("the allowed address is served", rawGet("127.0.0.1", "/metrics").startsWith("HTTP/1.1 200"));
    }

    @Test
    public void theParserRefusesWhatTheFormatForbids() {
        String good = "# HELP h_seconds x\n# TYPE h_seconds histogram\nh_seconds_bucket{le=\"0.5\"} 1\n"
                + "h_seconds_bucket{le=\"+Inf\"} 2\nh_seconds_count 2\nh_seconds_sum 0.7\n";
        assertEquals(4, PrometheusText.parse(good).get("h_seconds").samples().size());
        for (String bad : List.of(
                good.replace("le=\"0.5\"} 1", "le=\"0.5\"} 3"), // buckets decrease
                good.replace("h_seconds_count 2", "h_seconds_count 5"), // +Inf is not _count
                good.replace("h_seconds_bucket{le=\"+Inf\"} 2\n", ""), // no +Inf
                "a{b=\"c} 1\n", "a{b=\"c\\x\"} 1\n", "a{1b=\"c\"} 1\n", "a{__b=\"c\"} 1\n", "1a 1\n", "a one\n",
                "a 1\nb 1\na 2\n", "a 1\na 1\n", "# TYPE c counter\nc -1\n", "# TYPE a widget\n", "a 1")) {
            assertThrows(bad, IllegalArgumentException.class, () -> PrometheusText.parse(bad));
        }
    }

    /**
     * Waits until the node is ready (the audit trail, the record store and the engine are up, and with them their
     * meters): BootFinished comes before the data sources are configured.
     */
    private void awaitReady() throws Exception {
        HttpResponse<String> ready = Eventually.waitFor(() -> http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port() + "/health/ready")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200, Duration.ofSeconds(180));
        assertEquals(ready.body(), 200, ready.statusCode());
    }

    private Map<String, Family> scrape() throws Exception {
        return PrometheusText.parse(scrapeText());
    }

    /** GET /metrics without credentials, from 127.0.0.1 (allowed by the distribution's configuration). */
    private String scrapeText() throws Exception {
        HttpResponse<String> response = Eventually.waitFor(() -> http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port() + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200, Duration.ofSeconds(60));
        assertEquals(response.body(), 200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
        assertTrue(type, type.startsWith("text/plain;") && type.contains("version=0.0.4"));
        return response.body();
    }

    private static String port() {
        return System.getProperty("panacea.test.http.port");
    }

    private HttpResponse<String> send(String method, String path, String credentials, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", path.startsWith("/fhir") ? FHIR : "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw HTTP/1.1 GET from the local address {@code from}: the whole answer, head and body. */
    private static String rawGet(String from, String path) throws IOException {
        int port = Integer.parseInt(port());
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The value of the one sample of {@code family + suffix} with {@code labels} (0 when there is none yet). */
    private static double value(Map<String, Family> families, String family, String suffix,
            Map<String, String> labels) {
        Family found = families.get(family);
        assertNotNull(family, found);
        String name = "_".equals(suffix) ? family : family + suffix;
        List<Sample> samples = found.find(name, labels);
        if ("_".equals(suffix)) {
            return samples.stream().mapToDouble(Sample::value).sum();
        }
        assertTrue(name + labels + " is one sample: " + samples, samples.size() <= 1);
        return samples.isEmpty() ? 0 : samples.get(0).value();
    }

    /** How much the {@code _count} of histogram {@code family} with {@code labels} grew between two scrapes. */
    private static double delta(Map<String, Family> before, Map<String, Family> after, String family,
            Map<String, String> labels) {
        return value(after, family, "_count", labels) - value(before, family, "_count", labels);
    }
}

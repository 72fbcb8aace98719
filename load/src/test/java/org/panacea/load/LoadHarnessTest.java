package org.panacea.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.TimeValue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The harness itself, in a second or two and without any real server: the DICOM rewriting, and a whole run (fixtures,
 * every kind of work through JMH in this JVM, the report) against a stand-in that answers like a FHIR and DICOMweb
 * server. The measurements proper run only with -Pload.
 */
class LoadHarnessTest {

    private static final Path SAMPLE = Path.of("../bundles/records/src/test/resources/dicom/CT_small.dcm");

    @Test
    void newInstancesCarryTheNewIdentitiesAndTheSamePixels() throws IOException {
        byte[] sample = Files.readAllBytes(SAMPLE);
        DicomInstances instances = new DicomInstances(sample);
        String study = DicomInstances.newUid();
        String sop = DicomInstances.newUid();
        byte[] made = instances.withIdentity("LOAD-1", "LOAD^ONE", study, DicomInstances.newUid(), sop);

        String text = new String(made, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("LOAD-1") && text.contains(study), "new patient and study");
        // The SOP instance UID is in the data set and in the file meta header.
        assertEquals(2, text.split(java.util.regex.Pattern.quote(sop), -1).length - 1);
        String original = new String(sample, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"), "old study UID gone");
        assertTrue(original.contains("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"));
        // Pixels (the tail) unchanged.
        int tail = 128 * 128 * 2;
        assertArrayEquals(Arrays.copyOfRange(sample, sample.length - tail, sample.length),
                Arrays.copyOfRange(made, made.length - tail, made.length));
        // The file meta group length counts the longer UID: the rewritten file reads as the sample did.
        new DicomInstances(made).withIdentity("LOAD-2", "LOAD^TWO", DicomInstances.newUid(),
                DicomInstances.newUid(), DicomInstances.newUid());
        long metaLength = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(made, 140, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
        int datasetStart = 144 + (int) metaLength;
        assertEquals(0x0008, (made[datasetStart] & 0xFF) | (made[datasetStart + 1] & 0xFF) << 8,
                "the data set starts where the meta group length says");
    }

    @Test
    void requestsToATargetOfSeveralNodesTakeTheNodesInTurn() throws Exception {
        StandIn one = new StandIn();
        StandIn two = new StandIn();
        // A whole run in this JVM (another test) leaves its last point's tally file named; nothing to tally here.
        System.clearProperty(Operations.TALLY_PROPERTY);
        try {
            Target first = one.target();
            Target both = new Target("two-nodes", first.fhirBase() + "," + two.target().fhirBase(),
                    first.dicomWebBase() + "," + two.target().dicomWebBase(), first.user(), first.password());
            try (Operations operations = new Operations(both, null, null)) {
                for (int i = 0; i < 6; i++) {
                    assertTrue(operations.createPatient(operations.newIdentifier()) != null);
                }
            }
            assertEquals(3, one.ids.get(), "creates the first node answered");
            assertEquals(3, two.ids.get(), "creates the second node answered");
        } finally {
            one.http.stop(0);
            two.http.stop(0);
        }
    }

    @Test
    void aWholeRunAgainstAStandInWritesTheReport(@TempDir Path out) throws Exception {
        StandIn standIn = new StandIn();
        // JMH runs in this JVM here, and may find another build's JMH holding its machine-wide lock: no matter for
        // a stand-in (the real runs honour the lock, which keeps two measurements off the machine at once).
        System.setProperty("jmh.ignoreLock", "true");
        try {
            LoadRun.Settings settings = new LoadRun.Settings(List.of(2), TimeValue.seconds(0),
                    TimeValue.milliseconds(100), 1, List.of(Workload.values()), true, null, SAMPLE, 10, 2, 2, false,
                    Duration.ofSeconds(10), 1);
            Files.createDirectories(out.resolve("raw"));
            LoadRun run = new LoadRun(out, settings);
            run.measure("Stand-in", () -> standIn);
            run.measure("Missing peer", () -> {
                throw new IllegalStateException("not installed here");
            });

            assertEquals(Workload.values().length, run.measurements().size(), run.measurements().toString());
            for (Measurement m : run.measurements()) {
                assertTrue(m.measured(), m.toString());
                assertTrue(m.requestsPerSecond() > 0 && m.p99() >= m.p50(), m.toString());
                assertEquals(0, m.failed(), m.toString());
                assertNull(m.failure());
            }
            Measurement wado = run.measurements().get(Workload.WADO.ordinal());
            assertEquals(wado.requestsPerSecond() * StandIn.STUDY_BYTES / 1e6, wado.unitsPerSecond(), 1e-6);
            Measurement stow = run.measurements().get(Workload.STOW.ordinal());
            assertEquals(stow.requestsPerSecond() * Operations.INSTANCES_PER_STOW, stow.unitsPerSecond(), 1e-6);
            assertTrue(standIn.instancesStored.get() >= 2 * 2 + Operations.INSTANCES_PER_STOW);

            String report = new Report(run.measurements(), run.notes(), List.of("stand-in"), run.memories(), settings,
                    Instant.now(), Duration.ofSeconds(1), "0.10", "0.20", "test").markdown();
            assertTrue(report.contains("| FHIR Patient create, creates/s | 2 | "), report);
            assertTrue(report.contains("| WADO-RS study retrieval, MB/s | 2 | "), report);
            // The stand-in runs in this JVM: its resident memory is this process's, read after its load.
            assertEquals(1, run.memories().size(), run.memories().toString());
            assertTrue(run.memories().get(0).matches("Stand-in: [1-9][0-9]* MiB \\(peak [1-9][0-9]* MiB\\)"),
                    run.memories().toString());
            assertTrue(report.contains("Resident memory of each server after its load") && report.contains(
                    "- " + run.memories().get(0)), report);
            assertTrue(report.contains("Missing peer could not be started, so it was not measured: not installed here"),
                    report);
        } finally {
            System.clearProperty("jmh.ignoreLock");
            standIn.http.stop(0);
        }
    }

    @Test
    void figuresKeepThreeSignificantDigits() {
        assertEquals("12,300", Report.significant(12_345));
        assertEquals("123", Report.significant(123.4));
        assertEquals("12.3", Report.significant(12.34));
        assertEquals("1.23", Report.significant(1.234));
        assertEquals("0.123", Report.significant(0.1234));
    }

    /** Answers like a FHIR and DICOMweb server (statuses, Location, ids in bodies), keeping nothing but patients. */
    static final class StandIn implements Server {

        static final int STUDY_BYTES = 4096;

        final HttpServer http;
        final Map<String, String> patientsByIdentifier = new ConcurrentHashMap<>();
        final AtomicInteger ids = new AtomicInteger();
        final AtomicInteger instancesStored = new AtomicInteger();
        final java.util.Set<String> uidsStored = ConcurrentHashMap.newKeySet();

        StandIn() throws IOException {
            // Without it, Nagle's algorithm and delayed ACKs hold each small answer ~40 ms.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/fhir/Patient", this::fhir);
            http.createContext("/dicomweb/studies", this::dicomWeb);
            http.start();
        }

        private void fhir(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (exchange.getRequestMethod().equals("POST")) {
                String text = new String(body, StandardCharsets.UTF_8);
                int at = text.indexOf("\"value\":\"") + 9;
                String id = "p" + ids.incrementAndGet();
                patientsByIdentifier.put(text.substring(at, text.indexOf('"', at)), id);
                exchange.getResponseHeaders().add("Location", "http://x/fhir/Patient/" + id + "/_history/1");
                answer(exchange, 201, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
            } else if (query != null) {
                String identifier = URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
                String id = patientsByIdentifier.get(identifier.substring(identifier.indexOf('|') + 1));
                answer(exchange, 200, "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"id\":\"" + id
                        + "\"}}]}");
            } else {
                answer(exchange, 200, "{\"resourceType\":\"Patient\",\"id\":\""
                        + path.substring(path.lastIndexOf('/') + 1) + "\"}");
            }
        }

        private void dicomWeb(HttpExchange exchange) throws IOException {
            if (exchange.getRequestMethod().equals("POST")) {
                try (InputStream in = exchange.getRequestBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    instancesStored.addAndGet(body.split("DICM", -1).length - 1);
                    // QIDO answers list the studies stored: every UID the uploads held is remembered.
                    java.util.regex.Matcher uid = java.util.regex.Pattern.compile("2\\.25\\.[0-9]+").matcher(body);
                    while (uid.find()) {
                        uidsStored.add(uid.group());
                    }
                }
                answer(exchange, 200, "{}");
            } else if (exchange.getRequestURI().getRawQuery() != null
                    && exchange.getRequestURI().getRawQuery().startsWith("PatientID=")) {
                answer(exchange, 200, "[\"" + String.join("\",\"", uidsStored) + "\"]");
            } else if (exchange.getRequestURI().getPath().split("/").length == 4) {
                exchange.sendResponseHeaders(200, STUDY_BYTES);
                exchange.getResponseBody().write(new byte[STUDY_BYTES]);
                exchange.close();
            } else {
                answer(exchange, 200, "[]");
            }
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public java.util.Optional<ProcessHandle> process() {
            return java.util.Optional.of(ProcessHandle.current());
        }

        @Override
        public Target target() {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            return new Target("panacea", base + "/fhir", base + "/dicomweb", "clinician", "clinician");
        }

        @Override
        public String description() {
            return "stand-in";
        }

        @Override
        public void close() {
            // Stopped by the test, after its assertions.
        }
    }
}

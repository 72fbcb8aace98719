package org.panacea.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The soak's own logic in a few seconds against a stand-in node (the real soak runs only with -Psoak): the mix of
 * requests, the kill window, the read-back of every acknowledged write, the swap callers' answers, the heap slope and
 * the report's verdicts. The stand-in goes down on "kill" (it answers nothing until "restart") and can be told to
 * lose a write in the kill or to answer 500 while its plugin is swapped, so that each verdict is seen to fail too.
 */
class SoakRunTest {

    private static final Path SAMPLE = Path.of("../bundles/records/src/test/resources/dicom/CT_small.dcm");
    private static final SoakRun.Settings SHORT = new SoakRun.Settings(Duration.ofMillis(3000), 3,
            Duration.ofMillis(400), Duration.ofMillis(500), true, Duration.ofSeconds(10));

    private StandInNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.http.stop(0);
            node.executor.shutdownNow();
        }
    }

    @Test
    void aSoakCountsFailuresOnlyInTheKillWindowAndReadsEveryWriteBack(@TempDir Path out) throws Exception {
        node = new StandInNode(false, false);
        SoakReport report = run(out);

        for (SoakRun.Kind kind : SoakRun.Kind.values()) {
            assertTrue(report.requests().stream().anyMatch(r -> r.kind() == kind && r.ok()), kind + ": " + report);
        }
        assertTrue(report.killStart() > 0 && report.killEnd() > report.killStart());
        assertFalse(report.failedInsideKillWindow().isEmpty(), "requests sent while the node was down fail");
        assertTrue(report.failedInsideKillWindow().stream().allMatch(r -> r.status() == 0));
        assertEquals(List.of(), report.failedOutsideKillWindow());
        assertTrue(report.swaps().size() >= 4, report.swaps().toString());
        assertTrue(report.swaps().stream().allMatch(s -> s.error() == null));
        assertFalse(report.swapCallers().isEmpty(), "algorithm runs met the swaps");
        assertEquals(List.of(), report.uncleanSwapAnswers());

        // Every acknowledged write was checked against what the stand-in holds, and found.
        Map<String, SoakRun.Check> checks = new java.util.HashMap<>();
        report.checks().forEach(c -> checks.put(c.what().split(" ")[0], c));
        assertEquals(node.patients.size(), checks.get("FHIR").acknowledged());
        assertEquals(node.riskAssessments.size(), checks.get("RiskAssessments").acknowledged());
        assertEquals(node.derived.size(), checks.get("algorithm").acknowledged());
        assertEquals(node.studies.get(), checks.get("studies").acknowledged());
        assertEquals(0, report.lost());
        assertTrue(report.samples().size() >= 4, report.samples().toString());

        String md = report.markdown(Instant.now(), "0.10", "0.20");
        assertTrue(md.contains("- failed requests outside the kill window: **0** (goal: 0, met)"), md);
        assertTrue(md.contains("- acknowledged writes lost: **0** of "), md);
        assertTrue(md.contains("`audit:verify` after the run: `OK 42 entries verified`"), md);
        assertTrue(md.contains("| FHIR Patient create | "), md);
        long logged = Files.readAllLines(out.resolve("requests.csv")).size() - 1;
        assertEquals(report.requests().size(), logged, "every request's outcome is logged");
    }

    @Test
    void aWriteLostInTheKillAndA500DuringASwapAreReported(@TempDir Path out) throws Exception {
        node = new StandInNode(true, true);
        SoakReport report = run(out);

        assertEquals(1, report.lost(), report.checks().toString());
        assertTrue(report.checks().get(0).lost().get(0).startsWith(node.forgotten), report.checks().toString());
        assertFalse(report.uncleanSwapAnswers().isEmpty());
        assertTrue(report.uncleanSwapAnswers().stream().allMatch(r -> r.status() == 500));
        assertFalse(report.failedOutsideKillWindow().isEmpty());
        String md = report.markdown(Instant.now(), "0.10", "0.20");
        assertTrue(md.contains("acknowledged writes lost: **1** of ") && md.contains("(goal: 0, NOT met)"), md);
        assertTrue(md.contains("ALGORITHM 500: "), md);
    }

    @Test
    void theHeapSlopeIsFittedPerJvmAfterItsFirstSample() {
        // JVM 1: a warm-up jump, then flat; JVM 2 (after the kill): 3 MiB more every minute.
        List<SoakRun.Sample> samples = new ArrayList<>();
        samples.add(sample(0, 1, 50));
        for (int minute = 1; minute <= 5; minute++) {
            samples.add(sample(minute, 1, 120 + (minute % 2) * 0.5));
        }
        for (int minute = 6; minute <= 10; minute++) {
            samples.add(sample(minute, 2, 100 + 3 * (minute - 6)));
        }
        SoakReport report = new SoakReport("x", SHORT, List.of(), List.of(), samples, -1, -1, 600_000, List.of(),
                "OK", "a", List.of());
        Map<Long, List<SoakRun.Sample>> byJvm = report.samplesByProcess();
        assertEquals(0.0, SoakReport.heapSlope(byJvm.get(1L)), 0.2);
        assertEquals(3.0, SoakReport.heapSlope(byJvm.get(2L)), 1e-9);
        assertFalse(report.heapFlat(), "3 MiB a minute is a leak");
        assertTrue(new SoakReport("x", SHORT, List.of(), List.of(), samples.subList(0, 6), -1, -1, 1, List.of(),
                "OK", "a", List.of()).heapFlat());
        // Three samples of a JVM are too few to tell a trend from the warm-up: the report does not judge them.
        SoakReport shortRun = new SoakReport("x", SHORT, List.of(), List.of(), samples.subList(0, 3), -1, -1, 1,
                List.of(), "OK", "a", List.of());
        assertTrue(Double.isNaN(SoakReport.heapSlope(samples.subList(0, 3))));
        assertTrue(shortRun.markdown(Instant.now(), "0", "0").contains("- heap after GC: **not judged** (fewer "
                + "than 5 samples in each JVM;"), shortRun.markdown(Instant.now(), "0", "0"));
        assertEquals(3, SoakReport.percentile(new long[] { 1, 2, 3, 4 }, 50) + 1);
        assertEquals(100, SoakReport.percentile(java.util.stream.LongStream.rangeClosed(1, 100).toArray(), 99) + 1);
        assertEquals(Duration.ofMinutes(30), SoakRun.duration("30m"));
        assertEquals(Duration.ofSeconds(20), SoakRun.duration("20s"));
    }

    private static SoakRun.Sample sample(double minute, long pid, double heapMib) {
        return new SoakRun.Sample((long) (minute * 60_000), new SoakNode.Memory(pid, (long) (heapMib * 1048576),
                400L << 20), "0.5");
    }

    private SoakReport run(Path out) throws Exception {
        return new SoakRun(node, SHORT, out, new DicomInstances(Files.readAllBytes(SAMPLE))).run();
    }

    /**
     * Answers like the node's FHIR, DICOMweb and engine API, keeping what it acknowledged. Down (no answer at all)
     * from "kill" until "restart"; while its plugin is "swapped" the algorithm waits (as the engine's grace period
     * does) or, if told to, answers 500.
     */
    static final class StandInNode implements SoakNode {

        private static final Pattern UID = Pattern.compile("2\\.25\\.\\d+");

        final HttpServer http;
        final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(4);
        final Set<String> patients = ConcurrentHashMap.newKeySet();
        final Set<String> riskAssessments = ConcurrentHashMap.newKeySet();
        final Set<String> derived = ConcurrentHashMap.newKeySet();
        /** Every UID of a STOW request's body, under each of them (the study's, the series', the instances'). */
        final Map<String, Set<String>> stored = new ConcurrentHashMap<>();
        final AtomicInteger studies = new AtomicInteger();
        final AtomicInteger ids = new AtomicInteger();
        private final boolean loseOnKill;
        private final boolean failDuringSwap;
        private volatile boolean down;
        private volatile boolean swapping;
        private volatile String lastPatient;
        volatile String forgotten;

        StandInNode(boolean loseOnKill, boolean failDuringSwap) throws IOException {
            this.loseOnKill = loseOnKill;
            this.failDuringSwap = failDuringSwap;
            System.setProperty("sun.net.httpserver.nodelay", "true");
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(executor);
            http.createContext("/", this::handle);
            http.start();
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down) {
                // A killed node: the connection ends without an answer.
                exchange.close();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            boolean post = exchange.getRequestMethod().equals("POST");
            if (post && path.equals("/fhir/Patient")) {
                String id = "p" + ids.incrementAndGet();
                patients.add(id);
                lastPatient = id;
                exchange.getResponseHeaders().add("Location", "http://x/fhir/Patient/" + id + "/_history/1");
                answer(exchange, 201, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
            } else if (path.startsWith("/fhir/Patient/")) {
                read(exchange, patients, path);
            } else if (path.startsWith("/fhir/RiskAssessment/")) {
                read(exchange, riskAssessments, path);
            } else if (post && path.equals("/dicomweb/studies")) {
                Set<String> uids = ConcurrentHashMap.newKeySet();
                Matcher m = UID.matcher(new String(body, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    uids.add(m.group());
                }
                uids.forEach(uid -> stored.put(uid, uids));
                studies.incrementAndGet();
                answer(exchange, 200, "{}");
            } else if (path.startsWith("/dicomweb/studies/") && path.endsWith("/instances")) {
                String study = path.split("/")[3];
                answer(exchange, stored.containsKey(study) ? 200 : 404, String.join(",",
                        stored.getOrDefault(study, Set.of())));
            } else if (path.startsWith("/dicomweb/studies/") && path.contains("/instances/")) {
                String sop = path.substring(path.lastIndexOf('/') + 1);
                if (derived.contains(sop)) {
                    byte[] file = new byte[200];
                    System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, file, 128, 4);
                    exchange.sendResponseHeaders(200, file.length);
                    exchange.getResponseBody().write(file);
                    exchange.close();
                } else {
                    answer(exchange, 404, "{}");
                }
            } else if (post && path.startsWith("/api/algorithms/") && path.endsWith("/$run")) {
                if (swapping && failDuringSwap) {
                    answer(exchange, 500, "{\"resourceType\":\"OperationOutcome\"}");
                    return;
                }
                while (swapping) {
                    sleep(5);
                }
                String source = new String(body, StandardCharsets.UTF_8).replaceAll(".*\"instance\":\"([^\"]+)\".*",
                        "$1");
                if (!stored.containsKey(source)) {
                    answer(exchange, 404, "{}");
                    return;
                }
                String sop = "2.25." + UUID.randomUUID().getMostSignificantBits();
                derived.add(sop);
                answer(exchange, 200, "{\"instance\":\"" + source + "\",\"derivedInstance\":{\"sopInstanceUid\":\""
                        + sop + "\",\"seriesInstanceUid\":\"2.25.1\",\"studyInstanceUid\":\"2.25.2\"}}");
            } else if (post && path.startsWith("/api/models/") && path.endsWith("/$predict")) {
                String patient = new String(body, StandardCharsets.UTF_8).replaceAll(".*\"patient\":\"([^\"]+)\".*",
                        "$1");
                if (!patients.contains(patient)) {
                    answer(exchange, 404, "{}");
                    return;
                }
                String id = "r" + ids.incrementAndGet();
                riskAssessments.add(id);
                answer(exchange, 200, "{\"riskAssessment\":\"RiskAssessment/" + id + "\"}");
            } else {
                answer(exchange, 404, "{}");
            }
        }

        private static void read(HttpExchange exchange, Set<String> held, String path) throws IOException {
            String id = path.substring(path.lastIndexOf('/') + 1);
            answer(exchange, held.contains(id) ? 200 : 404, "{\"id\":\"" + id + "\"}");
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public Target target() {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            return new Target("stand-in", base + "/fhir", base + "/dicomweb", "clinician", "clinician");
        }

        @Override
        public String description() {
            return "stand-in";
        }

        @Override
        public String swappedAlgorithm() {
            return "imaging.stand-in";
        }

        @Override
        public String swapPlugin(int n) {
            swapping = true;
            sleep(150);
            swapping = false;
            return "swap " + n;
        }

        @Override
        public void kill() {
            down = true;
            if (loseOnKill && lastPatient != null) {
                // The last acknowledged create did not survive: what a write acknowledged before it was durable does.
                forgotten = lastPatient;
                patients.remove(lastPatient);
            }
        }

        @Override
        public boolean restart(Duration limit) {
            sleep(400);
            down = false;
            return true;
        }

        @Override
        public Memory memory() {
            return down ? null : new Memory(ProcessHandle.current().pid(), 100L << 20, 300L << 20);
        }

        @Override
        public String auditVerify() {
            return "OK 42 entries verified";
        }

        @Override
        public void close() {
            // Stopped by the test.
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.panacea.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The soak: mixed load on one node for a long time (30 minutes by default) while an administrator swaps a plugin every
 * minute, with one {@code kill -9} of the node in the middle and {@code bin/start} again; then every write the node
 * acknowledged is read back and the audit trail checks its chain. What it shows: requests fail only while the node
 * is down, nothing acknowledged is lost, the heap after a full collection stays flat, a swap gives no 500.
 *
 * <p>Several client threads each send their next request as soon as the last is answered, the kind drawn at random
 * by weight: a FHIR Patient created, a Patient read by id (one the soak created), a small study stored (STOW-RS),
 * the swapped plugin's algorithm run on a stored instance (its result is stored as a new DICOM instance), a prediction
 * model run for a created patient (it stores a RiskAssessment). Every request's outcome goes to
 * {@code requests.csv}; every acknowledged create is kept for the check at the end. A failed request is followed by
 * a pause of 250 ms, so that a node that is down is not hammered and its outage does not swamp the counts.
 *
 * <p>Settings (system properties): {@code soak.duration} (30m; s, m or h), {@code soak.clients} (6),
 * {@code soak.swap.every} (1m), {@code soak.sample.every} (1m), {@code soak.kill} (true; in the middle of the run),
 * {@code load.home}, {@code load.out}, {@code load.dicom.sample}, {@code load.postgres.url},
 * {@code load.start.seconds}.
 */
public final class SoakRun {

    /** The kinds of request and their weights in the mix. */
    enum Kind {
        CREATE("FHIR Patient create", 25),
        READ("FHIR Patient read by id", 35),
        STOW("STOW-RS of a new study (" + Operations.INSTANCES_PER_STOW + " instances)", 10),
        ALGORITHM("algorithm run (the swapped plugin's), result stored", 15),
        MODEL("prediction model run, RiskAssessment stored", 15);

        final String label;
        final int weight;

        Kind(String label, int weight) {
            this.label = label;
            this.weight = weight;
        }
    }

    static final String MODEL = "prediction.cha2ds2-vasc";
    static final String MODEL_INPUTS = "{\"congestive_heart_failure\":false,\"hypertension\":true,\"age\":70,"
            + "\"diabetes\":false,\"stroke_tia_thromboembolism\":false,\"vascular_disease\":false,\"female\":true}";
    /** A client's pause after a failed request: a node that is down is not hammered by connection attempts. */
    static final long FAILURE_PAUSE_MILLIS = 250;
    static final String ALGORITHM_PARAMETERS = "{\"center\":40,\"width\":400}";

    record Settings(Duration duration, int clients, Duration swapEvery, Duration sampleEvery, boolean kill,
            Duration startLimit) {

        static Settings fromSystemProperties() {
            return new Settings(SoakRun.duration(System.getProperty("soak.duration", "30m")),
                    Integer.getInteger("soak.clients", 6),
                    SoakRun.duration(System.getProperty("soak.swap.every", "1m")),
                    SoakRun.duration(System.getProperty("soak.sample.every", "1m")),
                    Boolean.parseBoolean(System.getProperty("soak.kill", "true")),
                    Duration.ofSeconds(Integer.getInteger("load.start.seconds", 300)));
        }
    }

    /** One request: when it started and ended (ms from the start of the load), its outcome and HTTP status. */
    record Request(Kind kind, long start, long end, boolean ok, int status, String failure) {
        long millis() {
            return end - start;
        }
    }

    /** One plugin swap: from when to when (ms), the command, and why it failed (null: it did not). */
    record Swap(long start, long end, String command, String error) {
    }

    /** The memory after a full collection at {@code at} ms, and the machine's load average then. */
    record Sample(long at, SoakNode.Memory memory, String load) {
    }

    /** What the check at the end found: how many acknowledged writes of a kind were read back, and those lost. */
    record Check(String what, int acknowledged, List<String> lost) {
    }

    private final SoakNode node;
    private final Settings settings;
    private final Path out;
    private final Operations operations;

    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Swap> swaps = Collections.synchronizedList(new ArrayList<>());
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    // Acknowledged writes. Lists only grow, and a client reads one element after asking the size: synchronized
    // lists suffice (copy-on-write ones would copy tens of thousands of ids per create).
    private final List<String> patients = Collections.synchronizedList(new ArrayList<>());
    private final List<Operations.Stored> studies = Collections.synchronizedList(new ArrayList<>());
    private final List<String[]> instances = Collections.synchronizedList(new ArrayList<>());
    private final List<Operations.Derived> derived = Collections.synchronizedList(new ArrayList<>());
    private final List<String> riskAssessments = Collections.synchronizedList(new ArrayList<>());
    private volatile long killStart = -1;
    private volatile long killEnd = -1;
    private long startNanos;
    private BufferedWriter log;

    SoakRun(SoakNode node, Settings settings, Path out, DicomInstances dicom) {
        this.node = node;
        this.settings = settings;
        this.out = out;
        this.operations = new Operations(node.target(), null, dicom);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("load.out", "target/soak")).toAbsolutePath();
        Path home = Path.of(System.getProperty("load.home", "target/panacea")).toAbsolutePath();
        Path sample = Path.of(System.getProperty("load.dicom.sample",
                "bundles/records/src/test/resources/dicom/CT_small.dcm"));
        Settings settings = Settings.fromSystemProperties();
        Files.createDirectories(out);
        String loadBefore = LoadRun.loadAverage();
        Instant started = Instant.now();
        System.out.println("[soak] starting Panacea ...");
        try (SoakNode node = new PanaceaSoakNode(PanaceaServer.start(home, System.getProperty("load.postgres.url"),
                settings.startLimit()))) {
            SoakRun run = new SoakRun(node, settings, out, new DicomInstances(Files.readAllBytes(sample)));
            SoakReport report = run.run();
            String markdown = report.markdown(started, loadBefore, LoadRun.loadAverage());
            Files.writeString(out.resolve("soak-report.md"), markdown);
            System.out.println();
            System.out.println(markdown);
            System.out.println("[soak] report: " + out.resolve("soak-report.md") + ", every request: "
                    + out.resolve("requests.csv"));
        }
    }

    /** The whole soak against the node, which is already serving; the report of it. */
    SoakReport run() throws Exception {
        log = Files.newBufferedWriter(out.resolve("requests.csv"));
        log.write("start_ms,end_ms,kind,ok,status,failure\n");
        startNanos = System.nanoTime();
        long end = settings.duration().toMillis();
        sample();

        ExecutorService clients = Executors.newFixedThreadPool(settings.clients());
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            running.add(clients.submit(() -> {
                while (now() < end) {
                    request(pick());
                }
                return null;
            }));
        }
        // This thread is the administrator: swaps, samples, the kill, each at its time.
        long nextSwap = settings.swapEvery().toMillis();
        long nextSample = settings.sampleEvery().toMillis();
        long killAt = settings.kill() ? end / 2 : Long.MAX_VALUE;
        int swapCount = 0;
        while (now() < end) {
            if (now() >= killAt) {
                killAt = Long.MAX_VALUE;
                killAndRestart();
                // What fell due while the node was down is not made up in a burst: the next ones keep the rhythm.
                while (nextSwap <= now()) {
                    nextSwap += settings.swapEvery().toMillis();
                }
                while (nextSample <= now()) {
                    nextSample += settings.sampleEvery().toMillis();
                }
            }
            if (now() >= nextSwap && now() < end) {
                swap(swapCount++);
                nextSwap += settings.swapEvery().toMillis();
            }
            if (now() >= nextSample && now() < end) {
                sample();
                nextSample += settings.sampleEvery().toMillis();
            }
            Thread.sleep(Math.max(1, Math.min(200, end - now())));
        }
        for (Future<?> client : running) {
            client.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
        long loadEnd = now();
        sample();
        synchronized (log) {
            log.close();
        }
        System.out.println("[soak] load over after " + loadEnd / 1000 + " s: " + requests.size()
                + " requests; reading back every acknowledged write ...");

        List<Check> checks = new ArrayList<>();
        checks.add(check("FHIR Patients created", patients, operations::readPatient, id -> id));
        checks.add(check("studies stored (every instance listed by QIDO-RS)", studies,
                s -> operations.listInstances(s.studyUid(), s.seriesUid(), s.sopInstanceUids()),
                Operations.Stored::studyUid));
        checks.add(check("algorithm results stored (the derived instance retrieved)", derived,
                d -> operations.retrieveInstance(d.studyUid(), d.seriesUid(), d.sopInstanceUid()),
                Operations.Derived::sopInstanceUid));
        checks.add(check("RiskAssessments stored by model runs", riskAssessments,
                id -> operations.readResource("RiskAssessment", id), id -> id));
        String audit;
        try {
            audit = node.auditVerify();
        } catch (Exception e) {
            audit = "(audit:verify could not be run: " + e.getMessage() + ")";
        }
        return new SoakReport(node.description(), settings, List.copyOf(requests), List.copyOf(swaps),
                List.copyOf(samples), killStart, killEnd, loadEnd, checks, audit, node.swappedAlgorithm(),
                List.copyOf(notes));
    }

    private long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The kind of the next request, by weight; what needs a patient or an instance waits until there is one. */
    private Kind pick() {
        int total = 0;
        for (Kind kind : Kind.values()) {
            total += kind.weight;
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        Kind kind = Kind.CREATE;
        for (Kind k : Kind.values()) {
            draw -= k.weight;
            if (draw < 0) {
                kind = k;
                break;
            }
        }
        if ((kind == Kind.READ || kind == Kind.MODEL) && patients.isEmpty()) {
            return Kind.CREATE;
        }
        if (kind == Kind.ALGORITHM && instances.isEmpty()) {
            return Kind.STOW;
        }
        return kind;
    }

    private void request(Kind kind) {
        long start = now();
        boolean ok;
        switch (kind) {
            case CREATE -> {
                String id = operations.createPatient(operations.newIdentifier());
                ok = id != null;
                if (ok) {
                    patients.add(id);
                }
            }
            case READ -> ok = operations.readPatient(any(patients));
            case STOW -> {
                Operations.Stored stored = operations.storeStudyOf(Operations.INSTANCES_PER_STOW);
                ok = stored != null;
                if (ok) {
                    studies.add(stored);
                    for (String sop : stored.sopInstanceUids()) {
                        instances.add(new String[] { stored.studyUid(), sop });
                    }
                }
            }
            case ALGORITHM -> {
                Operations.Derived result = operations.runAlgorithm(node.swappedAlgorithm(), any(instances)[1],
                        ALGORITHM_PARAMETERS);
                ok = result != null;
                if (ok) {
                    derived.add(result);
                }
            }
            case MODEL -> {
                String id = operations.predict(MODEL, any(patients), MODEL_INPUTS);
                ok = id != null;
                if (ok) {
                    riskAssessments.add(id);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        Request request = new Request(kind, start, now(), ok, operations.lastStatus(), operations.lastFailure());
        requests.add(request);
        record(request);
        if (!ok) {
            pause(FAILURE_PAUSE_MILLIS);
        }
    }

    private void record(Request r) {
        String failure = r.failure() == null ? "" : "\"" + r.failure().replace("\"", "'").replace('\n', ' ') + "\"";
        synchronized (log) {
            try {
                log.write(r.start() + "," + r.end() + "," + r.kind() + "," + r.ok() + "," + r.status() + ","
                        + failure + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void swap(int n) {
        long start = now();
        String command = "swap " + n;
        String error = null;
        try {
            command = node.swapPlugin(n);
        } catch (Exception e) {
            error = e.getMessage();
        }
        swaps.add(new Swap(start, now(), command, error));
        System.out.println("[soak] " + start / 1000 + " s: " + command + (error == null ? "" : " FAILED: " + error)
                + " (" + requests.size() + " requests so far)");
    }

    private void sample() {
        long at = now();
        SoakNode.Memory memory = node.memory();
        if (memory != null) {
            samples.add(new Sample(at, memory, LoadRun.loadAverage()));
            System.out.printf(Locale.ROOT, "[soak] %d s: heap after GC %.1f MiB, resident %.1f MiB, load %s%n",
                    at / 1000, memory.heapAfterGc() / 1048576.0, memory.resident() / 1048576.0,
                    LoadRun.loadAverage());
        }
    }

    private void killAndRestart() {
        killStart = now();
        System.out.println("[soak] " + killStart / 1000 + " s: kill -9 of the node");
        node.kill();
        boolean up = node.restart(settings.startLimit());
        killEnd = now();
        System.out.println("[soak] " + killEnd / 1000 + " s: " + (up ? "serving again after bin/start"
                : "NOT serving " + settings.startLimit().toSeconds() + " s after bin/start"));
        if (!up) {
            notes.add("The node did not serve again within " + settings.startLimit().toSeconds()
                    + " s of bin/start after the kill.");
        }
    }

    /** Reads back every acknowledged write of a kind with the clients' threads; one retry before calling it lost. */
    private <T> Check check(String what, List<T> written, Predicate<T> readsBack,
            java.util.function.Function<T, String> name) throws Exception {
        List<T> all = List.copyOf(written);
        List<String> lost = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(settings.clients());
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            running.add(readers.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < all.size(); ) {
                    T item = all.get(i);
                    if (!readsBack.test(item) && !readsBack.test(item)) {
                        lost.add(name.apply(item) + " (" + operations.lastFailure() + ")");
                    }
                }
                return null;
            }));
        }
        for (Future<?> reader : running) {
            reader.get();
        }
        readers.shutdown();
        System.out.println("[soak] " + what + ": " + all.size() + " acknowledged, " + lost.size() + " not read back");
        return new Check(what, all.size(), List.copyOf(lost));
    }

    private static <T> T any(List<T> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long value = Long.parseLong(t.replaceAll("[a-z]+$", ""));
        return switch (t.replaceAll("^[0-9]+", "")) {
            case "ms" -> Duration.ofMillis(value);
            case "s", "" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            default -> throw new IllegalArgumentException("a duration like 30s, 30m or 1h: " + text);
        };
    }
}

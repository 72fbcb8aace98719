package org.panacea.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The load run: Panacea, then HAPI FHIR, then Orthanc, one at a time on this machine with the clients beside them.
 * Each server gets fixtures (patients, studies), then every kind of work it serves at every client count, each point
 * one JMH run in a forked JVM. The report (Markdown) and the raw results (CSV, JMH's JSON and logs) go to the output
 * folder. A server that cannot be started is named in the report with the reason; the others are still measured.
 *
 * <p>Settings are system properties, all optional: {@code load.out} (output folder), {@code load.home} (the unpacked
 * distribution), {@code load.clients} (1,8,64), {@code load.warmup} (5s), {@code load.time} (10s),
 * {@code load.iterations} (1), {@code load.workloads} (all, or some of create,read,search,stow,wado),
 * {@code load.peers} (true), {@code load.postgres.url} (Panacea, and HAPI, on that PostgreSQL database),
 * {@code load.dicom.sample} (the DICOM file STOW-RS sends), {@code load.patients} (500 stored for reads and
 * searches), {@code load.studies} (8 stored for retrievals) of {@code load.study.instances} (16) instances each,
 * {@code load.fork} (true: each point in its own JVM), {@code load.nodes} (1: more start that many Panacea nodes on
 * the PostgreSQL database of {@code load.postgres.url}, the clients taking them in turn).
 */
public final class LoadRun {

    private final Path out;
    private final Settings settings;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> servers = new ArrayList<>();
    private final List<String> memories = new ArrayList<>();

    /** The measurement settings (see the class comment for their properties and defaults). */
    record Settings(List<Integer> clients, TimeValue warmup, TimeValue time, int iterations, List<Workload> workloads,
            boolean peers, String postgresUrl, Path dicomSample, int patients, int studies, int studyInstances,
            boolean fork, Duration startLimit, int nodes) {

        static Settings fromSystemProperties() {
            String workloads = System.getProperty("load.workloads", "all").strip();
            return new Settings(
                    Arrays.stream(System.getProperty("load.clients", "1,8,64").split(",")).map(String::strip)
                            .map(Integer::valueOf).toList(),
                    TimeValue.fromString(System.getProperty("load.warmup", "5s")),
                    TimeValue.fromString(System.getProperty("load.time", "10s")),
                    Integer.getInteger("load.iterations", 1),
                    workloads.equals("all") ? List.of(Workload.values())
                            : Arrays.stream(workloads.split(",")).map(w -> Workload.valueOf(
                                    w.strip().toUpperCase(Locale.ROOT))).toList(),
                    Boolean.parseBoolean(System.getProperty("load.peers", "true")),
                    blankToNull(System.getProperty("load.postgres.url")),
                    Path.of(System.getProperty("load.dicom.sample",
                            "bundles/records/src/test/resources/dicom/CT_small.dcm")),
                    Integer.getInteger("load.patients", 500),
                    Integer.getInteger("load.studies", 8),
                    Integer.getInteger("load.study.instances", 16),
                    Boolean.parseBoolean(System.getProperty("load.fork", "true")),
                    Duration.ofSeconds(Integer.getInteger("load.start.seconds", 300)),
                    Integer.getInteger("load.nodes", 1));
        }
    }

    LoadRun(Path out, Settings settings) {
        this.out = out;
        this.settings = settings;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(System.getProperty("load.out", "target/load")).toAbsolutePath();
        Path home = Path.of(System.getProperty("load.home", "target/panacea")).toAbsolutePath();
        Settings settings = Settings.fromSystemProperties();
        Files.createDirectories(out.resolve("raw"));
        LoadRun run = new LoadRun(out, settings);
        String before = loadAverage();
        Instant started = Instant.now();

        if (settings.nodes() > 1) {
            run.measure("Panacea, " + settings.nodes() + " nodes", () -> PanaceaNodes.start(home, settings.nodes(),
                    settings.postgresUrl(), settings.startLimit()));
        } else {
            run.measure("Panacea", () -> PanaceaServer.start(home, settings.postgresUrl(), settings.startLimit()));
        }
        if (settings.peers()) {
            if (settings.workloads().stream().anyMatch(w -> w.fhir)) {
                run.measure("HAPI FHIR", () -> HapiServer.start(out.resolve("hapi"), settings.postgresUrl(),
                        settings.startLimit()));
            }
            if (settings.workloads().stream().anyMatch(w -> !w.fhir)) {
                run.measure("Orthanc", () -> OrthancServer.start(out.resolve("orthanc"), true,
                        settings.startLimit()));
            }
        } else {
            run.notes.add("Peers not run (-Dload.peers=false).");
        }

        Report report = new Report(run.measurements, run.notes, run.servers, run.memories, settings, started,
                Duration.between(started, Instant.now()), before, loadAverage(), machine());
        Files.writeString(out.resolve("report.md"), report.markdown());
        Files.writeString(out.resolve("results.csv"), report.csv());
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("[load] report: " + out.resolve("report.md") + ", raw results: " + out.resolve("raw"));
    }

    /** Starts one server, measures everything it serves, stops it. */
    void measure(String name, Supplier<Server> starter) {
        System.out.println("[load] starting " + name + " ...");
        Server server;
        try {
            server = starter.get();
        } catch (RuntimeException e) {
            String why = name + " could not be started, so it was not measured: " + e.getMessage();
            System.out.println("[load] " + why);
            notes.add(why);
            return;
        }
        try {
            servers.add(server.description());
            Target target = server.target();
            List<Workload> work = settings.workloads().stream().filter(w -> w.servedBy(target)).toList();
            System.out.println("[load] " + server.description() + ": storing fixtures ...");
            Fixtures fixtures = seed(target, work);
            Path fixturesFile = out.resolve("raw/" + target.name() + "-fixtures.properties");
            fixtures.write(fixturesFile);
            for (Workload workload : work) {
                for (int clients : settings.clients()) {
                    Measurement m = point(target, workload, clients, fixturesFile);
                    measurements.add(m);
                    System.out.println("[load] " + Report.line(m));
                }
            }
            // After the load, before the stop: what the server holds in memory once it has served every point.
            server.process().flatMap(Server::residentMemory).ifPresent(memory -> {
                memories.add(name + ": " + memory);
                System.out.println("[load] " + name + " resident memory after the load: " + memory);
            });
        } catch (RuntimeException e) {
            String why = name + " failed during the run: " + e;
            System.out.println("[load] " + why);
            notes.add(why);
        } finally {
            System.out.println("[load] stopping " + name + " ...");
            server.close();
        }
    }

    /** Stores the patients that reads and searches ask for and the studies that retrievals fetch. */
    Fixtures seed(Target target, List<Workload> work) {
        String runId = "r" + Long.toString(System.currentTimeMillis(), 36);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        List<String> identifiers = Collections.synchronizedList(new ArrayList<>());
        List<String> studies = Collections.synchronizedList(new ArrayList<>());
        List<String> studyPatients = new ArrayList<>();
        long studyBytes = 0;
        try (Operations operations = new Operations(target, null, dicomSample())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> pending = new ArrayList<>();
                if (work.stream().anyMatch(w -> w == Workload.READ || w == Workload.SEARCH)) {
                    for (int i = 0; i < settings.patients(); i++) {
                        pending.add(pool.submit(() -> {
                            String identifier = operations.newIdentifier();
                            String id = operations.createPatient(identifier);
                            if (id != null) {
                                synchronized (ids) {
                                    ids.add(id);
                                    identifiers.add(identifier);
                                }
                            }
                        }));
                    }
                }
                if (work.contains(Workload.WADO) || work.contains(Workload.QIDO)) {
                    for (int i = 0; i < settings.studies(); i++) {
                        pending.add(pool.submit(() -> {
                            Operations.Stored stored = operations.storeStudyOf(settings.studyInstances());
                            if (stored != null) {
                                synchronized (studies) {
                                    studies.add(stored.studyUid());
                                    studyPatients.add(stored.patientId());
                                }
                            }
                        }));
                    }
                }
                for (Future<?> f : pending) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException("storing fixtures: " + e, e);
            } finally {
                pool.shutdownNow();
            }
            if (operations.failed() > 0) {
                throw new IllegalStateException(operations.failed() + " fixtures were refused, the first: "
                        + operations.firstFailure());
            }
            if (!studies.isEmpty()) {
                studyBytes = operations.retrieveStudy(studies.get(0));
            }
        }
        return new Fixtures(List.copyOf(ids), List.copyOf(identifiers), List.copyOf(studies),
                List.copyOf(studyPatients), studyBytes, runId);
    }

    /** One JMH run: the work from {@code clients} threads. */
    Measurement point(Target target, Workload workload, int clients, Path fixturesFile) {
        String name = target.name() + "-" + workload.name().toLowerCase(Locale.ROOT) + "-" + clients;
        Path tally = out.resolve("raw/" + name + ".tally");
        List<String> properties = new ArrayList<>(target.asJvmOptions());
        properties.add("-D" + Fixtures.PROPERTY + "=" + fixturesFile);
        properties.add("-D" + Operations.TALLY_PROPERTY + "=" + tally);
        properties.add("-D" + Operations.SAMPLE_PROPERTY + "=" + settings.dicomSample().toAbsolutePath());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(workload.include())
                .threads(clients)
                .warmupIterations(settings.warmup().getTime() > 0 ? 1 : 0)
                .warmupTime(settings.warmup())
                .measurementIterations(settings.iterations())
                .measurementTime(settings.time())
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("raw/" + name + ".json").toString())
                .output(out.resolve("raw/" + name + ".log").toString())
                .shouldFailOnError(true);
        if (settings.fork()) {
            options.forks(1).jvmArgs(concat(List.of("-Xms256m", "-Xmx1g"), properties).toArray(String[]::new));
        } else {
            // In this JVM (the harness's own test): the properties the fork would get are set here.
            options.forks(0);
            properties.forEach(p -> {
                String[] kv = p.substring(2).split("=", 2);
                System.setProperty(kv[0], kv[1]);
            });
        }
        RunResult result;
        try {
            result = new Runner(options.build()).runSingle();
        } catch (RunnerException | RuntimeException e) {
            return Measurement.failed(target.name(), workload, clients, "JMH: " + rootMessage(e)
                    + " (" + out.resolve("raw/" + name + ".log") + ")");
        }
        var statistics = result.getPrimaryResult().getStatistics();
        // Requests per second by Little's law: every client is busy all the time (it sends the next request as the
        // last answer arrives), so the rate is clients / mean latency. JMH times every request here (the sample
        // buffer only thins out past millions). Dividing JMH's operation count by the nominal iteration time would
        // overstate the rate when latencies near the iteration time: requests still open at its end are finished
        // and counted after it.
        double requestsPerSecond = statistics.getN() == 0 ? 0 : clients * 1000.0 / statistics.getMean();
        Properties counted = readTally(tally);
        long succeeded = Long.parseLong(counted.getProperty("succeeded", "0"));
        long failed = Long.parseLong(counted.getProperty("failed", "0"));
        double bytesPerRequest = succeeded == 0 ? 0
                : Long.parseLong(counted.getProperty("bytes", "0")) / (double) succeeded;
        String failure = counted.getProperty("firstFailure");
        if (failed > 0 && failed * 2 > succeeded + failed) {
            return Measurement.failed(target.name(), workload, clients,
                    failed + " of " + (succeeded + failed) + " requests failed, the first: " + failure);
        }
        return new Measurement(target.name(), workload, clients, requestsPerSecond,
                workload.units(requestsPerSecond, bytesPerRequest), statistics.getPercentile(50),
                statistics.getPercentile(99), succeeded + failed, failed, failure);
    }

    private DicomInstances dicomSample() {
        try {
            return new DicomInstances(Files.readAllBytes(settings.dicomSample()));
        } catch (IOException e) {
            throw new UncheckedIOException("the DICOM sample " + settings.dicomSample() + ": " + e.getMessage(), e);
        }
    }

    private static Properties readTally(Path tally) {
        Properties properties = new Properties();
        if (Files.exists(tally)) {
            try (Reader in = Files.newBufferedReader(tally)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    /** The one-minute load average, or "?" where the system does not tell. */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "?" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    List<Measurement> measurements() {
        return measurements;
    }

    List<String> memories() {
        return memories;
    }

    List<String> notes() {
        return notes;
    }
}

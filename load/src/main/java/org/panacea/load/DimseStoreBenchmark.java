package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * C-STORE throughput: dcmtk's {@code storescu} sends the same instances (copies of a CT and an MR sample under new
 * identifiers, a new patient, study and series every 50) to the built distribution and to Orthanc, one after the
 * other in the same run, with one association and with four at once. {@code TCP_NODELAY=1} is set for storescu and
 * Orthanc (both dcmtk: without it each response waits on Nagle's algorithm and the rate means nothing). Each
 * association count stores a set of instances of its own, so no store is a duplicate. Prints and writes
 * {@code dimse-report.md}: instances/s of each and the ratio Panacea / Orthanc.
 */
public final class DimseStoreBenchmark {

    private DimseStoreBenchmark() {
    }

    private record Rate(int instances, double seconds) {
        double perSecond() {
            return instances / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("load.home"));
        Path out = Path.of(System.getProperty("load.out"));
        int count = Integer.getInteger("dimse.instances", 500);
        List<Integer> associations = List.of(1, 4);
        Path samples = Path.of(System.getProperty("dimse.samples"));
        Files.createDirectories(out);
        List<List<Path>> sets = new ArrayList<>();
        for (int set = 0; set < associations.size(); set++) {
            sets.add(instances(samples, out.resolve("dimse-instances-" + set), count, set));
        }
        String load = Files.readString(Path.of("/proc/loadavg")).trim();

        List<Rate> panacea = new ArrayList<>();
        int dicomPort = Server.freePort();
        PanaceaServer.edit(home.resolve("etc/org.panacea.dicom.cfg"), "port", "port = " + dicomPort);
        try (PanaceaServer server = PanaceaServer.start(home, null, Duration.ofMinutes(3))) {
            awaitEcho("PANACEA", dicomPort);
            for (int i = 0; i < associations.size(); i++) {
                panacea.add(store("PANACEA", dicomPort, sets.get(i), associations.get(i)));
            }
        }
        List<Rate> orthanc = new ArrayList<>();
        try (OrthancServer server = OrthancServer.start(out.resolve("orthanc-dimse"), true, Duration.ofMinutes(2))) {
            awaitEcho("ORTHANC", server.dicomPort());
            for (int i = 0; i < associations.size(); i++) {
                orthanc.add(store("ORTHANC", server.dicomPort(), sets.get(i), associations.get(i)));
            }
        }

        StringBuilder report = new StringBuilder("# C-STORE with dcmtk's storescu, " + count + " instances\n\n"
                + "Load average before: " + load + "; after: " + Files.readString(Path.of("/proc/loadavg")).trim()
                + "\n\n| associations | Panacea instances/s | Orthanc instances/s | Panacea / Orthanc |\n"
                + "|---|---|---|---|\n");
        for (int i = 0; i < associations.size(); i++) {
            report.append(String.format("| %d | %.1f | %.1f | %.2fx |%n", associations.get(i),
                    panacea.get(i).perSecond(), orthanc.get(i).perSecond(),
                    panacea.get(i).perSecond() / orthanc.get(i).perSecond()));
        }
        Files.writeString(out.resolve("dimse-report.md"), report);
        System.out.println(report);
    }

    /** {@code count} instances under new UIDs, alternately CT and MR, a new patient/study/series every 50. */
    private static List<Path> instances(Path samples, Path folder, int count, int set) throws Exception {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        String root = "2.25." + (Instant.now().toEpochMilli() * 10 + set);
        for (int group = 0; group * 50 < count; group++) {
            List<String> command = new ArrayList<>(List.of("dcmodify", "-nb", "-gin", "-m", "(0010,0020)=DIMSE-BENCH-"
                    + set + "-" + group, "-m", "(0020,000D)=" + root + "." + group, "-m", "(0020,000E)=" + root + "."
                    + group + ".1"));
            for (int i = group * 50; i < Math.min(count, group * 50 + 50); i++) {
                Path copy = folder.resolve(String.format("%04d.dcm", i));
                Files.copy(samples.resolve(i % 2 == 0 ? "CT_small.dcm" : "MR_small.dcm"), copy,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                files.add(copy);
                command.add(copy.toString());
            }
            Process modify = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(modify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (modify.waitFor() != 0) {
                throw new IllegalStateException("dcmodify failed (Debian: apt-get install dcmtk): " + output);
            }
        }
        return files;
    }

    private static void awaitEcho(String aeTitle, int port) {
        if (!Server.await(Duration.ofMinutes(1), () -> run(List.of("echoscu", "-aec", aeTitle, "127.0.0.1",
                Integer.toString(port))).isEmpty())) {
            throw new IllegalStateException(aeTitle + " did not answer C-ECHO on port " + port);
        }
    }

    /** Stores {@code files} over {@code associations} storescu processes at once; fails on any refused store. */
    private static Rate store(String aeTitle, int port, List<Path> files, int associations) throws Exception {
        ExecutorService parallel = Executors.newFixedThreadPool(associations);
        List<Future<String>> runs = new ArrayList<>();
        long started = System.nanoTime();
        int share = (files.size() + associations - 1) / associations;
        for (int a = 0; a < associations; a++) {
            List<String> command = new ArrayList<>(List.of("storescu", "-aec", aeTitle, "127.0.0.1",
                    Integer.toString(port)));
            files.subList(Math.min(files.size(), a * share), Math.min(files.size(), (a + 1) * share))
                    .forEach(file -> command.add(file.toString()));
            runs.add(parallel.submit(() -> run(command)));
        }
        parallel.shutdown();
        for (Future<String> run : runs) {
            String failure = run.get(30, TimeUnit.MINUTES);
            if (!failure.isEmpty()) {
                throw new IllegalStateException("storescu to " + aeTitle + " failed: " + failure);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[dimse] %s: %d instances over %d association(s) in %.2f s%n", aeTitle, files.size(),
                associations, seconds);
        return new Rate(files.size(), seconds);
    }

    /** Runs a dcmtk tool with TCP_NODELAY; empty when it succeeded, else its output. */
    private static String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("TCP_NODELAY", "1"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            return status == 0 && !output.contains("E: ") ? "" : "exit " + status + ": " + output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

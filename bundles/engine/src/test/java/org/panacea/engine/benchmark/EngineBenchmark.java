package org.panacea.engine.benchmark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.fakes.InMemoryArchive;
import org.panacea.engine.internal.audit.Digests;
import org.panacea.engine.internal.imaging.AlgorithmRequest;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.registry.HotSwapRegistry;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.PluginLease;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RolePolicy;

/**
 * What the engine adds to a plugin call, each figure next to its floor measured in the same run: the digest of a
 * 2048x2048 image against one SHA-256 pass over the same bytes held contiguously, a whole run against calling the
 * plugin directly, and how soon a waiting call gets a replacement plugin. Median of repeated timings after warm-up.
 * Not a unit test: run it by hand (see the engine's report for the command).
 */
public final class EngineBenchmark {

    private static final Callers CALLERS = new Callers();

    private static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "bench");

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        digests();
        runs();
        swapWakeUp();
    }

    private static void digests() throws Exception {
        int n = 2048 * 2048;
        short[] gray16 = new short[n];
        float[] float32 = new float[n];
        for (int i = 0; i < n; i++) {
            gray16[i] = (short) (i * 31 % 4096 - 1024);
            float32[i] = gray16[i] * 0.5f;
        }
        byte[] gray16Bytes = new byte[n * 2];
        ByteBuffer.wrap(gray16Bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(gray16);
        byte[] float32Bytes = new byte[n * 4];
        ByteBuffer.wrap(float32Bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(float32);
        Pixels.Gray16 pixels16 = new Pixels.Gray16(gray16, true);
        Pixels.Float32 pixels32 = new Pixels.Float32(float32);
        report("digest 2048x2048 Gray16 (8 MiB), engine", time(30, () -> Digests.pixels(pixels16).length()));
        report("digest 8 MiB, raw SHA-256 of a byte[]", time(30, () -> sha256(gray16Bytes)));
        report("digest 2048x2048 Float32 (16 MiB), engine", time(30, () -> Digests.pixels(pixels32).length()));
        report("digest 16 MiB, raw SHA-256 of a byte[]", time(30, () -> sha256(float32Bytes)));
    }

    private static void runs() throws Exception {
        PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
        PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(60), 8, Duration.ofSeconds(30), 4),
                MemoryGuard.ofRuntime());
        InMemoryArchive archive = new InMemoryArchive(false);
        AuditTrail trail = new DiscardingTrail();
        AlgorithmRuns runs = new AlgorithmRuns(directory, runner, new RolePolicy(CALLERS, trail), trail, archive);
        ImagingAlgorithm measure = new FakeAlgorithm("imaging.bench-measure", "1.0.0", List.of(),
                (image, parameters) -> new AlgorithmResult(null, List.of(new Measurement("n", image.pixels()
                        .length(), "")), List.of()));
        ImagingAlgorithm passThrough = new FakeAlgorithm("imaging.bench-pass", "1.0.0", List.of(),
                (image, parameters) -> AlgorithmResult.of(image));
        FakeAlgorithm measureFake = (FakeAlgorithm) measure;
        FakeAlgorithm passFake = (FakeAlgorithm) passThrough;
        directory.algorithms().add(measure, measureFake.properties());
        directory.algorithms().add(passThrough, passFake.properties());
        archive.add("1.1", "p-1", new Image(1, 1, new Pixels.Gray8(new byte[] {7}), ImageMetadata.unknown(8)));
        short[] large = new short[2048 * 2048];
        Arrays.fill(large, (short) 100);
        archive.add("2.2", "p-1", new Image(2048, 2048, new Pixels.Gray16(large, true), ImageMetadata.unknown(12)));
        AlgorithmRequest tiny = new AlgorithmRequest("imaging.bench-measure", null, "1.1", 0, Map.of(),
                RawSource.JSON, null);
        AlgorithmRequest big = new AlgorithmRequest("imaging.bench-pass", null, "2.2", 0, Map.of(), RawSource.JSON,
                null);
        Image one = archive.load(CLINICIAN, "1.1", 0);

        report("plugin called directly, 1x1 image", time(20_000, () -> measure.apply(one, null).measurements()
                .size()));
        report("engine run, 1x1 image, 1 caller", time(20_000, () -> runs.run(CLINICIAN, tiny).measurements()
                .size()));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        int calls = 40_000;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            Future<?>[] done = new Future<?>[calls];
            for (int i = 0; i < calls; i++) {
                done[i] = callers.submit(() -> runs.run(CLINICIAN, tiny));
            }
            for (Future<?> future : done) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round == 2) {
                System.out.printf(Locale.ROOT, "%-58s %,12.0f runs/s%n", "engine runs, 1x1 image, 8 callers",
                        calls / seconds);
            }
        }
        callers.shutdown();
        report("engine run, 2048x2048 Gray16 in and out (2 digests)", time(40, () -> runs.run(CLINICIAN, big)
                .outputDigest().length()));
        runner.shutdown();
    }

    /** From a replacement's registration to the waiting call holding its lease. */
    private static void swapWakeUp() throws Exception {
        HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> registry = new HotSwapRegistry<>("imaging algorithm",
                ImagingAlgorithm::descriptor, d -> d, new SwapTimings(Duration.ofSeconds(10), Duration.ofSeconds(10)));
        FakeAlgorithm current = FakeAlgorithm.doubling("imaging.bench-swap", "1.0.0");
        registry.add(current, current.properties());
        long[] wakeUps = new long[2000];
        for (int i = 0; i < wakeUps.length; i++) {
            registry.remove(current, current.properties());
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
                try (PluginLease<ImagingAlgorithm, PluginDescriptor> lease = registry.acquire("imaging.bench-swap",
                        Optional.empty())) {
                    return System.nanoTime();
                }
            });
            Thread.sleep(1);
            current = FakeAlgorithm.doubling("imaging.bench-swap", "1.0." + (i + 1));
            long registered = System.nanoTime();
            registry.add(current, current.properties());
            wakeUps[i] = waiter.get(5, TimeUnit.SECONDS) - registered;
        }
        Arrays.sort(wakeUps);
        System.out.printf(Locale.ROOT, "%-58s %10.1f us median, %.1f us p99%n",
                "replacement registered -> waiting call runs", wakeUps[wakeUps.length / 2] / 1e3,
                wakeUps[wakeUps.length * 99 / 100] / 1e3);
    }

    private static int sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes).length;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Median nanoseconds of one call, over {@code repetitions} after as many warm-up calls. */
    private static double time(int repetitions, Work work) throws Exception {
        for (int i = 0; i < repetitions; i++) {
            work.run();
        }
        int batches = 15;
        int perBatch = Math.max(1, repetitions / batches);
        long[] nanos = new long[batches];
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                work.run();
            }
            nanos[b] = (System.nanoTime() - start) / perBatch;
        }
        Arrays.sort(nanos);
        return nanos[batches / 2];
    }

    private static void report(String what, double nanos) {
        System.out.printf(Locale.ROOT, "%-58s %10.1f us%n", what, nanos / 1e3);
    }

    /** An audit trail that records nothing, so the figures are the engine's own. */
    private static final class DiscardingTrail implements AuditTrail {
        @Override
        public AuditEntry record(AuditEvent event) {
            return null;
        }

        @Override
        public List<AuditEntry> search(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return null;
        }
    }
}

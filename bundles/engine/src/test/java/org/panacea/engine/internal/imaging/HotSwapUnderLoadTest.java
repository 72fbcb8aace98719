package org.panacea.engine.internal.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.fakes.InMemoryArchive;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

/**
 * Hundreds of concurrent runs while the algorithm is swapped again and again, both ways a plugin is replaced in
 * Karaf: {@code bundle:update} (the old service goes, then the new one comes) and {@code feature:install} of a newer
 * version (the new one comes, then the old one goes). Every call must succeed, and no call may run on an instance
 * after its bundle was deactivated (DS deactivates a plugin once its unbind has returned).
 */
class HotSwapUnderLoadTest {

    private static final String ID = "imaging.fake-swapped";
    private static final int CALLERS = 200;
    private static final int SWAPS = 40;

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofSeconds(10),
            Duration.ofSeconds(30)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(30), 256,
            Duration.ofSeconds(30), 4), MemoryGuard.ofRuntime());
    private final InMemoryArchive archive = new InMemoryArchive(false);
    private final AlgorithmRuns runs = new AlgorithmRuns(directory, runner, new RolePolicy(AlgorithmRunsTest.CALLERS, trail), trail, archive);

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    /** SHA-256 of the 32x32 top-left corner of CT_small, int16 little endian (Python hashlib on the raw file). */
    private static final String CORNER_SHA256 = "a6a1400718bf41f0f52ae3bc5167de8ead061040690ffd48f995c957062888df";

    /** The {@code size} x {@code size} top-left corner of a 16-bit image: small, so the swaps, not the pixels, cost. */
    private static Image topLeftCorner(Image image, int size) {
        short[] source = ((Pixels.Gray16) image.pixels()).values();
        short[] corner = new short[size * size];
        for (int row = 0; row < size; row++) {
            System.arraycopy(source, row * image.width(), corner, row * size, size);
        }
        return new Image(size, size, new Pixels.Gray16(corner, true), image.metadata());
    }

    /** A plugin that takes 0 to 3 ms, so that every swap finds calls in flight. */
    private static FakeAlgorithm version(int micro) {
        return new FakeAlgorithm(ID, "1.0." + micro, List.of(), (image, parameters) -> {
            Thread.sleep(ThreadLocalRandom.current().nextInt(4));
            return AlgorithmResult.of(new Image(image.width(), image.height(), FakeAlgorithm.doubled(image.pixels()),
                    image.metadata()));
        });
    }

    @Test
    void everyCallSucceedsAcrossRepeatedSwapsAndNoneRunsOnADeactivatedInstance() throws Exception {
        archive.add(AlgorithmRunsTest.CT_UID, "p-17", topLeftCorner(AlgorithmRunsTest.ctSmall(), 32));
        List<FakeAlgorithm> instances = new ArrayList<>();
        FakeAlgorithm current = version(0);
        instances.add(current);
        directory.algorithms().add(current, current.properties());

        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicLong longestWaitMillis = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(CALLERS);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread caller = new Thread(() -> {
                started.countDown();
                while (swapping.get()) {
                    try {
                        AlgorithmRun run = runs.run(AlgorithmRunsTest.CLINICIAN, new AlgorithmRequest(ID,
                                "[1.0,2.0)", AlgorithmRunsTest.CT_UID, 0, Map.of(), RawSource.JSON, null));
                        assertEquals(CORNER_SHA256, run.inputDigest());
                        longestWaitMillis.accumulateAndGet(run.waited().toMillis(), Math::max);
                        succeeded.incrementAndGet();
                        // Callers pause 5-15 ms between calls, as clients do; flat out, 200 threads starve 2 cores.
                        Thread.sleep(5 + ThreadLocalRandom.current().nextInt(11));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }, "caller-" + i);
            caller.start();
            callers.add(caller);
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));

        for (int swap = 1; swap <= SWAPS; swap++) {
            Thread.sleep(15);
            FakeAlgorithm next = version(swap);
            instances.add(next);
            if (swap % 2 == 1) {
                // bundle:update: the old service goes (its unbind waits for its calls), the bundle restarts
                directory.algorithms().remove(current, current.properties());
                assertEquals(0, current.running(), "the unbind returned while calls still ran on the old instance");
                current.deactivate();
                Thread.sleep(5);
                directory.algorithms().add(next, next.properties());
            } else {
                // feature:install of a newer version: the new service comes, then the old bundle is uninstalled
                directory.algorithms().add(next, next.properties());
                directory.algorithms().remove(current, current.properties());
                assertEquals(0, current.running());
                current.deactivate();
            }
            current = next;
        }
        Thread.sleep(50);
        swapping.set(false);
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertEquals(List.of(), failures.stream().map(Throwable::toString).distinct().toList());
        assertEquals(0, instances.stream().mapToInt(FakeAlgorithm::misuses).sum());
        int calls = instances.stream().mapToInt(FakeAlgorithm::calls).sum();
        assertEquals(succeeded.get(), calls);
        assertTrue(calls > CALLERS * 2, "only " + calls + " calls");
        assertTrue(instances.stream().filter(i -> i.calls() > 0).count() > SWAPS / 2,
                "the calls spread over the versions");
        assertEquals(calls, trail.events().stream().filter(e -> e.outcome() == AuditOutcome.SUCCESS).count());
        assertTrue(longestWaitMillis.get() < 5_000, "a call waited " + longestWaitMillis + " ms for a replacement");
    }
}

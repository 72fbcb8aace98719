package org.panacea.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.prediction.PredictionException;

class PluginRunnerTest {

    private static final String PLUGIN = "imaging algorithm imaging.fake 1.0.0";
    private static final long GIB = 1024L * 1024 * 1024;

    private PluginRunner runner = runner(4, Duration.ofSeconds(5), Duration.ZERO);

    private static PluginRunner runner(int slots, Duration timeLimit, Duration queueWait) {
        return new PluginRunner(new RunLimits(timeLimit, slots, queueWait, 4), new MemoryGuard(() -> GIB, () -> GIB));
    }

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    /** A lease stand-in that remembers being closed, and how often. */
    private static final class Lease implements AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void aCallRunsOnAnEngineThreadAndReturnsItsValue() {
        Lease lease = new Lease();

        PluginRunner.Completed<String> done = runner.run(PLUGIN, null, 0, lease,
                () -> Thread.currentThread().getName());

        assertTrue(done.value().startsWith("panacea-engine-run-"), done.value());
        assertEquals(1, lease.closed.get());
        assertFalse(done.runTime().isNegative());
    }

    @Test
    void aCallOverItsTimeLimitIsInterruptedAndReportedAtOnce() throws Exception {
        Lease lease = new Lease();
        CountDownLatch interrupted = new CountDownLatch(1);
        long start = System.nanoTime();

        PluginTimeoutException e = assertThrows(PluginTimeoutException.class,
                () -> runner.run(PLUGIN, Duration.ofMillis(200), 0, lease, () -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException stop) {
                        interrupted.countDown();
                        throw stop;
                    }
                    return "late";
                }));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(PLUGIN + " did not finish within its time limit of 200 ms and was interrupted", e.getMessage());
        assertTrue(millis >= 190 && millis < 2000, "reported after " + millis + " ms");
        assertTrue(interrupted.await(2, TimeUnit.SECONDS), "the plugin's thread was interrupted");
        waitUntil(() -> lease.closed.get() == 1);
    }

    @Test
    void aPerCallLimitAboveTheEnginesIsCappedToIt() {
        runner = runner(1, Duration.ofMillis(150), Duration.ZERO);

        PluginTimeoutException e = assertThrows(PluginTimeoutException.class,
                () -> runner.run(PLUGIN, Duration.ofSeconds(30), 0, new Lease(), () -> {
                    Thread.sleep(5_000);
                    return null;
                }));

        assertTrue(e.getMessage().contains("150 ms"), e.getMessage());
        assertEquals("timeoutSeconds must be from 1 to 0 (the engine's limit); got 5",
                assertThrows(IllegalArgumentException.class, () -> runner.requestedLimit(5)).getMessage());
    }

    @Test
    void aPluginThatIgnoresInterruptionKeepsItsSlotAndLeaseUntilItReallyStops() throws Exception {
        runner = runner(1, Duration.ofSeconds(5), Duration.ZERO);
        Lease lease = new Lease();
        AtomicBoolean stop = new AtomicBoolean();

        assertThrows(PluginTimeoutException.class, () -> runner.run(PLUGIN, Duration.ofMillis(100), 0, lease, () -> {
            while (!stop.get()) {
                Thread.onSpinWait(); // deaf to interruption, as a badly written plugin may be
            }
            return null;
        }));

        assertEquals(0, lease.closed.get(), "the plugin still runs: its bundle must not be let go");
        EngineSaturatedException busy = assertThrows(EngineSaturatedException.class,
                () -> runner.run(PLUGIN, null, 0, new Lease(), () -> "next"));
        assertEquals("the engine is at its limit of 1 concurrent runs and none finished within 0 s; try again "
                + "shortly", busy.getMessage());
        assertEquals(1, busy.retryAfterSeconds());

        stop.set(true);
        waitUntil(() -> lease.closed.get() == 1);
        assertEquals("next", runner.run(PLUGIN, null, 0, new Lease(), () -> "next").value());
    }

    @Test
    void callsQueueForASlotUpToTheQueueWait() throws Exception {
        runner = runner(1, Duration.ofSeconds(5), Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> runner.run(PLUGIN, null, 0, new Lease(),
                () -> release.await(5, TimeUnit.SECONDS)).value());
        Thread.sleep(100);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> runner.run(PLUGIN, null, 0,
                new Lease(), () -> "second").value());
        Thread.sleep(100);
        assertFalse(second.isDone(), "the second call waits for the slot");

        release.countDown();

        assertEquals(true, first.get(2, TimeUnit.SECONDS));
        assertEquals("second", second.get(2, TimeUnit.SECONDS));
    }

    @Test
    void aRefusalCarriesThePluginsOwnMessage() {
        PluginRefusedException algorithm = assertThrows(PluginRefusedException.class, () -> runner.run(PLUGIN, null,
                0, new Lease(), () -> {
                    throw new AlgorithmException("Otsu needs at least two grey levels; this image has one");
                }));
        assertEquals(PLUGIN + " refused the input: Otsu needs at least two grey levels; this image has one",
                algorithm.getMessage());

        PluginRefusedException model = assertThrows(PluginRefusedException.class, () -> runner.run(
                "prediction model x 1.0.0", null, 0, new Lease(), () -> {
                    throw new PredictionException("ph_ecog 5 is outside 0..4");
                }));
        assertEquals("prediction model x 1.0.0 refused the input: ph_ecog 5 is outside 0..4", model.getMessage());
    }

    @Test
    void aCrashIsContainedAndReportedWithoutAStackTrace() {
        Lease lease = new Lease();

        PluginCrashedException e = assertThrows(PluginCrashedException.class, () -> runner.run(PLUGIN, null, 0,
                lease, () -> {
                    throw new IllegalStateException(
                            "index 7 out of bounds\n\tat com.vendor.Filter.apply(Filter.java:42)");
                }));

        assertEquals(PLUGIN + " failed: IllegalStateException: index 7 out of bounds", e.getMessage());
        assertEquals(1, lease.closed.get());
    }

    @Test
    void anOutOfMemoryErrorInAPluginLeavesThePlatformRunning() {
        long overHeap = Runtime.getRuntime().maxMemory() / Long.BYTES + 1024;
        assumeTrue(overHeap < Integer.MAX_VALUE - 8, "the test JVM's heap is too large to exceed with one array");

        PluginCrashedException e = assertThrows(PluginCrashedException.class, () -> runner.run(PLUGIN, null, 0,
                new Lease(), () -> new long[(int) overHeap].length));

        assertEquals(PLUGIN + " ran out of memory (Java heap space); the run was abandoned and the platform "
                + "carries on", e.getMessage());
        assertEquals(42, runner.run(PLUGIN, null, 0, new Lease(), () -> 42).value(), "the engine still runs calls");
    }

    @Test
    void aStackOverflowInAPluginLeavesThePlatformRunning() {
        PluginCrashedException e = assertThrows(PluginCrashedException.class, () -> runner.run(PLUGIN, null, 0,
                new Lease(), () -> recurse(0)));

        assertEquals(PLUGIN + " overflowed its stack (runaway recursion); the run was abandoned and the platform "
                + "carries on", e.getMessage());
        assertEquals(42, runner.run(PLUGIN, null, 0, new Lease(), () -> 42).value());
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void aRunWhoseInputWouldNotFitInTheHeapIsRefusedBeforeItStarts() {
        long mib = 1024 * 1024;
        runner = new PluginRunner(new RunLimits(Duration.ofSeconds(5), 1, Duration.ZERO, 4),
                new MemoryGuard(() -> 100 * mib, () -> 1024 * mib));
        Lease lease = new Lease();
        AtomicBoolean ran = new AtomicBoolean();

        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> runner.run(PLUGIN, null, 4 * 30 * mib, lease, () -> ran.getAndSet(true)));

        assertEquals(PLUGIN + " needs about 120 MiB of working memory for this input, but only 100 MiB of the heap "
                + "are free (0 MiB held by runs in progress); try again shortly", e.getMessage());
        assertFalse(ran.get());
        assertEquals(1, lease.closed.get(), "the lease is given back at once");
        assertEquals("ok", runner.run(PLUGIN, null, 10 * mib, new Lease(), () -> "ok").value(),
                "the refused run gave its slot back");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 5 s");
            Thread.sleep(10);
        }
    }
}

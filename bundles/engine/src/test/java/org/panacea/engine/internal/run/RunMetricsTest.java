package org.panacea.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.metrics.MeterId;
import org.panacea.testsupport.RecordingMetrics;

/** The engine's meters, recorded by a real {@link PluginRunner}: runs by outcome, slots taken, callers queued. */
class RunMetricsTest {

    private static final String PLUGIN = "imaging algorithm imaging.fake 1.0.0";
    private static final long GIB = 1024L * 1024 * 1024;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 1,
            Duration.ofSeconds(5), 4), new MemoryGuard(() -> GIB, () -> GIB));
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() {
        callers.shutdownNow();
        runner.shutdown();
    }

    private static MeterId runs(String outcome) {
        return RunMetrics.RUNS.with("outcome", outcome);
    }

    @Test
    void runsAreTimedByOutcome() {
        runner.bindMetrics(metrics);
        runner.run(PLUGIN, null, 0, () -> { }, () -> "done");
        assertThrows(PluginRefusedException.class, () -> runner.run(PLUGIN, null, 0, () -> { }, () -> {
            throw new AlgorithmException("not a CT");
        }));
        assertThrows(PluginTimeoutException.class, () -> runner.run(PLUGIN, Duration.ofMillis(300), 0, () -> { }, () -> {
            Thread.sleep(5_000);
            return null;
        }));
        assertThrows(PluginCrashedException.class, () -> runner.run(PLUGIN, null, 0, () -> { }, () -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(1, metrics.timedEvents(runs("completed")));
        assertEquals(1, metrics.timedEvents(runs("refused")));
        assertEquals(1, metrics.timedEvents(runs("timed_out")));
        assertEquals(1, metrics.timedEvents(runs("crashed")));
        assertTrue(metrics.timedNanos(runs("timed_out")) >= TimeUnit.MILLISECONDS.toNanos(250));
    }

    @Test
    void theGaugesShowTheSlotTakenAndTheCallerQueued() throws Exception {
        runner.bindMetrics(metrics);
        assertEquals(0.0, metrics.gauge(RunMetrics.ACTIVE));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> runner.run(PLUGIN, null, 0, () -> { }, () -> {
            running.countDown();
            release.await();
            return "first";
        }));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        Future<?> second = callers.submit(() -> runner.run(PLUGIN, null, 0, () -> { }, () -> "second"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (metrics.gauge(RunMetrics.WAITING) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1.0, metrics.gauge(RunMetrics.ACTIVE), "the one slot is taken");
        assertEquals(1.0, metrics.gauge(RunMetrics.WAITING), "the second caller waits for it");
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(0.0, metrics.gauge(RunMetrics.WAITING));
    }

    @Test
    void withoutMetricsNothingIsRecordedAndUnbindingRemovesTheGauges() {
        runner.run(PLUGIN, null, 0, () -> { }, () -> "unrecorded");
        runner.bindMetrics(metrics);
        assertEquals(0, metrics.timedEvents(runs("completed")));
        runner.unbindMetrics(metrics);
        runner.run(PLUGIN, null, 0, () -> { }, () -> "unrecorded too");
        assertEquals(0, metrics.timedEvents(runs("completed")));
        assertNull(metrics.gauge(RunMetrics.ACTIVE));
        assertNull(metrics.gauge(RunMetrics.WAITING));
    }
}

package org.panacea.engine.internal.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.prediction.PredictionException;
import org.panacea.engine.internal.EngineConfig;
import org.panacea.engine.internal.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plugin calls on the engine's own threads, so that a plugin can be timed out and can crash without taking the
 * caller's thread (a servlet, a console session) with it. Each run first takes one of
 * {@link RunLimits#maxConcurrentRuns()} slots (waiting up to {@link RunLimits#queueWait()}), then reserves its working
 * memory with the {@link MemoryGuard}, then runs under its time limit; past it, the plugin's thread is interrupted
 * and the caller gets {@link PluginTimeoutException} at once. The slot, the memory and the plugin lease are given back
 * only when the plugin's code has really returned, so a plugin that ignores interruption still counts against the
 * limits (and holds back its own departure) until it stops. Thread-safe.
 */
@Component(service = PluginRunner.class, configurationPid = EngineConfig.PID)
@Designate(ocd = EngineConfig.class)
public class PluginRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRunner.class);
    private static final int MESSAGE_LIMIT = 300;

    private final ThreadPoolExecutor pool;
    private final MemoryGuard memory;
    private volatile RunLimits limits;
    /** Replaced (not resized) when the limit changes; each run gives its slot back to the semaphore it took it from. */
    private volatile Semaphore slots;
    private final RunMetrics metrics = new RunMetrics();

    @Activate
    public PluginRunner(EngineConfig config) {
        this(RunLimits.of(config), MemoryGuard.ofRuntime());
    }

    public PluginRunner(RunLimits limits, MemoryGuard memory) {
        this.limits = limits;
        this.memory = memory;
        this.slots = new Semaphore(limits.maxConcurrentRuns(), true);
        AtomicInteger threads = new AtomicInteger();
        // No queue: the slots bound the running calls, and a thread starts at once for each admitted one.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "panacea-engine-run-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Modified
    void modified(EngineConfig config) {
        RunLimits next = RunLimits.of(config);
        if (next.maxConcurrentRuns() != limits.maxConcurrentRuns()) {
            slots = new Semaphore(next.maxConcurrentRuns(), true);
        }
        limits = next;
    }

    /** Operators' metrics, when the metrics bundle is there: runs by outcome, slots taken, callers waiting. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindMetrics")
    void bindMetrics(Metrics service) {
        metrics.bind(service, () -> limits.maxConcurrentRuns() - slots.availablePermits(),
                () -> slots.getQueueLength());
    }

    void unbindMetrics(Metrics service) {
        metrics.unbind(service);
    }

    @Deactivate
    public void shutdown() {
        pool.shutdownNow();
    }

    /** The limits in force. */
    public RunLimits limits() {
        return limits;
    }

    /**
     * The time limit a request asks for, checked against the engine's.
     *
     * @param timeoutSeconds the request's limit, or {@code null} for the engine's
     * @return the limit, or {@code null} for the engine's
     * @throws IllegalArgumentException when it is not from 1 s to the engine's limit
     */
    public Duration requestedLimit(Integer timeoutSeconds) {
        if (timeoutSeconds == null) {
            return null;
        }
        long limit = limits.timeLimit().toSeconds();
        if (timeoutSeconds < 1 || timeoutSeconds > limit) {
            throw new IllegalArgumentException("timeoutSeconds must be from 1 to " + limit + " (the engine's limit); "
                    + "got " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /**
     * Runs {@code call} and returns its value.
     *
     * @param plugin       what runs, for messages ({@code imaging algorithm x 1.0.0})
     * @param timeLimit    the run's limit, at most {@link RunLimits#timeLimit()}; {@code null} for that default
     * @param workingBytes the memory the run is expected to need
     * @param lease        closed when the plugin's code has returned (or at once, when it never starts)
     * @throws EngineSaturatedException     when no slot frees up within the queue wait
     * @throws InsufficientMemoryException  when the working memory does not fit
     * @throws PluginTimeoutException       when the limit passes; the plugin is interrupted
     * @throws PluginRefusedException       when the plugin refuses the input
     * @throws PluginCrashedException       when the plugin fails otherwise (exception, OutOfMemoryError, ...)
     * @throws EngineUnavailableException   when the engine stops or the caller is interrupted
     */
    public <T> Completed<T> run(String plugin, Duration timeLimit, long workingBytes, AutoCloseable lease,
            PluginCall<T> call) {
        long start = System.nanoTime();
        try {
            Completed<T> completed = admitAndRun(plugin, timeLimit, workingBytes, lease, call);
            metrics.ran(start, RunMetrics.Outcome.COMPLETED);
            return completed;
        } catch (RuntimeException e) {
            metrics.ran(start, RunMetrics.Outcome.of(e));
            throw e;
        }
    }

    private <T> Completed<T> admitAndRun(String plugin, Duration timeLimit, long workingBytes, AutoCloseable lease,
            PluginCall<T> call) {
        RunLimits current = limits;
        Duration limit = timeLimit == null || timeLimit.compareTo(current.timeLimit()) > 0 ? current.timeLimit()
                : timeLimit;
        Semaphore slotsTaken = slots;
        Admission<T> admission = new Admission<>(plugin, call, lease);
        try {
            if (!slotsTaken.tryAcquire(current.queueWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new EngineSaturatedException("the engine is at its limit of " + current.maxConcurrentRuns()
                        + " concurrent runs and none finished within " + readable(current.queueWait())
                        + "; try again shortly", Math.max(1, current.queueWait().toSeconds()));
            }
            admission.onRelease(slotsTaken::release);
            admission.onRelease(memory.reserve(workingBytes, plugin));
            Future<T> future = pool.submit(admission);
            return await(plugin, limit, admission, future);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while waiting to run " + plugin);
        } catch (RejectedExecutionException e) {
            throw new EngineUnavailableException("the engine is stopping; " + plugin + " was not run");
        } finally {
            admission.releaseIfNeverStarted();
        }
    }

    private <T> Completed<T> await(String plugin, Duration limit, Admission<T> admission, Future<T> future) {
        try {
            T value = future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return new Completed<>(value, admission.runTime());
        } catch (TimeoutException e) {
            admission.timedOut = true;
            future.cancel(true);
            LOG.warn("{} exceeded its time limit of {} and was interrupted", plugin, readable(limit));
            throw new PluginTimeoutException(plugin + " did not finish within its time limit of " + readable(limit)
                    + " and was interrupted");
        } catch (ExecutionException e) {
            throw classify(plugin, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while " + plugin + " was running; it was stopped");
        }
    }

    private static RuntimeException classify(String plugin, Throwable failure) {
        if (failure instanceof AlgorithmException || failure instanceof PredictionException) {
            String reason = failure.getMessage() == null || failure.getMessage().isBlank() ? "(no reason given)"
                    : failure.getMessage();
            return new PluginRefusedException(plugin + " refused the input: " + reason);
        }
        if (failure instanceof OutOfMemoryError) {
            LOG.error("{} ran out of memory; the run was abandoned", plugin, failure);
            return new PluginCrashedException(plugin + " ran out of memory (" + failure.getMessage() + "); the run was "
                    + "abandoned and the platform carries on");
        }
        if (failure instanceof StackOverflowError) {
            LOG.error("{} overflowed its stack; the run was abandoned", plugin, failure);
            return new PluginCrashedException(plugin + " overflowed its stack (runaway recursion); the run was "
                    + "abandoned and the platform carries on");
        }
        LOG.error("{} failed", plugin, failure);
        String message = failure.getMessage();
        return new PluginCrashedException(plugin + " failed: " + failure.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + firstLine(message)));
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse("");
        return line.length() > MESSAGE_LIMIT ? line.substring(0, MESSAGE_LIMIT) + "..." : line;
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * A value a plugin returned and how long its code ran.
     *
     * @param value   what it returned
     * @param runTime from entering the plugin to its return, on the engine thread
     */
    public record Completed<T>(T value, Duration runTime) {
    }

    /**
     * One admitted call: runs the plugin on an engine thread and gives back what the run holds (slot, memory, lease)
     * exactly once, when the plugin's code has returned, or at once when the call never started.
     */
    private static final class Admission<T> implements Callable<T> {
        private static final int PENDING = 0;
        private static final int STARTED = 1;
        private static final int ABANDONED = 2;

        private final String plugin;
        private final PluginCall<T> call;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private final List<AutoCloseable> releases = new ArrayList<>();
        private volatile long startNanos;
        private volatile long endNanos;
        volatile boolean timedOut;

        Admission(String plugin, PluginCall<T> call, AutoCloseable lease) {
            this.plugin = plugin;
            this.call = call;
            releases.add(lease);
        }

        /** Called before submission only, on the caller's thread. */
        void onRelease(AutoCloseable release) {
            releases.add(release);
        }

        @Override
        public T call() throws Exception {
            if (!state.compareAndSet(PENDING, STARTED)) {
                return null;
            }
            startNanos = System.nanoTime();
            try {
                return call.call();
            } finally {
                endNanos = System.nanoTime();
                release();
                if (timedOut) {
                    LOG.info("{} returned {} ms after it was interrupted for its time limit", plugin,
                            TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos));
                }
            }
        }

        /** Gives back what the run holds when the plugin never started (refused, rejected, cancelled in time). */
        void releaseIfNeverStarted() {
            if (state.compareAndSet(PENDING, ABANDONED)) {
                release();
            }
        }

        Duration runTime() {
            return Duration.ofNanos(endNanos - startNanos);
        }

        private void release() {
            for (AutoCloseable release : List.copyOf(releases)) {
                try {
                    release.close();
                } catch (Exception e) {
                    LOG.error("Could not give back what a run of {} held", plugin, e);
                }
            }
        }
    }
}

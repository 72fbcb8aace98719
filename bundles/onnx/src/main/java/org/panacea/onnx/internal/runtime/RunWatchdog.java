package org.panacea.onnx.internal.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;

/**
 * Stops native runs that are over their time limit or whose calling thread was interrupted. A thread inside
 * {@code OrtSession.run} does not notice {@link Thread#interrupt()} (the engine's time limit), so one daemon thread
 * looks at every run under way every few milliseconds and sets ONNX Runtime's terminate flag on those to stop; the
 * runtime checks it between operators and the run fails.
 */
final class RunWatchdog implements AutoCloseable {

    static final long PERIOD_MILLIS = 5;

    /** Why a watched run was stopped. */
    enum Stop { TIME_LIMIT, INTERRUPTED }

    /** A run under way. */
    static final class Watch {
        final Thread caller;
        final long deadlineNanos;
        final RunOptions options;
        volatile Stop stopped;
        /** Set under the watch's lock once the run ended: its options may be closed from then on. */
        private boolean done;

        Watch(Thread caller, long deadlineNanos, RunOptions options) {
            this.caller = caller;
            this.deadlineNanos = deadlineNanos;
            this.options = options;
        }
    }

    private final Map<Watch, Boolean> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "panacea-onnx-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    RunWatchdog() {
        ticker.scheduleWithFixedDelay(this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    Watch watch(RunOptions options, long timeLimitNanos) {
        Watch watch = new Watch(Thread.currentThread(), System.nanoTime() + timeLimitNanos, options);
        runs.put(watch, Boolean.TRUE);
        return watch;
    }

    /** Ends the watch; after it returns, the watchdog never touches the run's options again. */
    void unwatch(Watch watch) {
        runs.remove(watch);
        synchronized (watch) {
            watch.done = true;
        }
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch watch : runs.keySet()) {
            if (watch.stopped != null) {
                continue;
            }
            Stop stop = watch.caller.isInterrupted() ? Stop.INTERRUPTED
                    : now - watch.deadlineNanos > 0 ? Stop.TIME_LIMIT : null;
            if (stop != null) {
                synchronized (watch) {
                    if (watch.done) {
                        continue;
                    }
                    watch.stopped = stop;
                    try {
                        watch.options.setTerminate(true);
                    } catch (OrtException e) {
                        // the run is ending on its own: nothing left to stop
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}

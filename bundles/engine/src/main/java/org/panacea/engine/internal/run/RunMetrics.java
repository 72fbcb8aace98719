package org.panacea.engine.internal.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's meters, while a {@link Metrics} service is there: {@code panacea_engine_runs_seconds} (each call of
 * {@link PluginRunner#run}, from asking for a slot to the answer, by kind and outcome) and the gauges
 * {@code panacea_engine_runs_active} and {@code panacea_engine_runs_waiting} (runs holding a slot, callers queued for
 * one). Without the service nothing is recorded. Thread-safe.
 */
final class RunMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);

    static final MeterId RUNS = MeterId.of("panacea.engine.runs",
            "Algorithm and model runs, from asking for a slot to the answer, by outcome");
    static final MeterId ACTIVE = MeterId.of("panacea.engine.runs.active",
            "Runs holding one of the engine's slots now (running, or not yet returned after a time-out)");
    static final MeterId WAITING = MeterId.of("panacea.engine.runs.waiting",
            "Runs waiting for a free slot now (the engine's queue)");

    /** How a run ended, the value of the {@code outcome} label. */
    enum Outcome {
        COMPLETED, REFUSED, CRASHED, TIMED_OUT, SATURATED, NO_MEMORY, UNAVAILABLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome of(RuntimeException failure) {
            if (failure instanceof PluginRefusedException) {
                return REFUSED;
            }
            if (failure instanceof PluginTimeoutException) {
                return TIMED_OUT;
            }
            if (failure instanceof EngineSaturatedException) {
                return SATURATED;
            }
            if (failure instanceof InsufficientMemoryException) {
                return NO_MEMORY;
            }
            if (failure instanceof PluginCrashedException) {
                return CRASHED;
            }
            return UNAVAILABLE;
        }
    }

    private record Bound(Metrics metrics, List<Timer> byOutcome, List<AutoCloseable> gauges) {
    }

    private volatile Bound bound;

    /** Starts recording into {@code metrics}, reading the gauges from {@code active} and {@code waiting}. */
    void bind(Metrics metrics, DoubleSupplier active, DoubleSupplier waiting) {
        List<Timer> timers = new ArrayList<>();
        for (Outcome outcome : Outcome.values()) {
            timers.add(metrics.timer(RUNS.with("outcome", outcome.label())));
        }
        bound = new Bound(metrics, timers,
                List.of(metrics.gauge(ACTIVE, active), metrics.gauge(WAITING, waiting)));
    }

    /** Stops recording into {@code metrics} (when it is the one bound) and removes the gauges. */
    void unbind(Metrics metrics) {
        Bound current = bound;
        if (current == null || current.metrics() != metrics) {
            return;
        }
        bound = null;
        for (AutoCloseable gauge : current.gauges()) {
            try {
                gauge.close();
            } catch (Exception e) {
                LOG.debug("Could not remove an engine gauge", e);
            }
        }
    }

    /** Records a run that began at {@code startNanos} ({@link System#nanoTime()}) and ended with {@code outcome}. */
    void ran(long startNanos, Outcome outcome) {
        Bound current = bound;
        if (current != null) {
            current.byOutcome().get(outcome.ordinal()).recordSince(startNanos);
        }
    }
}

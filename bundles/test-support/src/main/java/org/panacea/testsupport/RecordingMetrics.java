package org.panacea.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.panacea.api.metrics.Counter;
import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.metrics.Timer;

/**
 * A {@link Metrics} that remembers what was recorded, for tests of the bundles that record into it: how often each
 * counter was incremented, how many events each timer saw and their total, and the gauges registered now (a closed
 * gauge is gone). Thread-safe.
 */
public final class RecordingMetrics implements Metrics {

    private final Map<MeterId, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<MeterId, AtomicLong> timed = new ConcurrentHashMap<>();
    private final Map<MeterId, AtomicLong> timedNanos = new ConcurrentHashMap<>();
    private final Map<MeterId, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(MeterId id) {
        AtomicLong count = counts.computeIfAbsent(id, key -> new AtomicLong());
        return count::incrementAndGet;
    }

    @Override
    public Timer timer(MeterId id) {
        AtomicLong events = timed.computeIfAbsent(id, key -> new AtomicLong());
        AtomicLong nanos = timedNanos.computeIfAbsent(id, key -> new AtomicLong());
        return elapsed -> {
            if (elapsed >= 0) {
                events.incrementAndGet();
                nanos.addAndGet(elapsed);
            }
        };
    }

    @Override
    public AutoCloseable gauge(MeterId id, DoubleSupplier value) {
        gauges.put(id, value);
        return () -> gauges.remove(id, value);
    }

    /** How often the counter {@code id} was incremented. */
    public long count(MeterId id) {
        AtomicLong count = counts.get(id);
        return count == null ? 0 : count.get();
    }

    /** How many events the timer {@code id} recorded. */
    public long timedEvents(MeterId id) {
        AtomicLong events = timed.get(id);
        return events == null ? 0 : events.get();
    }

    /** The total nanoseconds the timer {@code id} recorded. */
    public long timedNanos(MeterId id) {
        AtomicLong nanos = timedNanos.get(id);
        return nanos == null ? 0 : nanos.get();
    }

    /** The gauge {@code id}'s value now, or {@code null} when no such gauge is registered. */
    public Double gauge(MeterId id) {
        DoubleSupplier value = gauges.get(id);
        return value == null ? null : value.getAsDouble();
    }
}

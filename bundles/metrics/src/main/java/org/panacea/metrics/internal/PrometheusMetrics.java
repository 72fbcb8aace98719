package org.panacea.metrics.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.panacea.api.metrics.Counter;
import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.metrics.Timer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's meters, kept by Micrometer's Prometheus registry: what bundles record through {@link Metrics}, and the
 * JVM's own (heap and non-heap memory per pool, garbage collection pauses, threads by state, classes, CPU, uptime).
 * {@link #scrape()} writes them all in the Prometheus text format 0.0.4. Thread-safe.
 */
@Component(service = { Metrics.class, PrometheusMetrics.class })
public class PrometheusMetrics implements Metrics {

    /** The content type of {@link #scrape()}: the Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Histogram bucket bounds of every timer: from a millisecond (an audit append on a quiet node) to half a minute
     * (a long plugin run). Fixed bounds keep each timer at a known number of series, and comparable across nodes.
     */
    static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics garbageCollection = new JvmGcMetrics();

    @Activate
    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        garbageCollection.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Deactivate
    public void close() {
        garbageCollection.close();
        registry.close();
    }

    @Override
    public Counter counter(MeterId id) {
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(id.name())
                .description(id.help()).tags(tags(id)).register(registry);
        return counter::increment;
    }

    @Override
    public Timer timer(MeterId id) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder(id.name())
                .description(id.help()).tags(tags(id)).serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .register(registry);
        return nanos -> {
            if (nanos >= 0) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    @Override
    public AutoCloseable gauge(MeterId id, DoubleSupplier value) {
        Meter gauge = Gauge.builder(id.name(), value::getAsDouble).description(id.help()).tags(tags(id))
                .register(registry);
        return () -> registry.remove(gauge);
    }

    /** Every meter in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    private static Tags tags(MeterId id) {
        Tags tags = Tags.empty();
        for (var label : id.labels().entrySet()) {
            tags = tags.and(label.getKey(), label.getValue());
        }
        return tags;
    }
}

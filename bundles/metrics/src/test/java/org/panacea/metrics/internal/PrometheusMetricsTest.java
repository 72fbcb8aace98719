package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.metrics.MeterId;

class PrometheusMetricsTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private List<String> lines() {
        return metrics.scrape().lines().toList();
    }

    @Test
    void countersAddUpPerSeriesWithHelpAndType() {
        MeterId swaps = MeterId.of("panacea.test.swaps", "Swaps seen");
        metrics.counter(swaps.with("change", "installed")).increment();
        metrics.counter(swaps.with("change", "installed")).increment();
        metrics.counter(swaps.with("change", "removed")).increment();
        List<String> lines = lines();
        assertTrue(lines.contains("# HELP panacea_test_swaps_total Swaps seen"), lines.toString());
        assertTrue(lines.contains("# TYPE panacea_test_swaps_total counter"), lines.toString());
        assertTrue(lines.contains("panacea_test_swaps_total{change=\"installed\"} 2.0"), lines.toString());
        assertTrue(lines.contains("panacea_test_swaps_total{change=\"removed\"} 1.0"), lines.toString());
    }

    @Test
    void timersAreHistogramsInSecondsWithTheFixedBuckets() {
        var timer = metrics.timer(MeterId.of("panacea.test.append", "Appends").with("outcome", "stored"));
        timer.record(Duration.ofMillis(3));
        timer.record(Duration.ofMillis(40));
        timer.recordNanos(-5); // ignored
        List<String> lines = lines();
        assertTrue(lines.contains("# TYPE panacea_test_append_seconds histogram"), lines.toString());
        assertTrue(lines.contains("panacea_test_append_seconds_bucket{outcome=\"stored\",le=\"0.001\"} 0"),
                lines.toString());
        assertTrue(lines.contains("panacea_test_append_seconds_bucket{outcome=\"stored\",le=\"0.005\"} 1"),
                lines.toString());
        assertTrue(lines.contains("panacea_test_append_seconds_bucket{outcome=\"stored\",le=\"0.05\"} 2"),
                lines.toString());
        assertTrue(lines.contains("panacea_test_append_seconds_bucket{outcome=\"stored\",le=\"+Inf\"} 2"),
                lines.toString());
        assertTrue(lines.contains("panacea_test_append_seconds_count{outcome=\"stored\"} 2"), lines.toString());
        long buckets = lines.stream().filter(line -> line.startsWith("panacea_test_append_seconds_bucket")).count();
        assertEquals(PrometheusMetrics.BUCKETS.size() + 1, buckets);
    }

    @Test
    void gaugesAreReadAtEachScrapeUntilClosed() throws Exception {
        AtomicInteger queued = new AtomicInteger(3);
        AutoCloseable gauge = metrics.gauge(MeterId.of("panacea.test.backlog", "Queued"), queued::get);
        assertTrue(lines().contains("panacea_test_backlog 3.0"));
        queued.set(7);
        assertTrue(lines().contains("panacea_test_backlog 7.0"));
        gauge.close();
        assertFalse(metrics.scrape().contains("panacea_test_backlog"));
    }

    @Test
    void theJvmIsMeasured() {
        String text = metrics.scrape();
        for (String family : List.of("jvm_memory_used_bytes{area=\"heap\"", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count")) {
            assertTrue(text.contains(family), family);
        }
    }

    @Test
    void aNameUsedWithAnotherKindOfMeterIsRefused() {
        metrics.counter(new MeterId("panacea.test.mixed", "Mixed", Map.of("a", "1")));
        assertThrows(IllegalArgumentException.class,
                () -> metrics.timer(new MeterId("panacea.test.mixed", "Mixed", Map.of("a", "1"))));
    }
}

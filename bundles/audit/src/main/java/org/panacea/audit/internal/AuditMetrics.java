package org.panacea.audit.internal;

import java.util.function.DoubleSupplier;

import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's meters, while a {@link Metrics} service is there: {@code panacea_audit_append_seconds} (each
 * {@code record} call until its entry is durable, or failed, by outcome) and {@code panacea_audit_backlog} (entries
 * queued for the group-commit writer, not yet taken into a batch). Without the service nothing is recorded.
 * Thread-safe.
 */
final class AuditMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(AuditMetrics.class);

    static final MeterId APPEND = MeterId.of("panacea.audit.append",
            "Audit appends, from the call until the entry is durable (or failed), by outcome");
    static final MeterId BACKLOG = MeterId.of("panacea.audit.backlog",
            "Audit entries waiting for the group-commit writer to take them into a batch");

    private record Bound(Metrics metrics, Timer stored, Timer failed, AutoCloseable backlog) {
    }

    private volatile Bound bound;

    /** Starts recording into {@code metrics}; the backlog gauge reads {@code backlog}. */
    void bind(Metrics metrics, DoubleSupplier backlog) {
        bound = new Bound(metrics, metrics.timer(APPEND.with("outcome", "stored")),
                metrics.timer(APPEND.with("outcome", "failed")), metrics.gauge(BACKLOG, backlog));
    }

    /** Stops recording into {@code metrics} when it is the one bound, and removes the gauge. */
    void unbind(Metrics metrics) {
        Bound current = bound;
        if (current == null || current.metrics() != metrics) {
            return;
        }
        bound = null;
        try {
            current.backlog().close();
        } catch (Exception e) {
            LOG.debug("Could not remove the audit backlog gauge", e);
        }
    }

    /** Records an append that began at {@code startNanos} ({@link System#nanoTime()}). */
    void appended(long startNanos, boolean stored) {
        Bound current = bound;
        if (current != null) {
            (stored ? current.stored() : current.failed()).recordSince(startNanos);
        }
    }
}

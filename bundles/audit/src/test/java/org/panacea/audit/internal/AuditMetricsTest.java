package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditException;
import org.panacea.testsupport.RecordingMetrics;

/** The audit trail's meters, recorded by the real trail on Derby: append latency by outcome, and the backlog gauge. */
class AuditMetricsTest {

    @TempDir
    Path folder;

    private DerbyDatabase database;
    private HashChainedAuditTrail trail;
    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeEach
    void open() {
        database = new DerbyDatabase(folder);
        trail = database.openTrail(1000);
    }

    @AfterEach
    void close() {
        if (trail != null) {
            trail.close();
        }
        database.close();
    }

    @Test
    void appendsAreTimedUntilDurable() {
        trail.bindMetrics(metrics);
        for (int i = 1; i <= 3; i++) {
            trail.record(Events.read(i));
        }
        assertEquals(3, metrics.timedEvents(AuditMetrics.APPEND.with("outcome", "stored")));
        assertTrue(metrics.timedNanos(AuditMetrics.APPEND.with("outcome", "stored")) > 0);
        assertEquals(0.0, metrics.gauge(AuditMetrics.BACKLOG), "nothing waits once the callers returned");
    }

    @Test
    void aFailedAppendIsTimedAsFailed() {
        trail.bindMetrics(metrics);
        HashChainedAuditTrail closed = trail;
        closed.close();
        trail = null;
        assertThrows(AuditException.class, () -> closed.record(Events.read(1)));
        assertEquals(1, metrics.timedEvents(AuditMetrics.APPEND.with("outcome", "failed")));
        assertEquals(0, metrics.timedEvents(AuditMetrics.APPEND.with("outcome", "stored")));
    }

    @Test
    void unbindingStopsRecordingAndRemovesTheGauge() {
        trail.bindMetrics(metrics);
        trail.unbindMetrics(metrics);
        trail.record(Events.read(1));
        assertEquals(0, metrics.timedEvents(AuditMetrics.APPEND.with("outcome", "stored")));
        assertNull(metrics.gauge(AuditMetrics.BACKLOG));
    }
}

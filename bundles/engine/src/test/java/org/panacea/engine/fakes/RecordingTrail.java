package org.panacea.engine.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** An audit trail that keeps its events in memory, and can be made to fail as with its database down. */
public final class RecordingTrail implements AuditTrail {

    private final List<AuditEvent> events = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    public volatile boolean failing;

    @Override
    public AuditEntry record(AuditEvent event) {
        if (failing) {
            throw new AuditException("audit database down (test)", null);
        }
        synchronized (events) {
            events.add(event);
        }
        return new AuditEntry(sequence.incrementAndGet(), Instant.now(), event, "d", "p", "h");
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AuditVerification verify() {
        throw new UnsupportedOperationException();
    }

    public List<AuditEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The only event recorded; fails when there is not exactly one. */
    public AuditEvent single() {
        List<AuditEvent> all = events();
        if (all.size() != 1) {
            throw new AssertionError("expected one audit event, got " + all);
        }
        return all.get(0);
    }
}

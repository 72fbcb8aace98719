package org.panacea.analysis.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** Keeps every event in memory so tests can see exactly what was audited; can be made to fail. */
public final class RecordingAuditTrail implements AuditTrail {

    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    public volatile boolean failing;

    @Override
    public AuditEntry record(AuditEvent event) {
        if (failing) {
            throw new AuditException("the test trail is down", null);
        }
        events.add(event);
        return new AuditEntry(sequence.incrementAndGet(), Instant.now(), event, "", "", "");
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        return List.of();
    }

    @Override
    public AuditVerification verify() {
        return new AuditVerification(true, events.size(), 0, "");
    }
}

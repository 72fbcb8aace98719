package org.panacea.audit.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** An in-memory trail that keeps the events it was given, or fails every record when told to. */
final class RecordingTrail implements AuditTrail {

    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public AuditEntry record(AuditEvent event) {
        if (failing) {
            throw new AuditException("database down (test)", null);
        }
        events.add(event);
        return new AuditEntry(events.size(), java.time.Instant.now(), event, "", EntryHasher.GENESIS_HASH,
                EntryHasher.GENESIS_HASH);
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AuditVerification verify() {
        throw new UnsupportedOperationException();
    }
}

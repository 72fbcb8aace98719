package org.panacea.security.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** Keeps recorded events in memory so tests can check what the security bundle audits. */
final class RecordingAuditTrail implements AuditTrail {

    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public AuditEntry record(AuditEvent event) {
        events.add(event);
        return new AuditEntry(events.size(), Instant.now(), event, "", "", "");
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public AuditVerification verify() {
        throw new UnsupportedOperationException("not needed by these tests");
    }
}

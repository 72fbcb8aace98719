package org.panacea.security.internal;

import java.time.Instant;
import java.util.List;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** Benchmarks measure encryption, not auditing: key rotation events go nowhere here. */
final class NoAuditTrail implements AuditTrail {

    @Override
    public AuditEntry record(AuditEvent event) {
        return new AuditEntry(0, Instant.now(), event, "", "", "");
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        return List.of();
    }

    @Override
    public AuditVerification verify() {
        return new AuditVerification(true, 0, 0, "");
    }
}

package org.panacea.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The tamper-evident audit trail. Entries are hash-chained and periodically sealed with a keyed checkpoint, so any
 * edit, deletion, insertion, re-ordering or truncation is detected by {@link #verify()}. Thread-safe: concurrent
 * writers never break the chain.
 */
@ProviderType
public interface AuditTrail {

    /**
     * Appends {@code event} and returns only once it is durable (survives a crash of the JVM).
     *
     * @return the stored entry
     * @throws AuditException when it cannot be made durable; the caller must then fail the audited operation
     */
    AuditEntry record(AuditEvent event) throws AuditException;

    /**
     * Appends {@code events}, in order, and returns only once all are durable: for an operation that writes several
     * entries, one wait instead of one per entry (a trail that commits in groups commits them together).
     *
     * @return the stored entries, in the order of {@code events}
     * @throws AuditException when any cannot be made durable; the caller must then fail the audited operation (the
     *                        others may be stored)
     * @since 1.2
     */
    default List<AuditEntry> recordAll(List<AuditEvent> events) throws AuditException {
        return events.stream().map(this::record).toList();
    }

    /** Entries matching {@code query}, newest first. */
    List<AuditEntry> search(AuditQuery query);

    /** Checks the whole chain and the sealed checkpoints. */
    AuditVerification verify();
}

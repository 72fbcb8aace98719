package org.panacea.audit.internal;

import java.time.Instant;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/**
 * One row of the entry table exactly as stored. Action and outcome stay text, so that a row whose values were tampered
 * into something no enum knows can still be hashed and reported by the verifier.
 */
record EntryRow(long sequence, Instant time, String actor, String role, String action, String resourceType,
        String resourceId, String patientId, String outcome, String clientAddress, String detailsDigest,
        String previousHash, String hash) {

    /** The row for {@code event} before its hash is known. */
    static EntryRow unhashed(long sequence, Instant time, AuditEvent event, String detailsDigest, String previousHash) {
        return new EntryRow(sequence, time, event.actor(), event.role(), event.action().name(), event.resourceType(),
                event.resourceId(), event.patientId(), event.outcome().name(), event.clientAddress(), detailsDigest,
                previousHash, null);
    }

    EntryRow withHash(String newHash) {
        return new EntryRow(sequence, time, actor, role, action, resourceType, resourceId, patientId, outcome,
                clientAddress, detailsDigest, previousHash, newHash);
    }

    /**
     * The API view, with the event's details replaced by their digest.
     *
     * @throws IllegalStateException when the stored action or outcome is not a known value (the row was tampered with)
     */
    AuditEntry toAuditEntry() {
        AuditEvent event = new AuditEvent(actor, role, enumValue(AuditAction.class, action), resourceType, resourceId,
                patientId, enumValue(AuditOutcome.class, outcome), clientAddress, detailsDigest);
        return new AuditEntry(sequence, time, event, detailsDigest, previousHash, hash);
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Audit entry " + sequence + " holds the unknown " + type.getSimpleName()
                    + " '" + name + "': it was altered outside the trail; run audit:verify", e);
        }
    }
}

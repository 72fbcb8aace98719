package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.NavigableMap;
import java.util.Optional;

import org.panacea.api.audit.AuditVerification;

/**
 * Verifies the stored trail: streams every entry up to the head seal through a {@link ChainWalk}, then checks the
 * ends. The unkeyed hash chain pins down edits, deletions, insertions and re-orderings to the entry; the keyed
 * checkpoints and head seal catch what an attacker without the key can do on top of that: recompute the chain after a
 * change (caught at the next checkpoint or the head) and cut off the tail (caught by the head seal). Safe while
 * entries are being appended: it checks up to the head it read first. Stateless and thread-safe.
 */
final class ChainVerifier {

    private final AuditStore store;
    private final EntryHasher hasher;
    private final CheckpointSealer sealer;

    ChainVerifier(AuditStore store, EntryHasher hasher, CheckpointSealer sealer) {
        this.store = store;
        this.hasher = hasher;
        this.sealer = sealer;
    }

    /** Verifies through {@code connection}, which should not auto-commit (PostgreSQL then streams). */
    AuditVerification verify(Connection connection) throws SQLException {
        Optional<Seal> storedHead = store.readHead(connection);
        Seal head = storedHead.filter(sealer::isValidHead).orElse(null);
        long upTo = head == null ? Long.MAX_VALUE : head.sequence();
        NavigableMap<Long, Seal> checkpoints = store.readCheckpoints(connection, upTo);
        ChainWalk walk = new ChainWalk(hasher, sealer, checkpoints, head);
        if (walk.checkCheckpointRange()) {
            store.forEachEntry(connection, upTo, walk::visit);
        }
        if (walk.broken() != null) {
            return walk.broken();
        }
        if (head == null) {
            return verifyWithoutHead(walk, checkpoints, storedHead.isPresent());
        }
        if (walk.lastSequence() < head.sequence()) {
            walk.fail(walk.lastSequence() + 1, "entries " + (walk.lastSequence() + 1) + " to " + head.sequence()
                    + " are missing, the head seal names entry " + head.sequence() + ": the tail was truncated");
            return walk.broken();
        }
        return verifyNothingBeyond(connection, walk, head);
    }

    private static AuditVerification verifyWithoutHead(ChainWalk walk, NavigableMap<Long, Seal> checkpoints,
            boolean headStored) {
        if (!headStored && walk.entriesRead() == 0 && checkpoints.isEmpty()) {
            return new AuditVerification(true, 0, 0, "");
        }
        walk.fail(walk.lastSealed() + 1, (headStored ? "the head seal does not verify (forged or edited, or the"
                + " audit key was replaced)" : "the head seal is missing")
                + ", so nothing after checkpoint " + walk.lastSealed()
                + " can be vouched for: the tail may have been truncated or rewritten");
        return walk.broken();
    }

    /**
     * Entries past the verified head are fine only if a newer valid head covers them (appended meanwhile). The
     * newest sequence is read before the head: the trail writes both in one transaction, so in this order a
     * concurrent append can never look like an insertion.
     */
    private AuditVerification verifyNothingBeyond(Connection connection, ChainWalk walk, Seal head)
            throws SQLException {
        long newest = store.maxSequence(connection);
        long sealed = store.readHead(connection).filter(sealer::isValidHead).map(Seal::sequence)
                .orElse(head.sequence());
        if (newest > Math.max(sealed, head.sequence())) {
            long first = Math.max(sealed, head.sequence()) + 1;
            walk.fail(first, "no head seal covers this entry: it was appended outside the audit trail");
            return walk.broken();
        }
        return new AuditVerification(true, walk.entriesRead(), 0, "");
    }
}

package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;

import org.panacea.api.audit.AuditVerification;

/**
 * Verifies the stored trail: streams every entry up to the head seal through a {@link ChainWalk}, then checks the
 * ends. The unkeyed hash chain pins down edits, deletions, insertions and re-orderings to the entry; the keyed
 * checkpoints and head seal catch what an attacker without the key can do on top of that: recompute the chain after a
 * change (caught at the next checkpoint or the head) and cut off the tail (caught by the head seal). Safe while
 * entries are being appended, by any node: it checks up to the head it read first. What no key can catch, a database rolled back
 * as a whole to an older state of itself, the anchors outside it catch ({@link AnchorComparison}). Stateless and
 * thread-safe.
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

    /**
     * Verifies through {@code connection}, which should not auto-commit (PostgreSQL then streams), and compares the
     * verified chain with {@code anchorFiles}. Read the anchor files <em>before</em> calling: every node anchors an
     * entry only after it committed, so every anchor read first, whichever node wrote it, names an entry the database
     * then already holds.
     */
    TrailVerdict verify(Connection connection, List<AnchorFiles.FileContent> anchorFiles) throws SQLException {
        AnchorComparison anchors = new AnchorComparison(anchorFiles);
        Optional<Seal> storedHead = store.readHead(connection);
        long upTo = Long.MAX_VALUE;
        if (storedHead.isEmpty()) {
            // No head row: an empty trail, a deleted head, or the trail's very first commit (entries and head in one
            // transaction) landing right now. Look again after reading the newest entry, and never walk past the
            // entries that existed then: a first commit racing this check must not look like a missing head.
            upTo = store.maxSequence(connection);
            storedHead = upTo == 0 ? storedHead : store.readHead(connection);
        }
        Seal head = storedHead.filter(sealer::isValidHead).orElse(null);
        if (head != null) {
            upTo = head.sequence();
        } else if (storedHead.isPresent()) {
            upTo = Long.MAX_VALUE;
        }
        NavigableMap<Long, Seal> checkpoints = store.readCheckpoints(connection, upTo);
        ChainWalk walk = new ChainWalk(hasher, sealer, checkpoints, head);
        AuditVerification chain = verifyChain(connection, walk, anchors, head, upTo, checkpoints,
                storedHead.isPresent());
        if (!chain.intact()) {
            return anchors.chainBroken(chain);
        }
        return anchors.verdict(walk.entriesRead(), walk.lastSequence());
    }

    /** The chain alone, as before anchors existed, streamed through {@code walk} and {@code anchors}. */
    private AuditVerification verifyChain(Connection connection, ChainWalk walk, AnchorComparison anchors, Seal head,
            long upTo, NavigableMap<Long, Seal> checkpoints, boolean headStored) throws SQLException {
        if (walk.checkCheckpointRange()) {
            store.forEachEntry(connection, upTo, row -> walk.visit(row) && anchors.visit(row));
        }
        if (walk.broken() != null) {
            return walk.broken();
        }
        if (head == null) {
            return verifyWithoutHead(walk, checkpoints, headStored);
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

package org.panacea.audit.internal;

import java.util.NavigableMap;

import org.panacea.api.audit.AuditVerification;

/**
 * Checks entries one at a time, in sequence order, against the entry before them, their own hash, their checkpoint
 * and the head seal, and remembers the first problem. Holds one entry's worth of state, so the chain can be streamed.
 * Not thread-safe; one per verification.
 */
final class ChainWalk {

    private final EntryHasher hasher;
    private final CheckpointSealer sealer;
    private final NavigableMap<Long, Seal> checkpoints;
    private final Seal head;

    private long entriesRead;
    private long lastSequence;
    private String lastHash = EntryHasher.GENESIS_HASH;
    private long lastSealed;
    private AuditVerification broken;

    /**
     * @param checkpoints the stored checkpoints by sequence number
     * @param head        the head seal, already known to verify, or {@code null} when there is none to trust
     */
    ChainWalk(EntryHasher hasher, CheckpointSealer sealer, NavigableMap<Long, Seal> checkpoints, Seal head) {
        this.hasher = hasher;
        this.sealer = sealer;
        this.checkpoints = checkpoints;
        this.head = head;
    }

    /** Checks checkpoints that name a sequence number no entry can have; call before the first entry. */
    boolean checkCheckpointRange() {
        if (!checkpoints.isEmpty() && checkpoints.firstKey() < 1) {
            return fail(checkpoints.firstKey(), "a checkpoint names this sequence number, which no entry can have:"
                    + " the checkpoint was forged");
        }
        return true;
    }

    /** Checks {@code row}; returns {@code false} once a problem is found. */
    boolean visit(EntryRow row) {
        entriesRead++;
        long sequence = row.sequence();
        long expected = lastSequence + 1;
        if (sequence > expected) {
            return fail(expected, "the entry is missing (the next stored entry is " + sequence + "): it was deleted");
        }
        if (sequence < expected) {
            return fail(sequence, sequence < 1 ? "no entry can have this sequence number: it was inserted"
                    : "the sequence number appears twice: an entry was inserted");
        }
        if (!row.previousHash().equals(lastHash)) {
            return fail(sequence, "its previous hash does not match the hash of "
                    + (lastSequence == 0 ? "the chain's start" : "entry " + lastSequence)
                    + ": entries were replaced, inserted or re-ordered here");
        }
        if (!hasher.hash(row).equals(row.hash())) {
            return fail(sequence, "its fields do not match its hash: the entry was edited");
        }
        if (!matchesCheckpoint(row) || !matchesHead(row)) {
            return false;
        }
        lastSequence = sequence;
        lastHash = row.hash();
        return true;
    }

    private boolean matchesCheckpoint(EntryRow row) {
        Seal checkpoint = checkpoints.get(row.sequence());
        if (checkpoint == null) {
            return true;
        }
        if (!sealer.isValidCheckpoint(checkpoint)) {
            return fail(row.sequence(), "its checkpoint seal does not verify: the checkpoint was forged or edited,"
                    + " or the audit key was replaced");
        }
        if (!checkpoint.hash().equals(row.hash())) {
            return fail(row.sequence(), "it differs from its sealed checkpoint: the chain was rewritten after entry "
                    + lastSealed);
        }
        lastSealed = row.sequence();
        return true;
    }

    private boolean matchesHead(EntryRow row) {
        if (head != null && head.sequence() == row.sequence() && !head.hash().equals(row.hash())) {
            return fail(row.sequence(), "it differs from the sealed head: the chain was rewritten after entry "
                    + lastSealed);
        }
        return true;
    }

    /** Records a problem at {@code sequence} and returns {@code false}, to stop the walk. */
    boolean fail(long sequence, String problem) {
        if (broken == null) {
            broken = new AuditVerification(false, entriesRead, sequence, problem);
        }
        return false;
    }

    /** The first problem found, or {@code null}. */
    AuditVerification broken() {
        return broken;
    }

    long entriesRead() {
        return entriesRead;
    }

    /** The sequence number of the last entry that passed every check, 0 before the first. */
    long lastSequence() {
        return lastSequence;
    }

    /** The sequence number of the last entry that matched a valid checkpoint, 0 if none did. */
    long lastSealed() {
        return lastSealed;
    }
}

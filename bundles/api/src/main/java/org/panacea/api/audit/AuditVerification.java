package org.panacea.api.audit;

import java.util.Objects;

/**
 * The result of checking the whole chain, and of comparing it with the anchors the trail keeps outside its database.
 *
 * @param intact            {@code true} when no entry was edited, deleted, inserted or re-ordered, the tail matches
 *                          the last sealed checkpoint, and every anchor still matches the chain (or was superseded by
 *                          a restore epoch)
 * @param entriesChecked    how many entries were checked
 * @param firstBroken       sequence number of the first entry found broken, or 0 when intact
 * @param problem           what is wrong with it, or empty when intact
 * @param anchorsMatched    how many anchors (sealed statements outside the database that entry n had hash h) the
 *                          chain matched; since 1.1
 * @param anchorsSuperseded how many anchors made before a {@link AuditAction#RESTORE_EPOCH} the restored chain no
 *                          longer matches: a recorded restore, not tampering; since 1.1
 * @param lostEvents        how many events could not be recorded while the trail was failing and were counted
 *                          instead ({@link AuditAction#AUDIT_GAP}); the chain can be intact and still have gaps;
 *                          since 1.1
 * @param remarks           restore epochs and gaps in words, or empty; since 1.1
 */
public record AuditVerification(boolean intact, long entriesChecked, long firstBroken, String problem,
        long anchorsMatched, long anchorsSuperseded, long lostEvents, String remarks) {

    public AuditVerification {
        problem = Objects.requireNonNullElse(problem, "");
        remarks = Objects.requireNonNullElse(remarks, "");
    }

    /** A result without anchors, epochs or gaps: the form of 1.0. */
    public AuditVerification(boolean intact, long entriesChecked, long firstBroken, String problem) {
        this(intact, entriesChecked, firstBroken, problem, 0, 0, 0, "");
    }

    /**
     * One line for consoles and logs: {@code OK <n> entries verified[ against <a> anchors]} or
     * {@code BROKEN at entry <k>: ...}, followed by the remarks when there are any.
     */
    public String summary() {
        String line;
        if (intact) {
            line = "OK " + entriesChecked + " entries verified";
            if (anchorsMatched > 0 || anchorsSuperseded > 0) {
                line += " against " + anchorsMatched + (anchorsMatched == 1 ? " anchor" : " anchors");
            }
        } else {
            line = "BROKEN at entry " + firstBroken + ": " + problem + " (" + entriesChecked + " entries checked)";
        }
        return remarks.isEmpty() ? line : line + "; " + remarks;
    }
}

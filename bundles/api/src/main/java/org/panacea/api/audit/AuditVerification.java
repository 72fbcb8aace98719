package org.panacea.api.audit;

import java.util.Objects;

/**
 * The result of checking the whole chain.
 *
 * @param intact         {@code true} when no entry was edited, deleted, inserted or re-ordered and the tail matches
 *                       the last sealed checkpoint
 * @param entriesChecked how many entries were checked
 * @param firstBroken    sequence number of the first entry found broken, or 0 when intact
 * @param problem        what is wrong with it, or empty when intact
 */
public record AuditVerification(boolean intact, long entriesChecked, long firstBroken, String problem) {

    public AuditVerification {
        problem = Objects.requireNonNullElse(problem, "");
    }

    /** One line for consoles and logs: {@code OK <n> entries ...} or {@code BROKEN at entry <k>: ...}. */
    public String summary() {
        return intact
                ? "OK " + entriesChecked + " entries verified"
                : "BROKEN at entry " + firstBroken + ": " + problem + " (" + entriesChecked + " entries checked)";
    }
}

package org.panacea.audit.internal;

import org.panacea.api.audit.AuditVerification;

/**
 * A verification with what decided it, for the trail's own use: a restore epoch may be recorded only when the chain
 * and the anchor files are sound and just the anchors no longer match.
 *
 * @param verification what callers of {@code verify()} get
 * @param cause        what broke, {@link Cause#NONE} when intact
 * @param unmatched    how many anchors, not superseded by a restore epoch, the chain no longer matches
 */
record TrailVerdict(AuditVerification verification, Cause cause, long unmatched) {

    enum Cause {
        /** Intact. */
        NONE,
        /** The chain itself: an entry, checkpoint or head seal in the database. */
        CHAIN,
        /** An anchor file: a line edited, removed or forged. */
        ANCHOR_FILE,
        /** The chain is sound but no longer holds what anchors say it held: rolled back or replaced. */
        ANCHORS
    }
}

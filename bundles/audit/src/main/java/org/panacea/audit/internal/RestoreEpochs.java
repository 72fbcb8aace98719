package org.panacea.audit.internal;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.Caller;

/**
 * Records that the trail's database was restored from a backup on purpose. Anchors made before the epoch that the
 * restored chain no longer matches are then reported as superseded instead of broken. A service private to this
 * bundle (its package is not exported): only the {@code audit:restore-epoch} command, which checks that its caller may
 * administer the platform, reaches it; {@link org.panacea.api.audit.AuditTrail#record} refuses the action.
 */
public interface RestoreEpochs {

    /**
     * Writes a {@code RESTORE_EPOCH} entry by {@code administrator} into the chain and anchors it.
     *
     * @param administrator who declares the restore; the caller must have checked that they may administer
     * @param reason        why, in one line of at most {@value #MAX_REASON} characters: kept in the anchor line and,
     *                      as its digest, in the entry
     * @return the epoch and the verification after it
     * @throws IllegalArgumentException when the reason is blank, too long or not one line
     * @throws IllegalStateException    when there is nothing a restore epoch can settle: every anchor matches, or the
     *                                  chain or an anchor file is broken in itself
     * @throws AuditException           when the trail cannot record it
     */
    RestoreEpoch recordRestoreEpoch(Caller administrator, String reason);

    int MAX_REASON = 500;

    /**
     * @param entry        the {@code RESTORE_EPOCH} entry
     * @param superseded   how many anchors it settles (the restored chain no longer matches them)
     * @param anchored     {@code false} when its own anchor line could not be written (logged)
     * @param verification the verification right after it
     */
    record RestoreEpoch(AuditEntry entry, long superseded, boolean anchored, AuditVerification verification) {
    }
}

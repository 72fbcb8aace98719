package org.panacea.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Entries handed to the trail with {@link AuditTrail#submitAll} that may not be durable yet. The caller goes on with
 * the audited operation while the trail stores them, and calls {@link #await()} before anything makes the operation
 * durable or visible (its commit, its answer): an operation is never carried out unaudited, and the trail's commit
 * runs beside the operation's own work instead of before it.
 *
 * @since 1.4
 */
@ProviderType
public interface PendingEntries {

    /**
     * Waits until the entries are durable (survive a crash of the JVM). May be called more than once; each call
     * answers as the first did.
     *
     * @return the stored entries, in the order they were submitted
     * @throws AuditException when any could not be made durable, or the wait was interrupted; the caller must then
     *                        fail the audited operation (the others may be stored)
     */
    List<AuditEntry> await() throws AuditException;
}

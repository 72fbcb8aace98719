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

    /**
     * Hands {@code events} to the trail, in order, to be made durable while the caller goes on with what they record;
     * the caller must {@link PendingEntries#await() await} them before it commits or acknowledges that operation. For
     * an operation with a commit of its own (a record's): the trail's commit then overlaps the operation's work
     * instead of preceding it, and the operation is still never durable before its entries. A caller whose operation
     * fails after the events were submitted must record that it failed, as after {@link #record}: the entries may be
     * stored.
     * <p>
     * The default stores them at once with {@link #recordAll}, so they are durable before this returns; a trail that
     * commits in groups queues them and returns without waiting.
     *
     * @return the handle to wait on
     * @throws IllegalArgumentException when an event may not be recorded by callers at all (nothing is submitted)
     * @throws AuditException           when they cannot be stored, here or from {@link PendingEntries#await()}
     * @since 1.4
     */
    default PendingEntries submitAll(List<AuditEvent> events) throws AuditException {
        List<AuditEntry> entries = List.copyOf(recordAll(events));
        return () -> entries;
    }

    /** Entries matching {@code query}, newest first. */
    List<AuditEntry> search(AuditQuery query);

    /**
     * The entries after {@code sequence}, in sequence order, every node's, at most {@code limit}: for a reader that
     * follows the whole trail (the alert rules across nodes) from a cursor of its own. The entries are those a
     * {@link CommittedEntryListener} gets (details replaced by their digest). Appends of all nodes take turns, so an
     * entry is only ever visible after every entry before it: reading on from the last sequence returned misses none.
     *
     * @param sequence the last entry already read, 0 to read from the first
     * @param limit    most entries to return, 1 to {@value #MAX_ENTRIES_AFTER}
     * @return the entries, possibly fewer than {@code limit} (none when nothing follows {@code sequence})
     * @throws IllegalArgumentException when {@code sequence} is negative or {@code limit} out of range
     * @throws AlteredEntryException   when the first entry that would be returned was altered into something no
     *                                  {@link AuditEntry} represents (an altered entry later in the range ends the list
     *                                  before it instead): read on from its sequence
     * @throws AuditException           when the trail cannot be read
     * @throws UnsupportedOperationException by trails that keep nothing to read back (the default)
     * @since 1.3
     */
    default List<AuditEntry> entriesAfter(long sequence, int limit) throws AuditException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot read its entries back in order");
    }

    /** Most entries {@link #entriesAfter} returns in one call. */
    int MAX_ENTRIES_AFTER = 1000;

    /** Checks the whole chain and the sealed checkpoints. */
    AuditVerification verify();
}

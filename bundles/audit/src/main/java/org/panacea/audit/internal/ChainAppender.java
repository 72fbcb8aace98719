package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends the one chain that every node sharing the database appends to, by whole batches. A batch is one
 * transaction: it locks the head row, reads the head from the database under that lock (never from memory: another
 * node may have moved it since this one last wrote), numbers and chains its events after it, seals every checkpoint
 * it reaches and the new head, stores all of it and commits, which releases the lock. So the database orders the
 * batches of all nodes, and each continues exactly where the last committed one ended: the sequence numbers stay
 * gap-free and the chain fork-free whatever the interleaving. A batch that fails, or a node that dies in the middle of
 * one, leaves nothing behind: the database rolls the whole transaction back, the lock goes with it, and the next batch
 * of any node reads the head as it was.
 *
 * <p>Not thread-safe: only the writer thread calls {@link #commit}; {@link #sealFinalCheckpoint} and {@link #close}
 * run after that thread has stopped. {@link #committedHead()} may be read from any thread.
 */
final class ChainAppender implements AutoCloseable {

    /**
     * PostgreSQL ends a session that stays this long inside a transaction without a statement, which rolls it back and
     * releases the head lock. A node that froze or lost its network while holding the lock would otherwise hold up
     * every node's audit until TCP noticed, which can take hours; the writer itself pauses between its statements
     * only to hash.
     */
    static final int IDLE_IN_TRANSACTION_SECONDS = 30;
    /**
     * On PostgreSQL a batch that waits this long for a lock fails (its callers get an {@link AuditException}) instead
     * of holding them forever: Derby's default lock wait.
     */
    static final int LOCK_WAIT_SECONDS = 60;

    private static final Logger LOG = LoggerFactory.getLogger(ChainAppender.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;
    /** Pooled connections tried in turn before a batch fails: see {@link #connection()}. */
    private static final int CONNECTION_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final AuditStore store;
    private final EntryHasher hasher;
    private final CheckpointSealer sealer;
    private final int checkpointInterval;

    /** Most entries of failed commits kept for {@link #storedAfterAll}; a longer outage forgets the oldest. */
    static final int MAX_IN_DOUBT = 10_000;

    /**
     * Entries whose commit lost its connection: the database (and a synchronous standby, which a fail-over
     * promotes) may have committed them although their callers were told it failed. The next successful batch looks.
     */
    private final List<EntryRow> inDoubt = new ArrayList<>();
    /** Entries of {@link #inDoubt} that a later batch found stored, not yet handed to {@link #takeStoredAfterAll}. */
    private final List<EntryRow> storedAfterAll = new ArrayList<>();
    /** The newest head this node committed, or found at start; other nodes may have moved the chain on since. */
    private volatile ChainHead committed;
    private Connection connection;
    private AuditStore.HeadLock headLock;

    ChainAppender(DataSource dataSource, AuditStore store, EntryHasher hasher, CheckpointSealer sealer,
            int checkpointInterval) {
        this.dataSource = dataSource;
        this.store = store;
        this.hasher = hasher;
        this.sealer = sealer;
        this.checkpointInterval = checkpointInterval;
    }

    /**
     * The newest head this node committed (or found at start), or empty before it was first read: an entry this node
     * knows to be stored, not necessarily the newest of the chain.
     */
    Optional<ChainHead> committedHead() {
        return Optional.ofNullable(committed);
    }

    /**
     * Reads the head at start: makes the sealed head row of a new chain, checks the seal, and logs when the newest
     * stored entry is not the one it names.
     *
     * @throws AuditException when the database cannot be read or its head seal is missing or forged; nothing can be
     *                        appended until that is settled
     */
    ChainHead loadHead() {
        try {
            Connection c = connection();
            createHeadRowIfMissing(c);
            Seal seal = store.readHead(c).orElseThrow(() -> new SQLException("The audit head row is missing"));
            long stored = store.maxSequence(c);
            c.commit();
            ChainHead head = verified(seal);
            if (stored != head.sequence()) {
                // Continuing from the sealed head keeps the evidence: the next verification reports the mismatch.
                LOG.error("The audit head seal names entry {} but the newest stored entry is {}: entries were deleted"
                        + " or inserted outside the trail. Run audit:verify", head.sequence(), stored);
            }
            committed = head;
            return head;
        } catch (SQLException e) {
            rollbackAndClose();
            throw new AuditException("Cannot read the head of the audit trail: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackAndClose();
            throw e;
        }
    }

    /**
     * Appends {@code events} in order after the chain's head in the database and returns them as stored, once
     * committed.
     *
     * @throws AuditException when anything failed; then nothing of the batch is stored and the head did not move
     */
    List<AuditEntry> commit(List<DigestedEvent> events) {
        List<EntryRow> rows = new ArrayList<>(events.size());
        ChainHead head;
        boolean committing = false;
        List<EntryRow> found;
        try {
            Connection c = connection();
            List<Seal> checkpoints = new ArrayList<>();
            ChainHead locked = lockHead(c);
            found = storedOf(c, inDoubt);
            head = chain(locked, events, rows, checkpoints);
            store.append(c, rows, checkpoints, sealer.sealHead(head));
            committing = true;
            c.commit();
        } catch (SQLException | RuntimeException e) {
            // The commit may or may not have happened (the connection can fail inside it): only the database knows,
            // and the next batch reads the head from it, and looks whether these entries are stored after all.
            rollbackAndClose();
            if (committing) {
                inDoubt.addAll(rows);
                if (inDoubt.size() > MAX_IN_DOUBT) {
                    inDoubt.subList(0, inDoubt.size() - MAX_IN_DOUBT).clear();
                }
            }
            if (e instanceof AuditException refused) {
                throw refused;
            }
            throw new AuditException("Could not store " + events.size() + " audit entries: " + e.getMessage(), e);
        }
        committed = head;
        if (!inDoubt.isEmpty()) {
            if (!found.isEmpty()) {
                LOG.warn("Audit entries {} to {} were stored although their commit failed for their callers (the"
                        + " connection was lost during it): {} of them; the trail records that", found.get(0).sequence(),
                        found.get(found.size() - 1).sequence(), found.size());
            }
            inDoubt.clear();
            storedAfterAll.addAll(found);
        }
        return rows.stream().map(EntryRow::toAuditEntry).toList();
    }

    /**
     * The entries whose commit failed for their callers but that a later batch found stored, once each: their callers
     * got an {@link AuditException}, so what they record was not carried out (a record write) or was counted as lost
     * (a login). Called by the writer thread after a batch committed.
     */
    List<EntryRow> takeStoredAfterAll() {
        List<EntryRow> taken = List.copyOf(storedAfterAll);
        storedAfterAll.clear();
        return taken;
    }

    /**
     * Which of {@code rows} are stored, in this transaction that holds the head lock: an entry of this sequence with
     * this hash (the hash covers the previous one, so no other node's entry has it).
     */
    private List<EntryRow> storedOf(Connection c, List<EntryRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<EntryRow> stored = new ArrayList<>();
        for (EntryRow row : rows) {
            if (store.entryHash(c, row.sequence()).filter(row.hash()::equals).isPresent()) {
                stored.add(row);
            }
        }
        return stored;
    }

    /**
     * Seals the chain's newest entry, as the database holds it, as a checkpoint, so a restart's verification does not
     * rest on the head seal alone.
     *
     * @return the sealed head, or empty when there was none to seal or the seal could not be stored
     */
    Optional<ChainHead> sealFinalCheckpoint() {
        try {
            Connection c = connection();
            Optional<Seal> seal = store.lockHead(c, headLock);
            if (seal.isEmpty() || seal.get().sequence() == 0) {
                c.rollback();
                return Optional.empty();
            }
            // A forged head would have the checkpoint vouch for entries that do not exist.
            ChainHead head = verified(seal.get());
            store.insertCheckpointIfMissing(c, sealer.sealCheckpoint(head.sequence(), head.hash()));
            c.commit();
            return Optional.of(head);
        } catch (SQLException | RuntimeException e) {
            rollbackAndClose();
            LOG.warn("Could not seal the final audit checkpoint: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    /** Locks the head row and reads the head under the lock; makes the row first when a new chain has none. */
    private ChainHead lockHead(Connection c) throws SQLException {
        Optional<Seal> seal = store.lockHead(c, headLock);
        if (seal.isEmpty()) {
            c.rollback();
            createHeadRowIfMissing(c);
            seal = store.lockHead(c, headLock);
        }
        return verified(seal.orElseThrow(() -> new SQLException("The audit head row was deleted while appending")));
    }

    /**
     * Gives a chain without a head row the sealed head of the empty chain, in a transaction of its own: the row whose
     * lock orders every node's batches must exist before the first of them. Nodes starting together on a new database
     * may race here; the row whichever of them won made is the same.
     *
     * @throws AuditException when entries are stored but their head row is gone
     */
    private void createHeadRowIfMissing(Connection c) throws SQLException {
        try {
            if (store.readHead(c).isEmpty()) {
                long stored = store.maxSequence(c);
                if (stored > 0) {
                    throw new AuditException("The audit trail holds entries up to " + stored + " but its head seal is"
                            + " missing: it was tampered with. Run audit:verify; nothing is appended until it is"
                            + " restored", null);
                }
                store.insertHead(c, sealer.sealHead(ChainHead.GENESIS));
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (store.readHead(c).isEmpty()) {
                throw e;
            }
            c.commit();
        }
    }

    private ChainHead verified(Seal seal) {
        if (!sealer.isValidHead(seal)) {
            throw new AuditException("The head seal of the audit trail does not verify with the audit key: the key file"
                    + " was replaced or the seal forged. Restore the original key file or run audit:verify;"
                    + " nothing is appended until then", null);
        }
        return new ChainHead(seal.sequence(), seal.hash());
    }

    private ChainHead chain(ChainHead previous, List<DigestedEvent> events, List<EntryRow> rows,
            List<Seal> checkpoints) {
        ChainHead head = previous;
        for (DigestedEvent pending : events) {
            long sequence = head.sequence() + 1;
            // Microseconds: the finest precision both Derby and PostgreSQL store, so the hashed time is the stored one.
            Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
            EntryRow unhashed = EntryRow.unhashed(sequence, time, pending.event(), pending.detailsDigest(), head.hash());
            EntryRow row = unhashed.withHash(hasher.hash(unhashed));
            rows.add(row);
            head = new ChainHead(sequence, row.hash());
            if (sequence % checkpointInterval == 0) {
                checkpoints.add(sealer.sealCheckpoint(sequence, row.hash()));
            }
        }
        return head;
    }

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
            closeConnection();
        }
        // The data source is a pool: a connection it lends may have been used by someone else a moment ago and be
        // lent without a check, dead with the server that was just lost. Setting it up talks to the server, which
        // fails then, and the pool drops a connection whose use failed with a lost-connection state: the next one
        // it lends is another (a new one, to the promoted standby, once the idle ones are found dead too).
        for (int attempt = 1; connection == null; attempt++) {
            Connection fresh = dataSource.getConnection();
            try {
                fresh.setAutoCommit(false);
                // A batch that waited for the head lock must then read the head its holder committed: read committed
                // does; under repeatable read PostgreSQL would fail the batch instead.
                fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                headLock = AuditStore.HeadLock.of(fresh);
                if (headLock == AuditStore.HeadLock.SELECT_FOR_UPDATE) {
                    limitWaits(fresh);
                }
                connection = fresh;
            } catch (SQLException e) {
                fresh.close();
                if (attempt >= CONNECTION_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("A pooled audit connection could not be set up; taking another", e);
            }
        }
        return connection;
    }

    /** PostgreSQL's time limits for this session; see {@link #IDLE_IN_TRANSACTION_SECONDS}. */
    private static void limitWaits(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("SET idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION_SECONDS + "s'");
            statement.execute("SET lock_timeout = '" + LOCK_WAIT_SECONDS + "s'");
        }
        // A rollback would undo the settings with the transaction they opened.
        c.commit();
    }

    private void rollbackAndClose() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.debug("Rollback after a failed audit commit failed too", e);
            }
        }
        closeConnection();
    }

    /**
     * Gives the connection back to the pool, its session as the pool lent it: the time limits {@link #limitWaits}
     * set outlive the connection's return (a pool resets auto-commit and isolation, not session settings), and
     * would otherwise bound the waits of whoever borrows it next. On a connection that is gone the reset fails, which
     * is what makes the pool drop it rather than lend it again.
     */
    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            if (headLock == AuditStore.HeadLock.SELECT_FOR_UPDATE) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("RESET idle_in_transaction_session_timeout");
                    statement.execute("RESET lock_timeout");
                }
                connection.commit();
            }
        } catch (SQLException e) {
            LOG.debug("Resetting the audit connection's session failed (it is gone; the pool drops it)", e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the audit connection failed", e);
        } finally {
            connection = null;
        }
    }
}

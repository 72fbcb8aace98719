package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.SQLException;
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
 * Extends the chain by whole batches: numbers the events after the committed head, chains their hashes, seals every
 * checkpoint the batch reaches and the new head, and stores all of it in one transaction. The in-memory head moves
 * only after the commit succeeded, so a failed batch leaves it at the last committed state; it is then also reloaded
 * from the database's head seal before the next batch, because a commit that failed mid-way may still have landed,
 * and the chain must continue from what is really stored.
 *
 * <p>Not thread-safe: only the writer thread calls {@link #commit}; {@link #sealFinalCheckpoint} and {@link #close}
 * run after that thread has stopped. {@link #committedHead()} may be read from any thread.
 */
final class ChainAppender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainAppender.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final AuditStore store;
    private final EntryHasher hasher;
    private final CheckpointSealer sealer;
    private final int checkpointInterval;

    private volatile ChainHead committed;
    /** The database may hold a different head than {@link #committed}: reload before appending. */
    private boolean stale = true;
    private Connection connection;

    ChainAppender(DataSource dataSource, AuditStore store, EntryHasher hasher, CheckpointSealer sealer,
            int checkpointInterval) {
        this.dataSource = dataSource;
        this.store = store;
        this.hasher = hasher;
        this.sealer = sealer;
        this.checkpointInterval = checkpointInterval;
    }

    /** The last head known to be committed, or empty before it was first loaded from the database. */
    Optional<ChainHead> committedHead() {
        return Optional.ofNullable(committed);
    }

    /**
     * Loads the committed head from the database's head seal.
     *
     * @throws AuditException when the database cannot be read or its head seal is missing or forged; nothing can be
     *                        appended until it loads
     */
    ChainHead loadHead() {
        try {
            committed = readSealedHead(connection());
            stale = false;
            return committed;
        } catch (SQLException e) {
            closeConnection();
            throw new AuditException("Cannot read the head of the audit trail: " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@code events} in order and returns them as stored, once committed.
     *
     * @throws AuditException when anything failed; then nothing of the batch is stored and the head did not move
     */
    List<AuditEntry> commit(List<DigestedEvent> events) {
        if (stale) {
            loadHead();
        }
        List<EntryRow> rows = new ArrayList<>(events.size());
        List<Seal> checkpoints = new ArrayList<>();
        ChainHead head = chain(events, rows, checkpoints);
        try {
            Connection c = connection();
            store.append(c, rows, checkpoints, sealer.sealHead(head));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            // The commit may or may not have happened (the connection can fail inside it): only the database knows.
            stale = true;
            rollbackAndClose();
            throw new AuditException("Could not store " + events.size() + " audit entries: " + e.getMessage(), e);
        }
        committed = head;
        return rows.stream().map(EntryRow::toAuditEntry).toList();
    }

    /**
     * Seals the newest entry as a checkpoint, so a restart's verification does not rest on the head seal alone.
     *
     * @return the sealed head, or empty when there was none to seal or the seal could not be stored
     */
    Optional<ChainHead> sealFinalCheckpoint() {
        ChainHead head = committed;
        if (stale || head == null || head.sequence() == 0) {
            // A stale head may not be what is stored; sealing it could vouch for entries that do not exist.
            return Optional.empty();
        }
        try {
            Connection c = connection();
            store.insertCheckpointIfMissing(c, sealer.sealCheckpoint(head.sequence(), head.hash()));
            c.commit();
            return Optional.of(head);
        } catch (SQLException e) {
            rollbackAndClose();
            LOG.warn("Could not seal the final audit checkpoint at entry {}: {}", head.sequence(), e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private ChainHead chain(List<DigestedEvent> events, List<EntryRow> rows, List<Seal> checkpoints) {
        ChainHead head = committed;
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

    private ChainHead readSealedHead(Connection c) throws SQLException {
        Optional<Seal> seal = store.readHead(c);
        long stored = store.maxSequence(c);
        c.commit();
        if (seal.isEmpty()) {
            if (stored > 0) {
                throw new AuditException("The audit trail holds entries up to " + stored + " but its head seal is"
                        + " missing: it was tampered with. Run audit:verify; nothing is appended until it is restored",
                        null);
            }
            return ChainHead.GENESIS;
        }
        if (!sealer.isValidHead(seal.get())) {
            throw new AuditException("The head seal of the audit trail does not verify with the audit key: the key file"
                    + " was replaced or the seal forged. Restore the original key file or run audit:verify;"
                    + " nothing is appended until then", null);
        }
        if (stored != seal.get().sequence()) {
            // Continuing from the sealed head keeps the evidence: the next verification reports the mismatch.
            LOG.error("The audit head seal names entry {} but the newest stored entry is {}: entries were deleted or"
                    + " inserted outside the trail. Run audit:verify", seal.get().sequence(), stored);
        }
        return new ChainHead(seal.get().sequence(), seal.get().hash());
    }

    private Connection connection() throws SQLException {
        if (connection != null && !connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
            closeConnection();
        }
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            try {
                fresh.setAutoCommit(false);
            } catch (SQLException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
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

    private void closeConnection() {
        if (connection == null) {
            return;
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

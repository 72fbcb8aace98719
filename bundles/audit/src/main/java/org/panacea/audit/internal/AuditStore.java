package org.panacea.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.panacea.api.audit.AuditQuery;

/**
 * Plain-JDBC access to the tables of {@link AuditSchema}. Every statement is parameterized. Methods work on the
 * connection they are given and never commit: the caller owns the transaction. Times are stored as UTC wall-clock
 * {@code TIMESTAMP}s, independent of the JVM's time zone. The one row of {@code AUDIT_HEAD} is also the lock that
 * orders every node's appends ({@link #lockHead}). Stateless and thread-safe.
 */
final class AuditStore {

    /** Rows fetched per round trip when streaming: bounded memory however long the trail is. */
    static final int FETCH_SIZE = 500;

    private static final String ENTRY_COLUMNS = "SEQ, EVENT_TIME, ACTOR, ACTOR_ROLE, AUDIT_ACTION, RESOURCE_TYPE, "
            + "RESOURCE_ID, PATIENT_ID, OUTCOME, CLIENT_ADDRESS, DETAILS_DIGEST, PREVIOUS_HASH, ENTRY_HASH";
    private static final String INSERT_ENTRY =
            "INSERT INTO AUDIT_ENTRY (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String STREAM_ENTRIES =
            "SELECT " + ENTRY_COLUMNS + " FROM AUDIT_ENTRY WHERE SEQ <= ? ORDER BY SEQ";
    private static final String ENTRIES_AFTER =
            "SELECT " + ENTRY_COLUMNS + " FROM AUDIT_ENTRY WHERE SEQ > ? ORDER BY SEQ";
    private static final String MAX_SEQUENCE = "SELECT MAX(SEQ) FROM AUDIT_ENTRY";
    private static final String ENTRY_HASH = "SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = ?";

    private static final String INSERT_CHECKPOINT = "INSERT INTO AUDIT_CHECKPOINT (SEQ, ENTRY_HASH, SEAL) VALUES (?, ?, ?)";
    private static final String SELECT_CHECKPOINTS =
            "SELECT SEQ, ENTRY_HASH, SEAL FROM AUDIT_CHECKPOINT WHERE SEQ <= ? ORDER BY SEQ";
    private static final String COUNT_CHECKPOINT = "SELECT COUNT(*) FROM AUDIT_CHECKPOINT WHERE SEQ = ?";

    private static final int HEAD_ROW = 1;
    private static final String SELECT_HEAD = "SELECT SEQ, ENTRY_HASH, SEAL FROM AUDIT_HEAD WHERE ID = " + HEAD_ROW;
    private static final String UPDATE_HEAD =
            "UPDATE AUDIT_HEAD SET SEQ = ?, ENTRY_HASH = ?, SEAL = ? WHERE ID = " + HEAD_ROW;
    private static final String INSERT_HEAD =
            "INSERT INTO AUDIT_HEAD (ID, SEQ, ENTRY_HASH, SEAL) VALUES (" + HEAD_ROW + ", ?, ?, ?)";
    private static final String SELECT_HEAD_FOR_UPDATE = SELECT_HEAD + " FOR UPDATE";
    /** Changes nothing; it takes the row's exclusive lock, which an update holds until the transaction ends. */
    private static final String TOUCH_HEAD = "UPDATE AUDIT_HEAD SET SEQ = SEQ WHERE ID = " + HEAD_ROW;

    /**
     * How a database is told to lock the head row.
     */
    enum HeadLock {
        /**
         * PostgreSQL: {@code SELECT ... FOR UPDATE} locks the row until the transaction ends and, when it had to wait,
         * returns the row as the holder committed it; one round trip.
         */
        SELECT_FOR_UPDATE,
        /**
         * Derby and any other database: a no-op update, then a read. Derby's {@code FOR UPDATE} cursor releases its
         * update lock under read committed as soon as it moves off a row it did not update, and under stricter
         * isolation two readers could each hold the row and deadlock on their updates; an update's exclusive lock is
         * held to the end of the transaction everywhere.
         */
        UPDATE_THEN_SELECT;

        static HeadLock of(Connection connection) throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName();
            return product != null && product.toLowerCase(Locale.ROOT).contains("postgres") ? SELECT_FOR_UPDATE
                    : UPDATE_THEN_SELECT;
        }
    }

    /**
     * Takes the exclusive lock of the head row, which the database holds until the transaction ends, and reads the
     * head under it: the head as the last committed append of any node left it. A node that waits here gets the row
     * once the holder committed or rolled back. Needs read committed isolation (see {@link ChainAppender}).
     *
     * @return the head seal; empty when there is no head row, and then nothing is locked
     */
    Optional<Seal> lockHead(Connection connection, HeadLock lock) throws SQLException {
        if (lock == HeadLock.SELECT_FOR_UPDATE) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_HEAD_FOR_UPDATE);
                    ResultSet result = select.executeQuery()) {
                return result.next() ? Optional.of(readSeal(result)) : Optional.empty();
            }
        }
        try (PreparedStatement touch = connection.prepareStatement(TOUCH_HEAD)) {
            if (touch.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return readHead(connection);
    }

    /** Inserts the head row, sealing {@code head}; fails with a key violation when one exists. */
    void insertHead(Connection connection, Seal head) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HEAD)) {
            bindSeal(insert, 1, head);
            insert.executeUpdate();
        }
    }

    /**
     * Inserts {@code rows} and {@code checkpoints} with JDBC batches and replaces the head seal with {@code head}. Call
     * with the head row locked ({@link #lockHead}).
     */
    void append(Connection connection, List<EntryRow> rows, List<Seal> checkpoints, Seal head) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ENTRY)) {
            for (EntryRow row : rows) {
                bindEntry(insert, row);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (!checkpoints.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_CHECKPOINT)) {
                for (Seal checkpoint : checkpoints) {
                    bindSeal(insert, 1, checkpoint);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        writeHead(connection, head);
    }

    /** Stores {@code checkpoint} unless that entry already has one. */
    void insertCheckpointIfMissing(Connection connection, Seal checkpoint) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(COUNT_CHECKPOINT)) {
            count.setLong(1, checkpoint.sequence());
            try (ResultSet result = count.executeQuery()) {
                result.next();
                if (result.getLong(1) > 0) {
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CHECKPOINT)) {
            bindSeal(insert, 1, checkpoint);
            insert.executeUpdate();
        }
    }

    Optional<Seal> readHead(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_HEAD);
                ResultSet result = select.executeQuery()) {
            return result.next() ? Optional.of(readSeal(result)) : Optional.empty();
        }
    }

    /** Checkpoints of entries up to {@code upTo}, by sequence number; few (one per interval), so held in memory. */
    NavigableMap<Long, Seal> readCheckpoints(Connection connection, long upTo) throws SQLException {
        NavigableMap<Long, Seal> checkpoints = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_CHECKPOINTS)) {
            select.setLong(1, upTo);
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    Seal seal = readSeal(result);
                    checkpoints.put(seal.sequence(), seal);
                }
            }
        }
        return checkpoints;
    }

    /** The hash of entry {@code sequence}, empty when there is none. */
    Optional<String> entryHash(Connection connection, long sequence) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ENTRY_HASH)) {
            select.setLong(1, sequence);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
            }
        }
    }

    /** The highest stored sequence number, 0 when there are no entries. */
    long maxSequence(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(MAX_SEQUENCE);
                ResultSet result = select.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Hands the entries up to {@code upTo} to {@code visitor} in sequence order, one row in memory at a time, until
     * the visitor returns {@code false}. PostgreSQL streams only inside a transaction: give a connection whose
     * auto-commit is off.
     */
    void forEachEntry(Connection connection, long upTo, Predicate<EntryRow> visitor) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(STREAM_ENTRIES, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            select.setLong(1, upTo);
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet result = select.executeQuery()) {
                while (result.next() && visitor.test(readEntry(result))) {
                    // the visitor does the work
                }
            }
        }
    }

    /** The entries after {@code sequence}, oldest first, at most {@code limit}: a range of the primary key. */
    List<EntryRow> entriesAfter(Connection connection, long sequence, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ENTRIES_AFTER)) {
            select.setLong(1, sequence);
            // Portable row limit, as in search.
            select.setMaxRows(limit);
            select.setFetchSize(Math.min(limit, FETCH_SIZE));
            List<EntryRow> rows = new ArrayList<>(Math.min(limit, FETCH_SIZE));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(readEntry(result));
                }
            }
            return rows;
        }
    }

    /** Entries matching {@code query}, newest (highest sequence) first, at most {@code query.limit()}. */
    List<EntryRow> search(Connection connection, AuditQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(ENTRY_COLUMNS).append(" FROM AUDIT_ENTRY WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        addCondition(sql, parameters, " AND PATIENT_ID = ?", query.patientId());
        addCondition(sql, parameters, " AND ACTOR = ?", query.actor());
        addCondition(sql, parameters, " AND AUDIT_ACTION = ?", query.action() == null ? null : query.action().name());
        addCondition(sql, parameters, " AND EVENT_TIME >= ?", query.from());
        addCondition(sql, parameters, " AND EVENT_TIME < ?", query.to());
        sql.append(" ORDER BY SEQ DESC");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof Instant instant) {
                    select.setTimestamp(i + 1, Timestamp.from(instant), utc());
                } else {
                    select.setString(i + 1, (String) value);
                }
            }
            // Portable row limit: FETCH FIRST and LIMIT are spelled differently across databases.
            select.setMaxRows(query.limit());
            select.setFetchSize(Math.min(query.limit(), FETCH_SIZE));
            List<EntryRow> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(readEntry(result));
                }
            }
            return rows;
        }
    }

    private static void addCondition(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(condition);
            parameters.add(value);
        }
    }

    private void writeHead(Connection connection, Seal head) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE_HEAD)) {
            bindSeal(update, 1, head);
            if (update.executeUpdate() != 1) {
                // The caller holds the row's lock, so it cannot have gone: whatever happened, store nothing.
                throw new SQLException("The audit head row is missing");
            }
        }
    }

    private static void bindEntry(PreparedStatement statement, EntryRow row) throws SQLException {
        statement.setLong(1, row.sequence());
        statement.setTimestamp(2, Timestamp.from(row.time()), utc());
        statement.setString(3, row.actor());
        statement.setString(4, row.role());
        statement.setString(5, row.action());
        statement.setString(6, row.resourceType());
        statement.setString(7, row.resourceId());
        statement.setString(8, row.patientId());
        statement.setString(9, row.outcome());
        statement.setString(10, row.clientAddress());
        statement.setString(11, row.detailsDigest());
        statement.setString(12, row.previousHash());
        statement.setString(13, row.hash());
    }

    private static EntryRow readEntry(ResultSet result) throws SQLException {
        return new EntryRow(result.getLong(1), result.getTimestamp(2, utc()).toInstant(), result.getString(3),
                result.getString(4), result.getString(5), result.getString(6), result.getString(7),
                result.getString(8), result.getString(9), result.getString(10), result.getString(11),
                result.getString(12), result.getString(13));
    }

    private static void bindSeal(PreparedStatement statement, int first, Seal seal) throws SQLException {
        statement.setLong(first, seal.sequence());
        statement.setString(first + 1, seal.hash());
        statement.setString(first + 2, seal.mac());
    }

    private static Seal readSeal(ResultSet result) throws SQLException {
        return new Seal(result.getLong(1), result.getString(2), result.getString(3));
    }

    /** A fresh calendar per call: drivers may modify the one they are given. */
    private static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    }
}

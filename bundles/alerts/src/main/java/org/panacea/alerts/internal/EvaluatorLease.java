package org.panacea.alerts.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node evaluates the alert rules over the whole audit trail, and how far it got: one row of
 * {@code PANACEA_ALERT_EVALUATOR} in the audit database (next to {@code PANACEA_ALERT}) holding the holder's node
 * name, when its lease expires (epoch milliseconds of the holder's clock) and the sequence of the last audit entry
 * evaluated (the cursor). Every change is one conditional {@code UPDATE} of that row, which Derby and PostgreSQL both
 * run atomically under the row's lock:
 * <ul>
 * <li>{@link #acquire}: taken when expired, or already held by this node (a node restarted under its own name);</li>
 * <li>{@link #renew}: only by the holder;</li>
 * <li>{@link #advance}: only by the holder and only from the cursor it read, inside the caller's transaction that
 * stores the alerts of those entries, so a node that lost the lease (paused past its expiry while another took over)
 * stores nothing: its transaction finds the row changed and is rolled back.</li>
 * </ul>
 * Expiry compares the clocks of different nodes: they must agree to well within the lease time (NTP does). Node names
 * ({@code karaf.name}) must differ between nodes. Thread-safe: every call takes its own connection or the caller's.
 */
final class EvaluatorLease {

    static final String TABLE = "PANACEA_ALERT_EVALUATOR";
    static final int NODE_LENGTH = AlertStore.NODE_LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorLease.class);
    private static final int ROW = 1;
    private static final String DDL = "CREATE TABLE " + TABLE + " (ID INT PRIMARY KEY, HOLDER VARCHAR(" + NODE_LENGTH
            + ") NOT NULL, EXPIRES_AT BIGINT NOT NULL, CURSOR_SEQ BIGINT NOT NULL)";
    private static final String INSERT = "INSERT INTO " + TABLE + " (ID, HOLDER, EXPIRES_AT, CURSOR_SEQ) VALUES ("
            + ROW + ", '', 0, ?)";
    private static final String ACQUIRE = "UPDATE " + TABLE + " SET HOLDER = ?, EXPIRES_AT = ? WHERE ID = " + ROW
            + " AND (HOLDER = ? OR EXPIRES_AT < ?)";
    private static final String RENEW = "UPDATE " + TABLE + " SET EXPIRES_AT = ? WHERE ID = " + ROW
            + " AND HOLDER = ?";
    private static final String ADVANCE = "UPDATE " + TABLE + " SET CURSOR_SEQ = ?, EXPIRES_AT = ? WHERE ID = " + ROW
            + " AND HOLDER = ? AND CURSOR_SEQ = ?";
    private static final String RELEASE = "UPDATE " + TABLE + " SET EXPIRES_AT = 0 WHERE ID = " + ROW
            + " AND HOLDER = ?";
    private static final String SELECT = "SELECT HOLDER, EXPIRES_AT, CURSOR_SEQ FROM " + TABLE + " WHERE ID = " + ROW;

    private final DataSource dataSource;
    private final String node;
    private final Duration time;
    private final Clock clock;

    /**
     * Creates the table when it is missing (nodes starting together on a new database may race: the loser finds it).
     *
     * @param node this node's name, unique among the nodes sharing the database
     * @param time how long a lease lasts without being renewed, positive
     */
    EvaluatorLease(DataSource dataSource, String node, Duration time, Clock clock) throws SQLException {
        if (node.isEmpty() || node.length() > NODE_LENGTH) {
            throw new IllegalArgumentException("node name must have 1 to " + NODE_LENGTH + " characters: '" + node
                    + "'");
        }
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("lease time must be positive, was " + time);
        }
        this.dataSource = dataSource;
        this.node = node;
        this.time = time;
        this.clock = clock;
        try (Connection connection = dataSource.getConnection()) {
            if (!tableExists(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(DDL);
                    LOG.info("Created table {}", TABLE);
                } catch (SQLException e) {
                    if (!tableExists(connection)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Takes the lease when it expired or this node holds it already; the first node ever creates the row, its cursor
     * at {@code initialCursor} (the trail's newest entry then: what came before was never this evaluator's).
     *
     * @return the cursor, the last entry evaluated, when this node holds the lease now; empty when another does
     */
    OptionalLong acquire(LongSupplier initialCursor) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (read(connection).isEmpty()) {
                insertRow(connection, initialCursor.getAsLong());
            }
            long now = clock.millis();
            try (PreparedStatement acquire = connection.prepareStatement(ACQUIRE)) {
                acquire.setString(1, node);
                acquire.setLong(2, now + time.toMillis());
                acquire.setString(3, node);
                acquire.setLong(4, now);
                if (acquire.executeUpdate() != 1) {
                    return OptionalLong.empty();
                }
            }
            // Auto-commit: the row is ours until it expires, and no other node moves the cursor meanwhile.
            return OptionalLong.of(read(connection).orElseThrow(() -> new SQLException(TABLE + " lost its row"))
                    .cursor());
        }
    }

    /** Extends the lease; {@code false} when this node no longer holds it (another took it over). */
    boolean renew() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement renew = connection.prepareStatement(RENEW)) {
            renew.setLong(1, clock.millis() + time.toMillis());
            renew.setString(2, node);
            return renew.executeUpdate() == 1;
        }
    }

    /**
     * Moves the cursor from {@code from} to {@code to} and extends the lease, on {@code connection} inside the
     * caller's transaction. Run it before the transaction's other writes: it takes the row's lock, so a node trying
     * to take over waits for this transaction to end.
     *
     * @return {@code false} when this node no longer holds the lease or the cursor is no longer {@code from}: the
     *         caller must roll back
     */
    boolean advance(Connection connection, long from, long to) throws SQLException {
        try (PreparedStatement advance = connection.prepareStatement(ADVANCE)) {
            advance.setLong(1, to);
            advance.setLong(2, clock.millis() + time.toMillis());
            advance.setString(3, node);
            advance.setLong(4, from);
            return advance.executeUpdate() == 1;
        }
    }

    /** Lets another node take over at once (a node that stops cleanly); does nothing when another holds it. */
    void release() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement(RELEASE)) {
            release.setString(1, node);
            release.executeUpdate();
        }
    }

    /** The row as stored, for diagnostics and tests; empty before any node took the lease. */
    Optional<State> state() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection);
        }
    }

    String node() {
        return node;
    }

    Duration time() {
        return time;
    }

    private void insertRow(Connection connection, long cursor) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, cursor);
            insert.executeUpdate();
            LOG.info("Alert rules evaluated from audit entry {} on", cursor + 1);
        } catch (SQLException e) {
            // Another node created it between the read and the insert: its row stands.
            if (read(connection).isEmpty()) {
                throw e;
            }
        }
    }

    private static Optional<State> read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT);
                ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(new State(row.getString(1), row.getLong(2), row.getLong(3)))
                    : Optional.empty();
        }
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String name = meta.storesLowerCaseIdentifiers() ? TABLE.toLowerCase(Locale.ROOT) : TABLE;
        try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name,
                new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    /**
     * @param holder    the node holding or last holding the lease, empty before the first
     * @param expiresAt epoch milliseconds; 0 once released
     * @param cursor    sequence of the last audit entry evaluated
     */
    record State(String holder, long expiresAt, long cursor) {
    }
}

package org.panacea.alerts.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.panacea.alerts.rules.Finding;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of every node in one table, {@code PANACEA_ALERT}, in the audit trail's database, in SQL that Derby and
 * PostgreSQL both accept (times as epoch milliseconds, ids from an identity column, so nodes never collide). The
 * acknowledgement note is stored sealed (it is free text an auditor typed, which may name a patient); this class
 * stores and returns it as given, sealing is the caller's. Thread-safe: every call takes its own connection.
 */
final class AlertStore {

    static final int ACTOR_LENGTH = 256;
    static final int PATIENT_ID_LENGTH = 128;
    static final int SUMMARY_LENGTH = 1000;
    static final int NODE_LENGTH = 128;
    static final int SEALED_NOTE_LENGTH = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(AlertStore.class);
    private static final String TABLE = "PANACEA_ALERT";
    private static final String DDL = "CREATE TABLE " + TABLE + " ("
            + "ID BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            + "ALERT_RULE VARCHAR(32) NOT NULL, "
            + "RAISED_AT BIGINT NOT NULL, "
            + "ACTOR VARCHAR(" + ACTOR_LENGTH + ") NOT NULL, "
            + "PATIENT_ID VARCHAR(" + PATIENT_ID_LENGTH + ") NOT NULL, "
            + "SUMMARY VARCHAR(" + SUMMARY_LENGTH + ") NOT NULL, "
            + "AUDIT_SEQ BIGINT NOT NULL, "
            + "NODE VARCHAR(" + NODE_LENGTH + ") NOT NULL, "
            + "ACK_BY VARCHAR(" + ACTOR_LENGTH + "), "
            + "ACK_AT BIGINT, "
            + "ACK_NOTE VARCHAR(" + SEALED_NOTE_LENGTH + "))";
    private static final String INDEX = "CREATE INDEX PANACEA_ALERT_RAISED ON " + TABLE + " (RAISED_AT)";
    private static final String COLUMNS = "ID, ALERT_RULE, RAISED_AT, ACTOR, PATIENT_ID, SUMMARY, AUDIT_SEQ, NODE, "
            + "ACK_BY, ACK_AT, ACK_NOTE";

    private final DataSource dataSource;

    /** Creates the table when it is missing (another node creating it at the same time is fine). */
    AlertStore(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection()) {
            if (!tableExists(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(DDL);
                    statement.executeUpdate(INDEX);
                    LOG.info("Created table {}", TABLE);
                } catch (SQLException e) {
                    // Nodes starting together on a new database race to create it: the loser finds it made.
                    if (!tableExists(connection)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Stores {@code finding} as an open alert raised on {@code node}; returns it with its id. */
    Alert insert(Finding finding, String node) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, finding, node);
        }
    }

    /** As {@link #insert(Finding, String)}, on {@code connection}, inside whatever transaction it has open. */
    Alert insert(Connection connection, Finding finding, String node) throws SQLException {
        String sql = "INSERT INTO " + TABLE + " (ALERT_RULE, RAISED_AT, ACTOR, PATIENT_ID, SUMMARY, AUDIT_SEQ, NODE)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        String actor = cut(finding.actor(), ACTOR_LENGTH);
        String patient = cut(finding.patientId(), PATIENT_ID_LENGTH);
        String summary = cut(finding.summary(), SUMMARY_LENGTH);
        String nodeName = cut(node, NODE_LENGTH);
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, finding.rule().name());
            insert.setLong(2, finding.time().toEpochMilli());
            insert.setString(3, actor);
            insert.setString(4, patient);
            insert.setString(5, summary);
            insert.setLong(6, finding.auditSequence());
            insert.setString(7, nodeName);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("The database returned no id for the new alert");
                }
                return new Alert(keys.getLong(1), finding.rule(), Instant.ofEpochMilli(finding.time().toEpochMilli()),
                        actor, patient, summary, finding.auditSequence(), nodeName, Optional.empty());
            }
        }
    }

    /** Newest first; {@code openOnly} leaves out acknowledged ones. Notes come back sealed. */
    List<StoredAlert> list(boolean openOnly, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM " + TABLE + (openOnly ? " WHERE ACK_BY IS NULL" : "")
                + " ORDER BY ID DESC";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                List<StoredAlert> alerts = new ArrayList<>();
                while (rows.next()) {
                    alerts.add(read(rows));
                }
                return alerts;
            }
        }
    }

    Optional<StoredAlert> find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                        + " WHERE ID = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Acknowledges alert {@code id} unless someone did already; one statement, so two auditors acknowledging at
     * once on two nodes cannot both succeed.
     *
     * @return {@code true} when this call acknowledged it
     */
    boolean acknowledge(long id, String by, Instant at, String sealedNote) throws SQLException {
        if (sealedNote.length() > SEALED_NOTE_LENGTH) {
            throw new IllegalArgumentException("note too long to store");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                        + " SET ACK_BY = ?, ACK_AT = ?, ACK_NOTE = ? WHERE ID = ? AND ACK_BY IS NULL")) {
            update.setString(1, cut(by, ACTOR_LENGTH));
            update.setLong(2, at.toEpochMilli());
            update.setString(3, sealedNote);
            update.setLong(4, id);
            return update.executeUpdate() == 1;
        }
    }

    private static StoredAlert read(ResultSet rows) throws SQLException {
        long ackAt = rows.getLong("ACK_AT");
        boolean acknowledged = !rows.wasNull();
        return new StoredAlert(rows.getLong("ID"), AlertRule.valueOf(rows.getString("ALERT_RULE")),
                Instant.ofEpochMilli(rows.getLong("RAISED_AT")), rows.getString("ACTOR"), rows.getString("PATIENT_ID"),
                rows.getString("SUMMARY"), rows.getLong("AUDIT_SEQ"), rows.getString("NODE"),
                rows.getString("ACK_BY"), acknowledged ? Instant.ofEpochMilli(ackAt) : null,
                rows.getString("ACK_NOTE"));
    }

    private static String cut(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // Unquoted names are stored upper case by Derby and lower case by PostgreSQL; ask in the database's case.
        String name = meta.storesLowerCaseIdentifiers() ? TABLE.toLowerCase(Locale.ROOT) : TABLE;
        try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name,
                new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    /** A row as stored: the acknowledgement fields are {@code null} while open, the note sealed. */
    record StoredAlert(long id, AlertRule rule, Instant raisedAt, String actor, String patientId, String summary,
            long auditSequence, String node, String acknowledgedBy, Instant acknowledgedAt, String sealedNote) {
    }
}

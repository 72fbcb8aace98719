package org.panacea.security.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The wrapped data keys, in the security database beside the key ring (so every node of a cluster sees the same
 * keys). A data key is stored only wrapped by a key-encryption key; the table never holds a usable key.
 */
final class DataKeyRepository {

    static final String TABLE = "PANACEA_DATA_KEY";

    /** A data key as stored: its id, the key version that wraps it, and the wrapped bytes. */
    record WrappedDataKey(int id, int kekVersion, byte[] wrapped, Instant created) {
    }

    private final DataSource dataSource;

    DataKeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the table on first use (several nodes may try at once); the platform upgrades its own schema. */
    void createSchemaIfMissing() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SchemaTables.createIfMissing(connection, TABLE, "CREATE TABLE " + TABLE + " (ID INTEGER NOT NULL PRIMARY "
                    + "KEY, KEK_VERSION INTEGER NOT NULL, WRAPPED VARCHAR(256) NOT NULL, CREATED TIMESTAMP NOT NULL)");
        }
    }

    /** The newest data key's id, 0 when there is none: the cheap question every node asks to notice a rotation. */
    int newestId() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(ID) FROM " + TABLE)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    List<WrappedDataKey> all() throws SQLException {
        List<WrappedDataKey> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT ID, KEK_VERSION, WRAPPED, CREATED FROM " + TABLE + " ORDER BY ID");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                keys.add(new WrappedDataKey(rows.getInt(1), rows.getInt(2),
                        Base64.getDecoder().decode(rows.getString(3)), rows.getTimestamp(4).toInstant()));
            }
        }
        return keys;
    }

    /**
     * Stores {@code key} unless its id is taken.
     *
     * @return {@code false} when another node stored a data key with that id first
     */
    boolean insert(WrappedDataKey key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + TABLE + " (ID, KEK_VERSION, WRAPPED, CREATED) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, key.id());
            insert.setInt(2, key.kekVersion());
            insert.setString(3, Base64.getEncoder().encodeToString(key.wrapped()));
            insert.setTimestamp(4, Timestamp.from(key.created()));
            try {
                insert.executeUpdate();
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return true;
            } catch (SQLException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                if (SchemaTables.isDuplicate(e)) {
                    return false;
                }
                throw e;
            }
        }
    }

    /**
     * Replaces the wrapping of one data key, only if it is still wrapped by {@code fromVersion}: two re-wraps
     * running at once cannot overwrite each other's work.
     *
     * @return {@code true} when this call re-wrapped it
     */
    boolean rewrap(int id, int fromVersion, int toVersion, byte[] wrapped) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + TABLE + " SET KEK_VERSION = ?, WRAPPED = ? WHERE ID = ? AND KEK_VERSION = ?")) {
            update.setInt(1, toVersion);
            update.setString(2, Base64.getEncoder().encodeToString(wrapped));
            update.setInt(3, id);
            update.setInt(4, fromVersion);
            boolean changed = update.executeUpdate() == 1;
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return changed;
        }
    }

    /** How many data keys each key version wraps. */
    Map<Integer, Long> countByKekVersion() throws SQLException {
        Map<Integer, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT KEK_VERSION, COUNT(*) FROM " + TABLE + " GROUP BY KEK_VERSION");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return counts;
    }
}

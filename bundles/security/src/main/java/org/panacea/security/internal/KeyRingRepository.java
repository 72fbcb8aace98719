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
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * The shared key ring in the security database: one header row saying how the wrapping key is derived from the
 * passphrase, and one row per key (key-encryption key versions, the blind-index key, shared secrets), each only
 * wrapped. Every node of an installation reads the same rows, so none needs a key file. The header's fixed primary
 * key is what settles which of two nodes started on an empty database made the keys.
 */
final class KeyRingRepository {

    static final String RING_TABLE = "PANACEA_KEYRING";
    static final String KEY_TABLE = "PANACEA_KEY";
    /** The header is the table's only row. */
    private static final int HEADER_ID = 1;

    /**
     * How the wrapping key is derived, and a value wrapped under it that proves a passphrase right.
     *
     * @param kdf        derivation, e.g. {@code PBKDF2-HMAC-SHA512}
     * @param iterations its iteration count
     * @param salt       random, made with the ring
     * @param check      a fixed text wrapped under the derived key, bound to the three above
     */
    record Header(String kdf, int iterations, byte[] salt, byte[] check, Instant created) {
    }

    /** One key as stored: wrapped, with what it is bound to. */
    record KeyRow(String name, int version, String algorithm, byte[] wrapped, Instant created) {
    }

    private final DataSource dataSource;

    KeyRingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void createSchemaIfMissing() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SchemaTables.createIfMissing(connection, RING_TABLE, "CREATE TABLE " + RING_TABLE
                    + " (ID INTEGER NOT NULL PRIMARY KEY, KDF VARCHAR(32) NOT NULL, ITERATIONS INTEGER NOT NULL, "
                    + "SALT VARCHAR(88) NOT NULL, CHECK_VALUE VARCHAR(128) NOT NULL, CREATED TIMESTAMP NOT NULL)");
            SchemaTables.createIfMissing(connection, KEY_TABLE, "CREATE TABLE " + KEY_TABLE
                    + " (NAME VARCHAR(64) NOT NULL, VERSION INTEGER NOT NULL, ALGORITHM VARCHAR(32) NOT NULL, "
                    + "WRAPPED VARCHAR(512) NOT NULL, CREATED TIMESTAMP NOT NULL, PRIMARY KEY (NAME, VERSION))");
        }
    }

    Optional<Header> header() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT KDF, ITERATIONS, SALT, CHECK_VALUE, "
                        + "CREATED FROM " + RING_TABLE + " WHERE ID = ?")) {
            query.setInt(1, HEADER_ID);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Header(row.getString(1), row.getInt(2), decode(row.getString(3)),
                        decode(row.getString(4)), row.getTimestamp(5).toInstant()));
            }
        }
    }

    /**
     * Stores a new ring, header and keys, in one transaction.
     *
     * @return {@code false} when another node stored a ring first (nothing of this one is kept)
     */
    boolean initialize(Header header, List<KeyRow> keys) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + RING_TABLE
                        + " (ID, KDF, ITERATIONS, SALT, CHECK_VALUE, CREATED) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setInt(1, HEADER_ID);
                    insert.setString(2, header.kdf());
                    insert.setInt(3, header.iterations());
                    insert.setString(4, encode(header.salt()));
                    insert.setString(5, encode(header.check()));
                    insert.setTimestamp(6, Timestamp.from(header.created()));
                    insert.executeUpdate();
                }
                for (KeyRow key : keys) {
                    insert(connection, key);
                }
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                if (SchemaTables.isDuplicate(e)) {
                    return false;
                }
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Stores {@code key} unless a key of that name and version exists.
     *
     * @return {@code false} when one existed (another node stored it first)
     */
    boolean insertIfAbsent(KeyRow key) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                insert(connection, key);
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

    private static void insert(Connection connection, KeyRow key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + KEY_TABLE
                + " (NAME, VERSION, ALGORITHM, WRAPPED, CREATED) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, key.name());
            insert.setInt(2, key.version());
            insert.setString(3, key.algorithm());
            insert.setString(4, encode(key.wrapped()));
            insert.setTimestamp(5, Timestamp.from(key.created()));
            insert.executeUpdate();
        }
    }

    Optional<KeyRow> key(String name, int version) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT NAME, VERSION, ALGORITHM, WRAPPED, "
                        + "CREATED FROM " + KEY_TABLE + " WHERE NAME = ? AND VERSION = ?")) {
            query.setString(1, name);
            query.setInt(2, version);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        }
    }

    /** Every row, for checks and tests. */
    List<KeyRow> all() throws SQLException {
        List<KeyRow> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT NAME, VERSION, ALGORITHM, WRAPPED, "
                        + "CREATED FROM " + KEY_TABLE + " ORDER BY NAME, VERSION");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                keys.add(row(rows));
            }
        }
        return keys;
    }

    /** The versions of the key called {@code name} and when each was made, oldest first. */
    NavigableMap<Integer, Instant> versions(String name) throws SQLException {
        NavigableMap<Integer, Instant> versions = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT VERSION, CREATED FROM " + KEY_TABLE + " WHERE NAME = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getInt(1), rows.getTimestamp(2).toInstant());
                }
            }
        }
        return versions;
    }

    /** The newest version of the key called {@code name}, 0 when there is none. */
    int newestVersion(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT MAX(VERSION) FROM " + KEY_TABLE + " WHERE NAME = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    /**
     * {@code true} when the database already holds data keys: data was encrypted here under key-encryption keys
     * that must come from somewhere, so a new ring must not be made.
     */
    boolean dataKeysExist() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!SchemaTables.exists(connection, DataKeyRepository.TABLE)) {
                return false;
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + DataKeyRepository.TABLE)) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    private static KeyRow row(ResultSet rows) throws SQLException {
        return new KeyRow(rows.getString(1), rows.getInt(2), rows.getString(3), decode(rows.getString(4)),
                rows.getTimestamp(5).toInstant());
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return Base64.getDecoder().decode(text);
    }
}

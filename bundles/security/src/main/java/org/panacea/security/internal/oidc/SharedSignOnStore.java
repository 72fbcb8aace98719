package org.panacea.security.internal.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.security.internal.SchemaTables;

/**
 * The web login's started logins and sessions, in the security database that every node shares, so that a login
 * started on one node completes on another and a session opened on one is honoured, and ended, on all: behind a load
 * balancer the web pages need no sticky sessions.
 * <p>
 * A row is keyed by the SHA-256 of its state or session id (the ids themselves, which are bearer secrets, are never
 * stored) and holds its secrets (the PKCE verifier, the nonce, the access token) sealed with the platform's field
 * encryption, bound to that key and its kind, with the expiry inside the seal as well as beside it. Taking a started
 * login deletes its row, and only the node whose delete removed it may complete the login: once across all nodes.
 * Thread-safe.
 */
final class SharedSignOnStore {

    static final String TABLE = "PANACEA_WEB_SIGN_ON";

    /** What a row holds. */
    enum Kind {
        LOGIN('L'), SESSION('S');

        final char code;

        Kind(char code) {
            this.code = code;
        }
    }

    /** A row's secrets as sealed, and its expiry. */
    record Entry(String secrets, Instant expires) {
    }

    private static final String DDL = "CREATE TABLE " + TABLE + " (ID_HASH VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "KIND CHAR(1) NOT NULL, EXPIRES TIMESTAMP NOT NULL, SEALED VARCHAR(16000) NOT NULL)";
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final char SEPARATOR = '\n';

    private final DataSource dataSource;
    private final FieldEncryption encryption;
    private final Clock clock;
    private volatile Instant nextPurge = Instant.MIN;

    /** @throws IllegalStateException when the table cannot be created */
    SharedSignOnStore(DataSource dataSource, FieldEncryption encryption, Clock clock) {
        this.dataSource = dataSource;
        this.encryption = encryption;
        this.clock = clock;
        try (Connection connection = dataSource.getConnection()) {
            SchemaTables.createIfMissing(connection, TABLE, DDL);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the web sign-on table " + TABLE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code secrets} under {@code id} until {@code expires}. When {@code kind} already has {@code bound} rows
     * that have not expired, those expiring first make room: a flood of started logins cuts short only logins older
     * than the flood, it cannot lock everyone else out.
     */
    void put(Kind kind, String id, String secrets, Instant expires, int bound) {
        purgeIfDue();
        String key = hash(id);
        String sealed = Base64.getEncoder().encodeToString(encryption.encrypt(binding(kind, key),
                (expires.getEpochSecond() + String.valueOf(SEPARATOR) + secrets).getBytes(StandardCharsets.UTF_8)));
        try (Connection connection = dataSource.getConnection()) {
            makeRoom(connection, kind, bound);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (ID_HASH, KIND, EXPIRES, SEALED) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, String.valueOf(kind.code));
                insert.setTimestamp(3, Timestamp.from(expires));
                insert.setString(4, sealed);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the web sign-on: " + e.getMessage(), e);
        }
    }

    /** The secrets under {@code id} while they have not expired. */
    Optional<String> get(Kind kind, String id) {
        String key = hash(id);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT SEALED FROM " + TABLE
                        + " WHERE ID_HASH = ? AND KIND = ?")) {
            select.setString(1, key);
            select.setString(2, String.valueOf(kind.code));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? open(kind, key, row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the web sign-on: " + e.getMessage(), e);
        }
    }

    /**
     * Removes the row under {@code id} and gives its secrets, when this call was the one that removed it and it had not
     * expired; so of several nodes taking one started login at once, one gets it.
     */
    Optional<String> take(Kind kind, String id) {
        String key = hash(id);
        try (Connection connection = dataSource.getConnection()) {
            String sealed;
            try (PreparedStatement select = connection.prepareStatement("SELECT SEALED FROM " + TABLE
                    + " WHERE ID_HASH = ? AND KIND = ?")) {
                select.setString(1, key);
                select.setString(2, String.valueOf(kind.code));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    sealed = row.getString(1);
                }
            }
            if (delete(connection, key) != 1) {
                return Optional.empty(); // another node took it first
            }
            return open(kind, key, sealed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the web sign-on: " + e.getMessage(), e);
        }
    }

    /** Removes the row under {@code id}, if any. */
    void remove(String id) {
        try (Connection connection = dataSource.getConnection()) {
            delete(connection, hash(id));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot end the web sign-on: " + e.getMessage(), e);
        }
    }

    private Optional<String> open(Kind kind, String key, String sealed) {
        String plain;
        try {
            plain = new String(encryption.decrypt(binding(kind, key), Base64.getDecoder().decode(sealed)),
                    StandardCharsets.UTF_8);
        } catch (DecryptionException | IllegalArgumentException e) {
            // Altered, or moved from another row: it is not this id's.
            return Optional.empty();
        }
        int separator = plain.indexOf(SEPARATOR);
        Instant expires = Instant.ofEpochSecond(Long.parseLong(plain.substring(0, separator)));
        return expires.isAfter(clock.instant()) ? Optional.of(plain.substring(separator + 1)) : Optional.empty();
    }

    private void makeRoom(Connection connection, Kind kind, int bound) throws SQLException {
        int live;
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM " + TABLE
                + " WHERE KIND = ? AND EXPIRES > ?")) {
            count.setString(1, String.valueOf(kind.code));
            count.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                live = row.getInt(1);
            }
        }
        if (live < bound) {
            return;
        }
        List<String> oldest = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT ID_HASH FROM " + TABLE
                + " WHERE KIND = ? ORDER BY EXPIRES FETCH FIRST " + (live - bound + 1) + " ROWS ONLY")) {
            select.setString(1, String.valueOf(kind.code));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    oldest.add(rows.getString(1));
                }
            }
        }
        for (String key : oldest) {
            delete(connection, key);
        }
    }

    private void purgeIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE EXPIRES < ?")) {
            purge.setTimestamp(1, Timestamp.from(now));
            purge.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge expired web sign-ons: " + e.getMessage(), e);
        }
    }

    private static int delete(Connection connection, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE ID_HASH = ?")) {
            delete.setString(1, key);
            return delete.executeUpdate();
        }
    }

    private static FieldBinding binding(Kind kind, String key) {
        return new FieldBinding("WebSignOn", key, kind.name());
    }

    static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

package org.panacea.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The installation's changes of plugin trust, kept in the security database so that every node trusts the same
 * vendors: {@code plugin:trust} and {@code plugin:untrust} on one node append a change, and every node replays the
 * changes onto its trusted vendor folder ({@link SharedPluginTrust}).
 * <p>
 * Trust decides which code runs on every node, so the database alone must not be able to change it. Each change is
 * sealed with HMAC-SHA-256 under a secret of the key ring (wrapped under the passphrase, never in the database in
 * clear) and chained to the seal of the change before: a change inserted, altered, reordered or removed in the
 * database breaks the chain, and nothing from the break on is applied. Removing the newest changes leaves a valid
 * but shorter chain; a node that saw them notices that the log went back ({@link #since}).
 */
final class TrustChangeLog {

    static final String TABLE = "PANACEA_PLUGIN_TRUST";
    /** A certificate chain of a few certificates in PEM; longer is refused rather than truncated. */
    static final int MAX_PEM = 30_000;
    private static final String MAC = "HmacSHA256";
    private static final int INSERT_ATTEMPTS = 8;

    /** What a change does to the alias. */
    enum Action {
        TRUST, UNTRUST
    }

    /**
     * One change of trust.
     *
     * @param sequence  its place in the log, from 1
     * @param alias     the vendor's alias
     * @param action    trusted or no longer trusted
     * @param pem       the vendor's certificates in PEM for {@link Action#TRUST}, empty for {@link Action#UNTRUST}
     * @param changedBy the administrator who made it
     * @param node      the node it was made on
     * @param changedAt when
     */
    record Change(long sequence, String alias, Action action, String pem, String changedBy, String node,
            Instant changedAt) {
    }

    /** The log in the database no longer verifies: a change was altered, inserted, removed or the log went back. */
    static final class BrokenTrustLogException extends IllegalStateException {

        private static final long serialVersionUID = 1L;
        /** The changes before the break (after the asked number) that did verify. */
        private final transient List<Change> verified;

        BrokenTrustLogException(String message, List<Change> verified) {
            super(message);
            this.verified = List.copyOf(verified);
        }

        List<Change> verified() {
            return verified;
        }
    }

    private final DataSource dataSource;
    private final SecretKeySpec key;

    /**
     * @param dataSource the security database (its table is created when missing)
     * @param secret     the installation's shared secret for trust seals, the same on every node
     */
    TrustChangeLog(DataSource dataSource, byte[] secret) throws SQLException {
        this.dataSource = dataSource;
        this.key = new SecretKeySpec(secret, MAC);
        try (Connection connection = dataSource.getConnection()) {
            SchemaTables.createIfMissing(connection, TABLE, "CREATE TABLE " + TABLE + " (SEQ BIGINT NOT NULL PRIMARY KEY, "
                    + "ALIAS VARCHAR(64) NOT NULL, ACTION VARCHAR(8) NOT NULL, PEM VARCHAR(" + MAX_PEM + ") NOT NULL, "
                    + "CHANGED_BY VARCHAR(128) NOT NULL, NODE VARCHAR(128) NOT NULL, CHANGED_MS BIGINT NOT NULL, "
                    + "SEAL VARCHAR(64) NOT NULL)");
        }
    }

    /**
     * Appends a change after the newest one. Two nodes appending at once both succeed, one after the other: the loser
     * of the race for a sequence number reads the new newest change and tries again.
     *
     * @throws IllegalArgumentException when the PEM is longer than {@value #MAX_PEM} characters
     * @throws SQLException             when the database refuses or cannot be reached
     */
    Change append(String alias, Action action, String pem, String changedBy, String node) throws SQLException {
        if (pem.length() > MAX_PEM) {
            throw new IllegalArgumentException("the certificates take " + pem.length() + " characters in PEM; at most "
                    + MAX_PEM + " are kept for a vendor");
        }
        SQLException last = null;
        for (int attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    long previous = 0;
                    String previousSeal = "";
                    try (PreparedStatement newest = connection.prepareStatement("SELECT SEQ, SEAL FROM " + TABLE
                            + " WHERE SEQ = (SELECT MAX(SEQ) FROM " + TABLE + ")");
                            ResultSet row = newest.executeQuery()) {
                        if (row.next()) {
                            previous = row.getLong(1);
                            previousSeal = row.getString(2);
                        }
                    }
                    Change change = new Change(previous + 1, alias, action, pem, truncate(changedBy),
                            truncate(node), Instant.ofEpochMilli(System.currentTimeMillis()));
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                            + " (SEQ, ALIAS, ACTION, PEM, CHANGED_BY, NODE, CHANGED_MS, SEAL) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setLong(1, change.sequence());
                        insert.setString(2, change.alias());
                        insert.setString(3, change.action().name());
                        insert.setString(4, change.pem());
                        insert.setString(5, change.changedBy());
                        insert.setString(6, change.node());
                        insert.setLong(7, change.changedAt().toEpochMilli());
                        insert.setString(8, seal(previousSeal, change));
                        insert.executeUpdate();
                    }
                    connection.commit();
                    return change;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!SchemaTables.isDuplicate(e)) {
                        throw e;
                    }
                    last = e; // another node took this number: read the new newest and try again
                }
            }
        }
        throw last;
    }

    /** The newest sequence number in the database, 0 when the log is empty. */
    long newest() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement max = connection.prepareStatement("SELECT MAX(SEQ) FROM " + TABLE);
                ResultSet row = max.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /**
     * The changes after {@code after}, the whole log verified from its first change.
     *
     * @throws BrokenTrustLogException when a seal does not verify or a number is missing (carrying the changes before
     *                                 the break), or the log holds fewer changes than {@code after} (it went back)
     */
    List<Change> since(long after) throws SQLException {
        List<Change> changes = new ArrayList<>();
        String previousSeal = "";
        long expected = 1;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement all = connection.prepareStatement("SELECT SEQ, ALIAS, ACTION, PEM, CHANGED_BY, NODE, "
                        + "CHANGED_MS, SEAL FROM " + TABLE + " ORDER BY SEQ");
                ResultSet row = all.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                if (sequence != expected) {
                    throw new BrokenTrustLogException("plugin trust change " + expected + " is missing from " + TABLE
                            + " (the next is " + sequence + "): the log was altered in the database", changes);
                }
                Action action;
                try {
                    action = Action.valueOf(row.getString(3));
                } catch (IllegalArgumentException unknown) {
                    throw new BrokenTrustLogException("plugin trust change " + sequence + " in " + TABLE
                            + " has an unknown action: the log was altered in the database", changes);
                }
                Change change = new Change(sequence, row.getString(2), action, row.getString(4), row.getString(5),
                        row.getString(6), Instant.ofEpochMilli(row.getLong(7)));
                String seal = row.getString(8);
                if (!MessageDigest.isEqual(seal(previousSeal, change).getBytes(StandardCharsets.US_ASCII),
                        seal.getBytes(StandardCharsets.US_ASCII))) {
                    throw new BrokenTrustLogException("plugin trust change " + sequence + " in " + TABLE
                            + " does not verify (its seal does not match its content and the change before): the log "
                            + "was altered in the database; no change from it on is applied", changes);
                }
                previousSeal = seal;
                expected++;
                if (sequence > after) {
                    changes.add(change);
                }
            }
        }
        if (expected - 1 < after) {
            throw new BrokenTrustLogException("the plugin trust log in " + TABLE + " went back from change " + after
                    + " to " + (expected - 1) + ": changes were removed in the database", List.of());
        }
        return changes;
    }

    private String seal(String previousSeal, Change change) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            MacFields.update(mac, previousSeal);
            MacFields.update(mac, Long.toString(change.sequence()));
            MacFields.update(mac, change.alias());
            MacFields.update(mac, change.action().name());
            MacFields.update(mac, change.pem());
            MacFields.update(mac, change.changedBy());
            MacFields.update(mac, change.node());
            MacFields.update(mac, Long.toString(change.changedAt().toEpochMilli()));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
        }
    }


    private static String truncate(String value) {
        return value.length() <= 128 ? value : value.substring(0, 128);
    }
}

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
 * A log of the installation's changes that every node must apply alike, kept in the security database: one table
 * per {@link Kind} of change (plugin trust, shared settings). A change made on one node is appended; every node replays
 * the changes it has not applied yet ({@link SharedPluginTrust}, {@link SharedSettings}).
 * <p>
 * These changes decide which code runs and how the platform guards itself, so the database alone must not be able to
 * make one. Each change is sealed with HMAC-SHA-256 under a secret of the key ring (wrapped under the passphrase,
 * never in the database in clear; a secret of its own per kind, so a row moved from one log to another does not
 * verify) and chained to the seal of the change before: a change inserted, altered, reordered or removed in the
 * database breaks the chain, and nothing from the break on is applied. Removing the newest changes leaves a valid
 * but shorter chain; a node that saw them notices that the log went back ({@link #since}).
 */
final class SealedChangeLog {

    private static final String MAC = "HmacSHA256";
    private static final int INSERT_ATTEMPTS = 8;

    /**
     * What a log holds: its table, the names of the columns that hold what a change is about and its content (the
     * plugin trust log kept its first names), the longest content kept, and the actions a change may have.
     */
    record Kind(String noun, String table, String subjectColumn, String payloadColumn, int maxSubject, int maxPayload,
            java.util.Set<String> actions) {
    }

    /** Vendors trusted or no longer trusted: subject the alias, payload the certificates in PEM (empty to untrust). */
    static final Kind PLUGIN_TRUST = new Kind("plugin trust", "PANACEA_PLUGIN_TRUST", "ALIAS", "PEM", 64, 30_000,
            java.util.Set.of("TRUST", "UNTRUST"));

    /** Settings set or unset for every node: subject {@code pid/key}, payload the value (empty to unset). */
    static final Kind SHARED_SETTINGS = new Kind("shared setting", "PANACEA_SHARED_SETTING", "SETTING", "SETTING_VALUE",
            200, 4_000, java.util.Set.of("SET", "UNSET"));

    /**
     * One change.
     *
     * @param sequence  its place in the log, from 1
     * @param subject   what it is about (a vendor's alias, a setting)
     * @param action    one of the log's {@link Kind#actions()}
     * @param payload   its content (certificates, a value), empty for a removal
     * @param changedBy the administrator who made it
     * @param node      the node it was made on
     * @param changedAt when
     */
    record Change(long sequence, String subject, String action, String payload, String changedBy, String node,
            Instant changedAt) {
    }

    /** The log in the database no longer verifies: a change was altered, inserted, removed or the log went back. */
    static final class BrokenLogException extends IllegalStateException {

        private static final long serialVersionUID = 1L;
        /** The changes before the break (after the asked number) that did verify. */
        private final transient List<Change> verified;

        BrokenLogException(String message, List<Change> verified) {
            super(message);
            this.verified = List.copyOf(verified);
        }

        List<Change> verified() {
            return verified;
        }
    }

    private final Kind kind;
    private final DataSource dataSource;
    private final SecretKeySpec key;

    /**
     * @param kind       what the log holds
     * @param dataSource the security database (its table is created when missing)
     * @param secret     the installation's shared secret for this kind's seals, the same on every node
     */
    SealedChangeLog(Kind kind, DataSource dataSource, byte[] secret) throws SQLException {
        this.kind = kind;
        this.dataSource = dataSource;
        this.key = new SecretKeySpec(secret, MAC);
        try (Connection connection = dataSource.getConnection()) {
            SchemaTables.createIfMissing(connection, kind.table(), "CREATE TABLE " + kind.table()
                    + " (SEQ BIGINT NOT NULL PRIMARY KEY, " + kind.subjectColumn() + " VARCHAR(" + kind.maxSubject()
                    + ") NOT NULL, ACTION VARCHAR(8) NOT NULL, " + kind.payloadColumn() + " VARCHAR("
                    + kind.maxPayload() + ") NOT NULL, CHANGED_BY VARCHAR(128) NOT NULL, NODE VARCHAR(128) NOT NULL, CHANGED_MS BIGINT NOT NULL, "
                    + "SEAL VARCHAR(64) NOT NULL)");
        }
    }

    /** What the log holds. */
    Kind kind() {
        return kind;
    }

    /**
     * Appends a change after the newest one. Two nodes appending at once both succeed, one after the other: the loser
     * of the race for a sequence number reads the new newest change and tries again.
     *
     * @throws IllegalArgumentException when the subject or the payload is longer than the log keeps, or the action
     *                                  is not one of the log's
     * @throws SQLException             when the database refuses or cannot be reached
     */
    Change append(String subject, String action, String payload, String changedBy, String node) throws SQLException {
        if (!kind.actions().contains(action)) {
            throw new IllegalArgumentException("a " + kind.noun() + " change is one of " + kind.actions() + ", not "
                    + action);
        }
        if (subject.length() > kind.maxSubject() || payload.length() > kind.maxPayload()) {
            throw new IllegalArgumentException("a " + kind.noun() + " change keeps at most " + kind.maxSubject()
                    + " characters for what it is about and " + kind.maxPayload() + " for its content; this one has "
                    + subject.length() + " and " + payload.length());
        }
        SQLException last = null;
        for (int attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    long previous = 0;
                    String previousSeal = "";
                    try (PreparedStatement newest = connection.prepareStatement("SELECT SEQ, SEAL FROM "
                            + kind.table() + " WHERE SEQ = (SELECT MAX(SEQ) FROM " + kind.table() + ")");
                            ResultSet row = newest.executeQuery()) {
                        if (row.next()) {
                            previous = row.getLong(1);
                            previousSeal = row.getString(2);
                        }
                    }
                    Change change = new Change(previous + 1, subject, action, payload, truncate(changedBy),
                            truncate(node), Instant.ofEpochMilli(System.currentTimeMillis()));
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + kind.table()
                            + " (SEQ, " + kind.subjectColumn() + ", ACTION, " + kind.payloadColumn()
                            + ", CHANGED_BY, NODE, CHANGED_MS, SEAL) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setLong(1, change.sequence());
                        insert.setString(2, change.subject());
                        insert.setString(3, change.action());
                        insert.setString(4, change.payload());
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
                PreparedStatement max = connection.prepareStatement("SELECT MAX(SEQ) FROM " + kind.table());
                ResultSet row = max.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    /**
     * The changes after {@code after}, the whole log verified from its first change.
     *
     * @throws BrokenLogException when a seal does not verify or a number is missing (carrying the changes before
     *                                 the break), or the log holds fewer changes than {@code after} (it went back)
     */
    List<Change> since(long after) throws SQLException {
        List<Change> changes = new ArrayList<>();
        String previousSeal = "";
        long expected = 1;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement all = connection.prepareStatement("SELECT SEQ, " + kind.subjectColumn()
                        + ", ACTION, " + kind.payloadColumn() + ", CHANGED_BY, NODE, CHANGED_MS, SEAL FROM "
                        + kind.table() + " ORDER BY SEQ");
                ResultSet row = all.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                if (sequence != expected) {
                    throw new BrokenLogException(kind.noun() + " change " + expected + " is missing from "
                            + kind.table() + " (the next is " + sequence + "): the log was altered in the database",
                            changes);
                }
                String action = row.getString(3);
                if (!kind.actions().contains(action)) {
                    throw new BrokenLogException(kind.noun() + " change " + sequence + " in " + kind.table()
                            + " has an unknown action: the log was altered in the database", changes);
                }
                Change change = new Change(sequence, row.getString(2), action, row.getString(4), row.getString(5),
                        row.getString(6), Instant.ofEpochMilli(row.getLong(7)));
                String seal = row.getString(8);
                if (!MessageDigest.isEqual(seal(previousSeal, change).getBytes(StandardCharsets.US_ASCII),
                        seal.getBytes(StandardCharsets.US_ASCII))) {
                    throw new BrokenLogException(kind.noun() + " change " + sequence + " in " + kind.table()
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
            throw new BrokenLogException("the " + kind.noun() + " log in " + kind.table() + " went back from change "
                    + after + " to " + (expected - 1) + ": changes were removed in the database", List.of());
        }
        return changes;
    }

    private String seal(String previousSeal, Change change) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            MacFields.update(mac, previousSeal);
            MacFields.update(mac, Long.toString(change.sequence()));
            MacFields.update(mac, change.subject());
            MacFields.update(mac, change.action());
            MacFields.update(mac, change.payload());
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

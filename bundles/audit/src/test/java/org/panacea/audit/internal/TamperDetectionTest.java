package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.audit.AuditVerification;

/**
 * Tampers with the tables by plain JDBC, as someone with database access but without the audit key could, and checks
 * that verification names the first broken entry. The trail holds 25 entries with a checkpoint every 10.
 */
class TamperDetectionTest {

    private static final int ENTRIES = 25;

    @TempDir
    Path folder;

    private DerbyDatabase database;
    private HashChainedAuditTrail trail;
    private final EntryHasher hasher = new EntryHasher();

    @BeforeEach
    void recordEntries() {
        database = new DerbyDatabase(folder);
        trail = database.openTrail(10);
        for (int i = 1; i <= ENTRIES; i++) {
            trail.record(Events.read(i));
        }
        assertEquals("OK 25 entries verified against 2 anchors", trail.verify().summary(), "checkpoints 10 and 20");
    }

    @AfterEach
    void close() {
        trail.close();
        database.close();
    }

    @ParameterizedTest
    @CsvSource({"ACTOR, mallory", "ACTOR_ROLE, admin", "AUDIT_ACTION, DELETE", "RESOURCE_TYPE, Patient",
        "RESOURCE_ID, obs-999", "PATIENT_ID, p-other", "OUTCOME, DENIED", "CLIENT_ADDRESS, 6.6.6.6",
        "DETAILS_DIGEST, 0000000000000000000000000000000000000000000000000000000000000000",
        "PREVIOUS_HASH, 1111111111111111111111111111111111111111111111111111111111111111",
        "ENTRY_HASH, 2222222222222222222222222222222222222222222222222222222222222222"})
    void detectsAnEditedField(String column, String value) throws Exception {
        assertEquals(1, database.update("UPDATE AUDIT_ENTRY SET " + column + " = ? WHERE SEQ = 7", value));

        assertBrokenAt(7);
    }

    @Test
    void detectsAnEditedTime() throws Exception {
        database.update("UPDATE AUDIT_ENTRY SET EVENT_TIME = ? WHERE SEQ = 7", Timestamp.valueOf("2001-01-01 00:00:00"));

        assertBrokenAt(7);
    }

    @Test
    void detectsADeletedMiddleEntry() throws Exception {
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ = 12");

        AuditVerification verification = assertBrokenAt(12);
        assertTrue(verification.problem().contains("missing"), verification.problem());
    }

    @Test
    void detectsAForgedEntryAppendedWithAValidHash() throws Exception {
        EntryRow last = database.rows().get(ENTRIES - 1);
        EntryRow forged = EntryRow.unhashed(26, last.time().plusSeconds(1), Events.read(99), last.detailsDigest(),
                last.hash());
        insert(forged.withHash(hasher.hash(forged)));

        AuditVerification verification = assertBrokenAt(26);
        assertTrue(verification.problem().contains("outside the audit trail"), verification.problem());
    }

    @Test
    void detectsAForgedEntryWithAnImpossibleSequence() throws Exception {
        EntryRow first = database.rows().get(0);
        EntryRow forged = EntryRow.unhashed(0, first.time(), Events.read(99), first.detailsDigest(),
                EntryHasher.GENESIS_HASH);
        insert(forged.withHash(hasher.hash(forged)));

        assertBrokenAt(0);
    }

    @Test
    void detectsSwappedSequenceNumbers() throws Exception {
        database.update("UPDATE AUDIT_ENTRY SET SEQ = -1 WHERE SEQ = 5");
        database.update("UPDATE AUDIT_ENTRY SET SEQ = 5 WHERE SEQ = 9");
        database.update("UPDATE AUDIT_ENTRY SET SEQ = 9 WHERE SEQ = -1");

        assertBrokenAt(5);
    }

    @Test
    void detectsSwappedContentsOfNeighbours() throws Exception {
        List<EntryRow> rows = database.rows();
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ IN (5, 6)");
        insert(withSequence(rows.get(5), 5));
        insert(withSequence(rows.get(4), 6));

        assertBrokenAt(5);
    }

    @Test
    void detectsATruncatedTailAfterTheLastCheckpoint() throws Exception {
        assertEquals(3, database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 22"));

        AuditVerification verification = assertBrokenAt(23);
        assertTrue(verification.problem().contains("truncated"), verification.problem());
    }

    @Test
    void detectsATruncatedTailAcrossACheckpoint() throws Exception {
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 15");

        assertBrokenAt(16);
    }

    @Test
    void detectsAChainRewrittenWithoutTheKeyAtTheNextCheckpoint() throws Exception {
        rewriteFrom(13, "mallory");

        AuditVerification verification = assertBrokenAt(20);
        assertTrue(verification.problem().contains("rewritten after entry 10"), verification.problem());
    }

    @Test
    void detectsATailRewrittenWithoutTheKeyAtTheHead() throws Exception {
        rewriteFrom(23, "mallory");

        AuditVerification verification = assertBrokenAt(25);
        assertTrue(verification.problem().contains("sealed head"), verification.problem());
    }

    @Test
    void detectsAnEditedCheckpointHash() throws Exception {
        String hashOf11 = database.string("SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = 11");
        database.update("UPDATE AUDIT_CHECKPOINT SET ENTRY_HASH = ? WHERE SEQ = 10", hashOf11);

        AuditVerification verification = assertBrokenAt(10);
        assertTrue(verification.problem().contains("checkpoint"), verification.problem());
    }

    @Test
    void detectsAForgedCheckpointSeal() throws Exception {
        database.update("UPDATE AUDIT_CHECKPOINT SET SEAL = ? WHERE SEQ = 20", "0".repeat(64));

        assertBrokenAt(20);
    }

    @Test
    void detectsAnInsertedCheckpoint() throws Exception {
        String hashOf15 = database.string("SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = 15");
        database.update("INSERT INTO AUDIT_CHECKPOINT (SEQ, ENTRY_HASH, SEAL) VALUES (15, ?, ?)", hashOf15,
                "ab".repeat(32));

        assertBrokenAt(15);
    }

    @Test
    void detectsAHeadSealMovedBackToHideATruncation() throws Exception {
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 22");
        String hashOf22 = database.string("SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = 22");
        database.update("UPDATE AUDIT_HEAD SET SEQ = 22, ENTRY_HASH = ?", hashOf22);

        AuditVerification verification = assertBrokenAt(21);
        assertTrue(verification.problem().contains("head seal does not verify"), verification.problem());
    }

    @Test
    void detectsADeletedHeadSeal() throws Exception {
        database.update("DELETE FROM AUDIT_HEAD");

        AuditVerification verification = assertBrokenAt(21);
        assertTrue(verification.problem().contains("head seal is missing"), verification.problem());
    }

    @Test
    void reportsOnlyTheFirstOfSeveralProblems() throws Exception {
        database.update("UPDATE AUDIT_ENTRY SET ACTOR = 'mallory' WHERE SEQ = 18");
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ = 4");
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 23");

        AuditVerification verification = assertBrokenAt(4);
        assertEquals(4, verification.entriesChecked(), "it stops at the first problem");
    }

    private AuditVerification assertBrokenAt(long sequence) {
        AuditVerification verification = trail.verify();
        assertFalse(verification.intact(), verification.summary());
        assertEquals(sequence, verification.firstBroken(), verification.summary());
        assertTrue(verification.summary().startsWith("BROKEN at entry " + sequence + ": "), verification.summary());
        return verification;
    }

    /** Edits entry {@code from} and recomputes every hash after it, as an attacker without the key can. */
    private void rewriteFrom(long from, String actor) throws Exception {
        List<EntryRow> rows = database.rows();
        String previous = rows.get((int) from - 2).hash();
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ >= ?", from);
        for (EntryRow row : rows.subList((int) from - 1, rows.size())) {
            EntryRow edited = new EntryRow(row.sequence(), row.time(), row.sequence() == from ? actor : row.actor(),
                    row.role(), row.action(), row.resourceType(), row.resourceId(), row.patientId(), row.outcome(),
                    row.clientAddress(), row.detailsDigest(), previous, null);
            EntryRow rehashed = edited.withHash(hasher.hash(edited));
            insert(rehashed);
            previous = rehashed.hash();
        }
    }

    private static EntryRow withSequence(EntryRow row, long sequence) {
        return new EntryRow(sequence, row.time(), row.actor(), row.role(), row.action(), row.resourceType(),
                row.resourceId(), row.patientId(), row.outcome(), row.clientAddress(), row.detailsDigest(),
                row.previousHash(), row.hash());
    }

    private void insert(EntryRow row) throws Exception {
        database.update("INSERT INTO AUDIT_ENTRY (SEQ, EVENT_TIME, ACTOR, ACTOR_ROLE, AUDIT_ACTION, RESOURCE_TYPE,"
                + " RESOURCE_ID, PATIENT_ID, OUTCOME, CLIENT_ADDRESS, DETAILS_DIGEST, PREVIOUS_HASH, ENTRY_HASH)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.sequence(),
                Timestamp.valueOf(row.time().atZone(java.time.ZoneOffset.UTC).toLocalDateTime()), row.actor(),
                row.role(), row.action(), row.resourceType(), row.resourceId(), row.patientId(), row.outcome(),
                row.clientAddress(), row.detailsDigest(), row.previousHash(), row.hash());
    }
}

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.security.auth.Subject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;

/**
 * The trail anchored outside its database, on real embedded Derby: what the database's own seals cannot reveal (a
 * database rolled back as a whole, a cut tail with its old head seal put back) is reported against the anchors, a
 * restore epoch settles a restore an administrator declares, and events lost while the database is down are counted.
 * Checkpoints every 10 entries.
 */
class AnchoringTest {

    private static final Caller ADMIN = new Caller("admin", Set.of(Role.ADMIN), "console");

    @TempDir
    Path folder;

    private DerbyDatabase database;
    private final List<HashChainedAuditTrail> opened = new ArrayList<>();

    @BeforeEach
    void createDatabase() {
        database = new DerbyDatabase(folder);
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(HashChainedAuditTrail::close);
        database.close();
    }

    @Test
    void anchorsEveryCheckpointAndTheHeadWhenItMoved() throws Exception {
        HashChainedAuditTrail trail = open("node-a");
        record(trail, 1, 25);
        trail.anchorNow();
        trail.anchorNow();

        List<String> lines = Files.readAllLines(database.anchorFolder.resolve("node-a.anchors"));
        assertEquals(3, lines.size(), "checkpoints 10 and 20, the head 25 once: " + lines);
        assertTrue(lines.get(0).startsWith("1 checkpoint 10 " + hashOf(10) + " "), lines.get(0));
        assertTrue(lines.get(2).startsWith("3 head 25 " + hashOf(25) + " "), lines.get(2));
        assertEquals("OK 25 entries verified against 3 anchors", trail.verify().summary());
    }

    @Test
    void aCutTailWithItsOldHeadSealPutBackIsBrokenNamingTheLastAnchoredEntry() throws Exception {
        HashChainedAuditTrail trail = open("node-a");
        record(trail, 1, 25);
        String savedHash = database.string("SELECT ENTRY_HASH FROM AUDIT_HEAD");
        String savedSeal = database.string("SELECT SEAL FROM AUDIT_HEAD");
        record(trail, 26, 35);
        trail.anchorNow();
        AnchorLine head35 = lastLine("node-a");
        assertEquals(35, head35.sequence());

        // Cut back to 25 and put the saved head row back: the database is then sound in itself.
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 25");
        database.update("DELETE FROM AUDIT_CHECKPOINT WHERE SEQ > 25");
        database.update("UPDATE AUDIT_HEAD SET SEQ = 25, ENTRY_HASH = ?, SEAL = ?", savedHash, savedSeal);
        try (Connection connection = database.dataSource.getConnection()) {
            AuditVerification withoutAnchors = new ChainVerifier(new AuditStore(), new EntryHasher(),
                    trail.journal().sealer()).verify(connection, List.of()).verification();
            assertEquals("OK 25 entries verified", withoutAnchors.summary(), "what the seals alone cannot see");
        }

        AuditVerification verification = trail.verify();

        assertFalse(verification.intact(), verification.summary());
        assertEquals(26, verification.firstBroken(), verification.summary());
        assertTrue(verification.problem().startsWith("entry 35 (head anchor of " + head35.time() + " on node-a"),
                verification.problem());
        assertTrue(verification.problem().contains("no longer in the database, whose newest entry is 25"),
                verification.problem());
        assertTrue(verification.problem().contains("2 anchors do not match"), verification.problem());
        assertEquals(2, verification.anchorsMatched(), "checkpoints 10 and 20 still match");
    }

    @Test
    void anOlderBackupRestoredIsBrokenUntilARestoreEpochAndARollbackPastTheEpochIsBrokenAgain() throws Exception {
        Path backup = folder.resolve("backup");
        HashChainedAuditTrail first = open("node-a");
        record(first, 1, 15);
        close(first);
        database.backupTo(backup);
        HashChainedAuditTrail second = open("node-a");
        record(second, 16, 32);
        close(second);
        AnchorLine final32 = lastLine("node-a");
        assertEquals(32, final32.sequence(), "the final checkpoint at shutdown is anchored");

        database.restoreFrom(backup);
        HashChainedAuditTrail restored = open("node-a");
        AuditVerification verification = restored.verify();
        assertFalse(verification.intact(), verification.summary());
        assertEquals(16, verification.firstBroken());
        assertTrue(verification.problem().startsWith("entry 32 (checkpoint anchor of " + final32.time()),
                verification.problem());
        assertTrue(verification.problem().contains("audit:restore-epoch"), verification.problem());

        // The platform keeps working on the restored chain, and anchors it; the old anchors still do not match.
        record(restored, 16, 18);
        restored.anchorNow();
        assertFalse(restored.verify().intact());

        RestoreEpochs.RestoreEpoch epoch = restored.recordRestoreEpoch(ADMIN, "restored the backup of 07:00 after"
                + " the disk of the database failed");

        assertEquals(19, epoch.entry().sequence());
        assertEquals(AuditAction.RESTORE_EPOCH, epoch.entry().event().action());
        assertEquals("admin", epoch.entry().event().actor());
        assertTrue(epoch.anchored());
        assertEquals(3, epoch.superseded(), "checkpoints 20 and 30 and the final 32 of the run the backup lost");
        assertTrue(epoch.verification().intact(), epoch.verification().summary());
        assertTrue(restored.verify().summary().contains("restore epoch at entry 19 of " + epoch.entry().time()
                + " by admin (\"restored the backup of 07:00 after the disk of the database failed\"): 3 older"
                + " anchors superseded"), restored.verify().summary());

        // After the epoch, new anchors protect the restored chain as before.
        record(restored, 20, 41);
        AuditVerification after = restored.verify();
        assertTrue(after.intact(), after.summary());
        assertEquals(3, after.anchorsSuperseded());
        close(restored);
        database.restoreFrom(backup);
        HashChainedAuditTrail rolledBackAgain = open("node-a");
        AuditVerification again = rolledBackAgain.verify();
        assertFalse(again.intact(), "an epoch does not excuse a rollback past it: " + again.summary());
        assertTrue(again.problem().startsWith("entry 41 (checkpoint anchor of "), again.problem());
    }

    @Test
    void aRestoreEpochSettlesOnlyAnOlderSoundChainAndOnlyTheTrailWritesOne() throws Exception {
        HashChainedAuditTrail trail = open("node-a");
        record(trail, 1, 12);

        IllegalStateException nothing = assertThrows(IllegalStateException.class,
                () -> trail.recordRestoreEpoch(ADMIN, "just in case"));
        assertTrue(nothing.getMessage().startsWith("Nothing to record"), nothing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trail.recordRestoreEpoch(ADMIN, "  "));
        assertThrows(IllegalArgumentException.class, () -> trail.recordRestoreEpoch(ADMIN, "two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> trail.record(new AuditEvent("mallory", "admin",
                AuditAction.RESTORE_EPOCH, "", "", "", AuditOutcome.SUCCESS, null, "hide the rollback")));
        assertThrows(IllegalArgumentException.class, () -> trail.record(new AuditEvent("mallory", "",
                AuditAction.AUDIT_GAP, "", "", "", AuditOutcome.ERROR, null, "")));

        database.update("UPDATE AUDIT_ENTRY SET ACTOR = 'mallory' WHERE SEQ = 5");
        IllegalStateException edited = assertThrows(IllegalStateException.class,
                () -> trail.recordRestoreEpoch(ADMIN, "restored a backup"));
        assertTrue(edited.getMessage().contains("cannot settle") && edited.getMessage().contains("BROKEN at entry 5"),
                edited.getMessage());
        assertEquals(List.of(12L), database.longs("SELECT MAX(SEQ) FROM AUDIT_ENTRY"), "nothing was recorded");
    }

    @Test
    void anEditedAnchorLineIsBroken() throws Exception {
        HashChainedAuditTrail trail = open("node-a");
        record(trail, 1, 25);
        Path file = database.anchorFolder.resolve("node-a.anchors");
        List<String> lines = Files.readAllLines(file);
        // Point the first checkpoint's anchor at another entry's hash, keeping its seal.
        lines.set(0, lines.get(0).replace(hashOf(10), hashOf(11)));
        Files.write(file, lines);

        AuditVerification verification = trail.verify();

        assertFalse(verification.intact(), verification.summary());
        assertEquals(10, verification.firstBroken());
        assertTrue(verification.problem().startsWith("line 1 of node-a.anchors (checkpoint of entry 10) does not"
                + " verify with the audit key"), verification.problem());
    }

    @Test
    void nodesSharingTheDatabaseKeepTheirOwnFilesAndEachVerificationReadsThemAll() throws Exception {
        HashChainedAuditTrail nodeA = open("node-a");
        record(nodeA, 1, 12);
        close(nodeA);
        HashChainedAuditTrail nodeB = open("node-b");
        record(nodeB, 13, 24);
        nodeB.anchorNow();

        assertEquals("OK 24 entries verified against 4 anchors", nodeB.verify().summary(),
                "node-a: checkpoint 10, final 12; node-b: checkpoint 20, head 24");
        CheckpointSealer sealer = nodeB.journal().sealer();
        close(nodeB);
        // Node b's part cut off, and a valid head seal of entry 12 made (as with the key): sound in itself.
        String hash12 = hashOf(12);
        database.update("DELETE FROM AUDIT_ENTRY WHERE SEQ > 12");
        database.update("DELETE FROM AUDIT_CHECKPOINT WHERE SEQ > 12");
        database.update("UPDATE AUDIT_HEAD SET SEQ = 12, ENTRY_HASH = ?, SEAL = ?", hash12,
                sealer.sealHead(new ChainHead(12, hash12)).mac());

        AuditVerification verification = open("node-a").verify();

        assertFalse(verification.intact(), verification.summary());
        assertTrue(verification.problem().startsWith("entry 24 (head anchor of ") && verification.problem()
                .contains(" on node-b, line 2)"), "node a sees node b's anchors: " + verification.problem());
        assertEquals(2, verification.anchorsMatched(), "node a's own");
    }

    @Test
    void eventsLostWhileTheDatabaseIsDownBecomeAGapEntryAndAreReported() throws Exception {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource);
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, database.settings(10, "node-a"));
        opened.add(trail);
        RealmLoginAuditor logins = new RealmLoginAuditor(trail, trail.journal());
        record(trail, 1, 3);

        dataSource.setAvailable(false);
        database.shutdown();
        logins.handleEvent(login("failure", "mallory"));
        logins.handleEvent(login("success", "clinician"));
        logins.close(); // records, here counts, what it was handed
        assertEquals(Map.of(LostEventSource.LOGIN, 2L), trail.journal().unrecordedLost());
        AuditVerification whileDown = verifyWith(trail.journal());
        assertEquals(2, whileDown.lostEvents(), "the gaps are known from the anchor file alone");

        dataSource.setAvailable(true);
        trail.record(Events.read(4));
        awaitUntil(() -> trail.journal().unrecordedLost().isEmpty());

        List<AuditEntry> gaps = trail.search(new AuditQuery(null, null, AuditAction.AUDIT_GAP, null, null, 10));
        assertEquals(1, gaps.size());
        assertEquals(5, gaps.get(0).sequence(), "the first write after the loss is followed by the gap entry");
        assertEquals("login=2", gaps.get(0).event().resourceId());
        assertEquals(HashChainedAuditTrail.ACTOR, gaps.get(0).event().actor());
        AuditVerification verification = trail.verify();
        assertTrue(verification.intact(), verification.summary());
        assertEquals(2, verification.lostEvents());
        assertTrue(verification.summary().contains("GAPS: 2 audit events could not be recorded (login 2; the last"
                + " at "), verification.summary());
        assertFalse(verification.summary().contains("not yet accounted"), verification.summary());
    }

    private HashChainedAuditTrail open(String node) {
        HashChainedAuditTrail trail = database.openTrail(10, node);
        opened.add(trail);
        return trail;
    }

    private void close(HashChainedAuditTrail trail) {
        trail.close();
        opened.remove(trail);
    }

    private static void record(HashChainedAuditTrail trail, int from, int to) {
        for (int i = from; i <= to; i++) {
            assertEquals(i, trail.record(Events.read(i)).sequence());
        }
    }

    private String hashOf(long sequence) throws Exception {
        return database.string("SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = ?", sequence);
    }

    private AnchorLine lastLine(String node) throws Exception {
        List<AnchorLine> lines = AnchorFiles.read(database.anchorFolder.resolve(node + AnchorFiles.SUFFIX), node,
                null).lines();
        return lines.get(lines.size() - 1);
    }

    /** The anchor side of a verification, with the database unreachable. */
    private static AuditVerification verifyWith(AnchorJournal journal) {
        return new AnchorComparison(journal.readAll()).verdict(0, 0).verification();
    }

    private static Event login(String type, String user) {
        return new Event("org/apache/karaf/login/" + type, Map.of("type", type, "username", user, "subject",
                new Subject()));
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "in time");
    }
}

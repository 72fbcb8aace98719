package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.CommittedEntryListener;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.audit.PendingEntries;

class HashChainedAuditTrailTest {

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

    private HashChainedAuditTrail open(int checkpointInterval) {
        HashChainedAuditTrail trail = database.openTrail(checkpointInterval);
        opened.add(trail);
        return trail;
    }

    @Test
    void appendsAChainThatVerifies() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            entries.add(trail.record(Events.read(i)));
        }

        EntryHasher hasher = new EntryHasher();
        String previous = EntryHasher.GENESIS_HASH;
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            assertEquals(i + 1, entry.sequence());
            assertEquals(previous, entry.previousHash());
            assertFalse(entry.time().isBefore(before));
            assertEquals(hasher.digestDetails(Events.read(i + 1).details()), entry.detailsDigest());
            assertEquals(entry.detailsDigest(), entry.event().details(), "details are replaced by their digest");
            previous = entry.hash();
        }
        assertEquals(entries, database.rows().stream().map(EntryRow::toAuditEntry).toList(),
                "what record() returns is what is stored");
        AuditVerification verification = trail.verify();
        assertTrue(verification.intact());
        assertEquals("OK 5 entries verified", verification.summary());
    }

    @Test
    void recordAllStoresTheEventsInOrderInTheChainAndRefusesReservedActionsBeforeStoringAny() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        trail.record(Events.read(1));

        List<AuditEntry> entries = trail.recordAll(List.of(Events.read(2), Events.read(3), Events.read(4)));

        assertEquals(List.of(2L, 3L, 4L), entries.stream().map(AuditEntry::sequence).toList());
        assertEquals(entries, database.rows().stream().skip(1).map(EntryRow::toAuditEntry).toList());
        assertEquals(List.of("obs-2", "obs-3", "obs-4"), entries.stream().map(entry -> entry.event().resourceId()).toList());
        AuditEvent reserved = new AuditEvent("mallory", "clinician", AuditAction.AUDIT_GAP, "Patient", "p-9", "p-9",
                AuditOutcome.SUCCESS, "127.0.0.1", "forged");
        assertThrows(IllegalArgumentException.class, () -> trail.recordAll(List.of(Events.read(5), reserved)));
        assertEquals(4, database.rows().size(), "nothing of a refused list is stored");
        assertTrue(trail.verify().intact());
    }

    /**
     * submitAll hands the events to the writer and returns while their batch is still being committed; await answers
     * only once they are stored, with what is stored, and again the same when called twice.
     */
    @Test
    void submitAllReturnsBeforeTheCommitAndAwaitReturnsOnceTheEntriesAreStored() throws Exception {
        CommitInterceptingDataSource dataSource = new CommitInterceptingDataSource(database.dataSource);
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, database.settings(1000, "node-a"));
        opened.add(trail);
        trail.record(Events.read(1));
        java.util.concurrent.CountDownLatch committing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dataSource.beforeNextCommit(connection -> {
            committing.countDown();
            release.await(1, TimeUnit.MINUTES);
        });

        PendingEntries pending = trail.submitAll(List.of(Events.read(2), Events.read(3)));
        assertTrue(committing.await(1, TimeUnit.MINUTES), "the writer took the batch");
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        Future<List<AuditEntry>> awaited = waiter.submit(pending::await);
        Thread.sleep(200);
        assertFalse(awaited.isDone(), "await waits for the commit");
        // (The rows themselves are locked by the open batch: a reader would wait for it.)
        assertEquals(1, trail.committedHead().orElseThrow().sequence(), "not committed yet");
        release.countDown();
        List<AuditEntry> entries = awaited.get(1, TimeUnit.MINUTES);
        waiter.shutdown();

        assertEquals(List.of(2L, 3L), entries.stream().map(AuditEntry::sequence).toList());
        assertEquals(entries, database.rows().stream().skip(1).map(EntryRow::toAuditEntry).toList());
        assertEquals(entries, pending.await(), "a second await answers as the first");
        assertTrue(trail.verify().intact());
    }

    /**
     * A batch that cannot be committed fails await, never submitAll's caller later on its own; a reserved action is
     * refused by submitAll itself and nothing of its list is queued.
     */
    @Test
    void submitAllFailsAtAwaitWhenTheCommitFailsAndRefusesReservedActionsAtOnce() throws Exception {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource);
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, database.settings(1000, "node-a"));
        opened.add(trail);
        trail.record(Events.read(1));
        AuditEvent reserved = new AuditEvent("mallory", "clinician", AuditAction.RESTORE_EPOCH, "Patient", "p-9",
                "p-9", AuditOutcome.SUCCESS, "127.0.0.1", "forged");
        assertThrows(IllegalArgumentException.class, () -> trail.submitAll(List.of(Events.read(2), reserved)));

        dataSource.setAvailable(false);
        database.shutdown(); // the writer's open connection dies too
        PendingEntries pending = trail.submitAll(List.of(Events.read(3)));
        assertThrows(AuditException.class, pending::await);
        assertThrows(AuditException.class, pending::await, "and again");

        dataSource.setAvailable(true);
        assertEquals(2, trail.submitAll(List.of(Events.read(4))).await().get(0).sequence(),
                "nothing of the refused list or the failed batch is stored");
        assertEquals("OK 2 entries verified", trail.verify().summary());
    }

    @Test
    void storesOnlyTheDigestOfTheDetails() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        trail.record(new AuditEvent("alice", "clinician", AuditAction.READ, "Patient", "p-9", "p-9",
                AuditOutcome.SUCCESS, "10.0.0.1", "name=Jane Doe; mrn=12345"));

        assertEquals(0, database.longs("SELECT COUNT(*) FROM AUDIT_ENTRY WHERE ACTOR LIKE '%Jane%' OR "
                + "RESOURCE_ID LIKE '%Jane%' OR DETAILS_DIGEST LIKE '%Jane%' OR CLIENT_ADDRESS LIKE '%Jane%'").get(0));
        assertEquals(new EntryHasher().digestDetails("name=Jane Doe; mrn=12345"),
                database.string("SELECT DETAILS_DIGEST FROM AUDIT_ENTRY WHERE SEQ = 1"));
    }

    @Test
    void sealsACheckpointEveryIntervalAndAtClose() throws Exception {
        HashChainedAuditTrail trail = open(10);
        for (int i = 1; i <= 25; i++) {
            trail.record(Events.read(i));
        }
        assertEquals(List.of(10L, 20L), database.longs("SELECT SEQ FROM AUDIT_CHECKPOINT ORDER BY SEQ"));
        assertEquals(List.of(25L), database.longs("SELECT SEQ FROM AUDIT_HEAD"));

        trail.close();
        opened.remove(trail);

        assertEquals(List.of(10L, 20L, 25L), database.longs("SELECT SEQ FROM AUDIT_CHECKPOINT ORDER BY SEQ"));
        assertThrows(AuditException.class, () -> trail.record(Events.read(26)), "a closed trail refuses entries");
    }

    @Test
    void concurrentWritersGetConsecutiveSequencesInOneUnbrokenChain() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        trail.addListener(entries -> batchSizes.add(entries.size()));
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            results.add(writers.submit(() -> {
                List<Long> sequences = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    sequences.add(trail.record(Events.read(writer * 1000 + i)).sequence());
                }
                return sequences;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get(2, TimeUnit.MINUTES));
        }
        writers.shutdown();
        Collections.sort(all);

        assertEquals(LongStream.rangeClosed(1, 4000).boxed().toList(), all);
        assertEquals(LongStream.rangeClosed(1, 4000).boxed().toList(),
                database.longs("SELECT SEQ FROM AUDIT_ENTRY ORDER BY SEQ"));
        assertEquals("OK 4000 entries verified against 4 anchors", trail.verify().summary());
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L),
                database.longs("SELECT SEQ FROM AUDIT_CHECKPOINT ORDER BY SEQ"));
        awaitUntil(() -> batchSizes.stream().mapToInt(Integer::intValue).sum() == 4000);
        assertTrue(batchSizes.stream().anyMatch(size -> size > 1), "concurrent callers share commits");
    }

    @Test
    void verifiesWhileWritersAppend() throws Exception {
        HashChainedAuditTrail trail = open(50);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            writers.submit(() -> {
                int i = 0;
                while (writing.get()) {
                    trail.record(Events.read(i++));
                }
                return null;
            });
        }
        try {
            for (int round = 0; round < 10; round++) {
                AuditVerification verification = trail.verify();
                assertTrue(verification.intact(), verification.summary());
            }
        } finally {
            writing.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertTrue(trail.verify().intact());
    }

    @Test
    void aNewInstanceContinuesTheChain() throws Exception {
        HashChainedAuditTrail first = open(1000);
        AuditEntry third = null;
        for (int i = 1; i <= 3; i++) {
            third = first.record(Events.read(i));
        }
        first.close();
        opened.remove(first);

        HashChainedAuditTrail second = open(1000);
        assertEquals(new ChainHead(3, third.hash()), second.committedHead().orElseThrow());
        AuditEntry fourth = second.record(Events.read(4));

        assertEquals(4, fourth.sequence());
        assertEquals(third.hash(), fourth.previousHash());
        assertEquals("OK 4 entries verified against 1 anchor", second.verify().summary(),
                "the first instance anchored its final checkpoint");
    }

    @Test
    void failsEveryCallerWhileTheDatabaseIsUnavailableAndKeepsTheHead() throws Exception {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource);
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, database.settings(1000, "node-a"));
        opened.add(trail);
        AuditEntry last = null;
        for (int i = 1; i <= 3; i++) {
            last = trail.record(Events.read(i));
        }
        ChainHead before = trail.committedHead().orElseThrow();

        dataSource.setAvailable(false);
        database.shutdown(); // the writer's open connection dies too
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<?>> attempts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = 10 + i;
            attempts.add(callers.submit(() -> trail.record(Events.read(n))));
        }
        for (Future<?> attempt : attempts) {
            Exception failure = assertThrows(Exception.class, () -> attempt.get(1, TimeUnit.MINUTES));
            assertTrue(failure.getCause() instanceof AuditException, failure.toString());
        }
        callers.shutdown();
        assertEquals(before, trail.committedHead().orElseThrow(), "the head did not advance");
        assertThrows(AuditException.class, trail::verify);

        dataSource.setAvailable(true);
        AuditEntry next = trail.record(Events.read(4));
        assertEquals(4, next.sequence(), "no gap where the failed entries would have been");
        assertEquals(last.hash(), next.previousHash());
        assertEquals("OK 4 entries verified", trail.verify().summary());
    }

    /**
     * A database fail-over: the commit reached the database (and the standby that is promoted) but its answer was
     * lost with the connection, so the caller was refused although the entry is stored. The next batch finds it, and
     * an ERROR entry of the same actor, action and resource records that its caller was refused.
     */
    @Test
    void anEntryStoredAlthoughItsCommitFailedForItsCallerIsFollowedByAnErrorEntry() throws Exception {
        CommitInterceptingDataSource dataSource = new CommitInterceptingDataSource(database.dataSource);
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, database.settings(1000, "node-a"));
        opened.add(trail);
        trail.record(Events.read(1));
        dataSource.beforeNextCommit(connection -> {
            connection.commit();
            throw new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006");
        });
        AuditEvent refused = Events.of("clinician-x", AuditAction.CREATE, "p-in-doubt");
        assertThrows(AuditException.class, () -> trail.record(refused));

        trail.record(Events.read(3));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<AuditEntry> forPatient = List.of();
        while (forPatient.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            forPatient = trail.search(new AuditQuery("p-in-doubt", null, null, null, null, 10));
        }
        assertEquals(2, forPatient.size(), "the stored entry and the entry saying its caller was refused: "
                + forPatient);
        AuditEntry note = forPatient.get(0);
        AuditEntry stored = forPatient.get(1);
        assertEquals(2, stored.sequence(), "the refused caller's entry is stored after all");
        assertEquals(AuditOutcome.SUCCESS, stored.event().outcome());
        assertEquals(4, note.sequence(), "recorded after the batch that found it");
        assertEquals(AuditOutcome.ERROR, note.event().outcome());
        assertEquals(AuditAction.CREATE, note.event().action());
        assertEquals("clinician-x", note.event().actor());
        assertEquals("p-in-doubt", note.event().resourceId());
        assertEquals(new EntryHasher().digestDetails(String.format(HashChainedAuditTrail.STORED_AFTER_ALL, 2)),
                note.detailsDigest());
        assertEquals("OK 4 entries verified", trail.verify().summary());
    }

    @Test
    void refusesAnOversizedEventWithoutHarmingOthers() {
        HashChainedAuditTrail trail = open(1000);
        AuditEvent oversized = new AuditEvent("x".repeat(AuditSchema.ACTOR_LENGTH + 1), "", AuditAction.READ, "", "",
                "", AuditOutcome.SUCCESS, null, null);

        AuditException failure = assertThrows(AuditException.class, () -> trail.record(oversized));
        assertTrue(failure.getMessage().contains("actor"), failure.getMessage());
        assertEquals(1, trail.record(Events.read(1)).sequence());
    }

    @Test
    void refusesNewEntriesWhenTheHeadSealIsForgedButStillVerifies() throws Exception {
        HashChainedAuditTrail first = open(1000);
        first.record(Events.read(1));
        first.record(Events.read(2));
        first.close();
        opened.remove(first);
        database.update("UPDATE AUDIT_HEAD SET SEAL = ?", "ab".repeat(32));

        HashChainedAuditTrail second = open(1000);

        AuditException refused = assertThrows(AuditException.class, () -> second.record(Events.read(3)));
        assertTrue(refused.getMessage().contains("head seal"), refused.getMessage());
        assertFalse(second.verify().intact());
        assertEquals(List.of(2L), database.longs("SELECT MAX(SEQ) FROM AUDIT_ENTRY"));
    }

    @Test
    void keepsItsKeyAcrossRestarts() throws Exception {
        open(1000).record(Events.read(1));
        String key = Files.readString(database.keyFile);

        HashChainedAuditTrail again = open(1000);
        again.record(Events.read(2));

        assertEquals(key, Files.readString(database.keyFile));
        assertTrue(again.verify().intact());
    }

    @Test
    void tellsListenersAboutCommittedEntriesInOrder() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        List<Long> seen = new CopyOnWriteArrayList<>();
        CommittedEntryListener failing = entries -> {
            throw new IllegalStateException("listener bug (test)");
        };
        trail.addListener(failing);
        trail.addListener(entries -> entries.forEach(entry -> seen.add(entry.sequence())));

        for (int i = 1; i <= 5; i++) {
            trail.record(Events.read(i));
        }
        awaitUntil(() -> seen.size() == 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seen);

        trail.removeListener(failing);
        assertNotEquals(0, trail.record(Events.read(6)).sequence());
    }

    @Test
    void tellsVerificationListenersWhatTheCallerGetsEvenWhenOneFails() throws Exception {
        HashChainedAuditTrail trail = open(1000);
        trail.record(Events.read(1));
        List<AuditVerification> seen = new CopyOnWriteArrayList<>();
        trail.addVerificationListener(verification -> {
            throw new IllegalStateException("listener bug (test)");
        });
        trail.addVerificationListener(seen::add);

        AuditVerification result = trail.verify();

        assertTrue(result.intact());
        assertEquals(List.of(result), seen);
    }

    /** Listeners run on their own thread: give them time. */
    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}

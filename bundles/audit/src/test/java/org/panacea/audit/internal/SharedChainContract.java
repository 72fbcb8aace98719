package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditVerification;

/**
 * Several nodes on one database: trails ("nodes") with their own writer, connection and anchor file, one key and one
 * anchor folder, appending to one chain at the same time. Whatever the interleaving, the sequence numbers are
 * gap-free and each entry chains to the one before it; a node that dies inside its transaction leaves nothing; every
 * node's verification says OK against every node's anchors. Run on Derby (trails in one JVM, the fair test for an
 * embedded database) and on PostgreSQL.
 */
abstract class SharedChainContract {

    private static final int CHECKPOINT_INTERVAL = 50;
    private static final int THREADS_PER_NODE = 4;
    private static final int ENTRIES_PER_THREAD = 150;

    @TempDir
    Path folder;

    private final List<HashChainedAuditTrail> opened = new ArrayList<>();
    private final List<ExecutorService> pools = new ArrayList<>();

    /** The shared database, with no audit tables at the start of each test. */
    abstract DataSource dataSource();

    /** Ends the transaction on {@code connection} as the database does when the node holding it dies. */
    abstract void kill(Connection connection) throws Exception;

    @AfterEach
    void closeNodes() {
        pools.forEach(ExecutorService::shutdownNow);
        opened.forEach(HashChainedAuditTrail::close);
    }

    @Test
    void twoNodesWritingAtOnceFormOneGapFreeChainThatVerifiesOnBoth() throws Exception {
        HashChainedAuditTrail nodeA = open("node-a", dataSource());
        HashChainedAuditTrail nodeB = open("node-b", dataSource());
        List<Long> toldA = new CopyOnWriteArrayList<>();
        List<Long> toldB = new CopyOnWriteArrayList<>();
        nodeA.addListener(entries -> entries.forEach(entry -> toldA.add(entry.sequence())));
        nodeB.addListener(entries -> entries.forEach(entry -> toldB.add(entry.sequence())));
        ExecutorService writers = pool(2 * THREADS_PER_NODE + 1);
        List<Future<List<Long>>> byA = new ArrayList<>();
        List<Future<List<Long>>> byB = new ArrayList<>();
        for (int t = 0; t < THREADS_PER_NODE; t++) {
            byA.add(writers.submit(writeAll(nodeA, t * 1000)));
            byB.add(writers.submit(writeAll(nodeB, 100_000 + t * 1000)));
        }
        // Node b verifies while both write: what it reads first, it finds whole.
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<List<String>> verifications = writers.submit(() -> {
            List<String> broken = new ArrayList<>();
            while (writing.get()) {
                AuditVerification during = nodeB.verify();
                if (!during.intact()) {
                    broken.add(during.summary());
                }
            }
            return broken;
        });
        // Node a reads the whole trail on from a cursor while both write: every entry once, in order, none skipped.
        Future<List<Long>> tailed = writers.submit(() -> tail(nodeA, writing));
        List<Long> sequencesA = collect(byA);
        List<Long> sequencesB = collect(byB);
        writing.set(false);
        assertEquals(List.of(), verifications.get(2, TimeUnit.MINUTES), "verifications while both nodes wrote");
        assertEquals(LongStream.rangeClosed(1, 2L * THREADS_PER_NODE * ENTRIES_PER_THREAD).boxed().toList(),
                tailed.get(2, TimeUnit.MINUTES), "entriesAfter read while both nodes wrote: every entry, in order");

        long total = 2L * THREADS_PER_NODE * ENTRIES_PER_THREAD;
        Set<Long> all = new HashSet<>(sequencesA);
        all.addAll(sequencesB);
        assertEquals(total, all.size(), "no sequence number was given out twice");
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), longs("SELECT SEQ FROM AUDIT_ENTRY ORDER BY SEQ"),
                "gap-free");
        assertChainsEntryByEntry(total);
        assertTrue(interleavings(sequencesA) > 2, "the nodes' batches alternated, they did not run one after the other");
        assertEquals(LongStream.rangeClosed(1, total / CHECKPOINT_INTERVAL).map(n -> n * CHECKPOINT_INTERVAL).boxed()
                .toList(), longs("SELECT SEQ FROM AUDIT_CHECKPOINT ORDER BY SEQ"), "every checkpoint, whoever sealed it");

        // Each node's listeners hear of the entries that node committed, and only those.
        awaitUntil(() -> toldA.size() == sequencesA.size() && toldB.size() == sequencesB.size());
        assertEquals(new HashSet<>(sequencesA), new HashSet<>(toldA));
        assertEquals(new HashSet<>(sequencesB), new HashSet<>(toldB));

        nodeA.anchorNow();
        nodeB.anchorNow();
        long anchors = anchorLines("node-a") + anchorLines("node-b");
        assertTrue(anchors >= total / CHECKPOINT_INTERVAL, "every checkpoint is anchored by the node that sealed it");
        String expected = "OK " + total + " entries verified against " + anchors + " anchors";
        assertEquals(expected, nodeA.verify().summary());
        assertEquals(expected, nodeB.verify().summary());

        close(nodeA);
        close(nodeB);
        AuditVerification afterRestart = open("node-c", dataSource()).verify();
        assertTrue(afterRestart.intact(), afterRestart.summary());
        assertEquals(total, afterRestart.entriesChecked());
    }

    @Test
    void aNodeKilledAfterMovingTheHeadBeforeCommittingLeavesNoGapAndNoFork() throws Exception {
        CommitInterceptingDataSource dyingSource = new CommitInterceptingDataSource(dataSource());
        HashChainedAuditTrail dying = open("node-a", dyingSource);
        HashChainedAuditTrail survivor = open("node-b", dataSource());
        for (int i = 1; i <= 5; i++) {
            dying.record(Events.read(i));
            survivor.record(Events.read(100 + i));
        }
        String hashOf10 = string("SELECT ENTRY_HASH FROM AUDIT_ENTRY WHERE SEQ = 10");

        // Node a's next batch stops after it stored entry 11 and moved the head to it, holding the head lock.
        AtomicReference<Connection> holding = new AtomicReference<>();
        CountDownLatch headMoved = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        dyingSource.beforeNextCommit(connection -> {
            holding.set(connection);
            headMoved.countDown();
            killed.await(1, TimeUnit.MINUTES);
        });
        ExecutorService callers = pool(2);
        Future<AuditEntry> lost = callers.submit(() -> dying.record(Events.read(6)));
        assertTrue(headMoved.await(1, TimeUnit.MINUTES));
        Future<AuditEntry> waiting = callers.submit(() -> survivor.record(Events.read(106)));
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "the other node waits for the head lock, it does not fork the chain");

        kill(holding.get());
        killed.countDown();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> lost.get(1, TimeUnit.MINUTES));
        assertInstanceOf(AuditException.class, failure.getCause(), "the dying node's caller was not told it stored");
        AuditEntry next = waiting.get(1, TimeUnit.MINUTES);
        assertEquals(11, next.sequence(), "nothing of the killed transaction remains");
        assertEquals(hashOf10, next.previousHash());
        AuditEntry after = dying.record(Events.read(7));
        assertEquals(12, after.sequence(), "the node that lost its transaction continues the chain");
        assertEquals(next.hash(), after.previousHash());

        assertEquals(LongStream.rangeClosed(1, 12).boxed().toList(), longs("SELECT SEQ FROM AUDIT_ENTRY ORDER BY SEQ"));
        assertChainsEntryByEntry(12);
        assertEquals("OK 12 entries verified", dying.verify().summary());
        assertEquals("OK 12 entries verified", survivor.verify().summary());
    }

    @Test
    void aForkedEntryInsertedByHandIsCaughtAndNoNodeWritesPastIt() throws Exception {
        HashChainedAuditTrail nodeA = open("node-a", dataSource());
        HashChainedAuditTrail nodeB = open("node-b", dataSource());
        for (int i = 1; i <= 10; i++) {
            (i % 2 == 0 ? nodeA : nodeB).record(Events.read(i));
        }
        List<EntryRow> rows = rows();

        // Entry 11 chained to entry 9, as a node appending from an out-of-date head would have written it.
        insert(forged(11, rows.get(8)));
        AuditVerification appended = nodeA.verify();
        assertFalse(appended.intact(), appended.summary());
        assertEquals(11, appended.firstBroken(), appended.summary());
        assertThrows(AuditException.class, () -> nodeB.record(Events.read(12)),
                "a node refuses to continue past a row it did not chain (the number is taken)");
        assertEquals(List.of(11L), longs("SELECT MAX(SEQ) FROM AUDIT_ENTRY"));
        update("DELETE FROM AUDIT_ENTRY WHERE SEQ = 11");

        // Entry 7 replaced by one chained to entry 5, its own hash recomputed.
        update("DELETE FROM AUDIT_ENTRY WHERE SEQ = 7");
        insert(forged(7, rows.get(4)));
        for (HashChainedAuditTrail node : List.of(nodeA, nodeB)) {
            AuditVerification replaced = node.verify();
            assertFalse(replaced.intact(), replaced.summary());
            assertEquals(7, replaced.firstBroken(), replaced.summary());
            assertTrue(replaced.problem().startsWith("its previous hash does not match the hash of entry 6"),
                    replaced.problem());
        }
    }

    @Test
    void nodesStartingTogetherOnANewDatabaseShareOneChain() throws Exception {
        // The key first: these tests give every node one key file, which nodes starting at once would race to make.
        new AnchorJournal(settings("key-maker"), Clock.systemUTC()).close();
        ExecutorService starting = pool(4);
        List<Future<HashChainedAuditTrail>> nodes = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            String node = "node-" + n;
            nodes.add(starting.submit(() -> new HashChainedAuditTrail(dataSource(), settings(node))));
        }
        List<HashChainedAuditTrail> trails = new ArrayList<>();
        for (Future<HashChainedAuditTrail> node : nodes) {
            trails.add(node.get(2, TimeUnit.MINUTES));
        }
        opened.addAll(trails);
        List<Future<AuditEntry>> firsts = new ArrayList<>();
        for (HashChainedAuditTrail trail : trails) {
            firsts.add(starting.submit(() -> trail.record(Events.read(1))));
        }
        Set<Long> sequences = new HashSet<>();
        for (Future<AuditEntry> first : firsts) {
            sequences.add(first.get(1, TimeUnit.MINUTES).sequence());
        }

        assertEquals(Set.of(1L, 2L, 3L, 4L), sequences);
        assertEquals(List.of(1L), longs("SELECT COUNT(*) FROM AUDIT_HEAD"));
        assertEquals("OK 4 entries verified", trails.get(3).verify().summary());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private HashChainedAuditTrail open(String node, DataSource dataSource) {
        HashChainedAuditTrail trail = new HashChainedAuditTrail(dataSource, settings(node));
        opened.add(trail);
        return trail;
    }

    /** Follows the trail with entriesAfter, small pages, until writing stopped and nothing follows. */
    private static List<Long> tail(HashChainedAuditTrail reader, AtomicBoolean writing) throws InterruptedException {
        List<Long> read = new ArrayList<>();
        long cursor = 0;
        while (true) {
            boolean last = !writing.get();
            List<AuditEntry> page = reader.entriesAfter(cursor, 37);
            for (AuditEntry entry : page) {
                read.add(entry.sequence());
                cursor = entry.sequence();
            }
            if (page.isEmpty() && last) {
                return read;
            }
            if (page.isEmpty()) {
                Thread.sleep(5);
            }
        }
    }

    private void close(HashChainedAuditTrail trail) {
        trail.close();
        opened.remove(trail);
    }

    /** One key and one anchor folder for every node, as nodes sharing a database should have. */
    private TrailSettings settings(String node) {
        return new TrailSettings(folder.resolve("etc").resolve(TrailSettings.KEY_FILE_NAME), CHECKPOINT_INTERVAL, 256,
                folder.resolve(TrailSettings.ANCHOR_FOLDER_NAME), node, Duration.ofHours(1));
    }

    private ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    }

    private static Callable<List<Long>> writeAll(HashChainedAuditTrail trail, int first) {
        return () -> {
            List<Long> sequences = new ArrayList<>();
            for (int i = 0; i < ENTRIES_PER_THREAD; i++) {
                sequences.add(trail.record(Events.read(first + i)).sequence());
            }
            return sequences;
        };
    }

    private static List<Long> collect(List<Future<List<Long>>> results) throws Exception {
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            all.addAll(result.get(5, TimeUnit.MINUTES));
        }
        all.sort(null);
        return all;
    }

    /** How often the chain passes from the sorted {@code mine} to the other node's entries and back. */
    private static int interleavings(List<Long> mine) {
        int runs = 0;
        for (int i = 1; i < mine.size(); i++) {
            if (mine.get(i) != mine.get(i - 1) + 1) {
                runs++;
            }
        }
        return runs;
    }

    /** Each stored entry's previous hash is the hash of the entry before it, and its own hash is its fields'. */
    private void assertChainsEntryByEntry(long count) throws SQLException {
        EntryHasher hasher = new EntryHasher();
        List<EntryRow> rows = rows();
        assertEquals(count, rows.size());
        String previous = EntryHasher.GENESIS_HASH;
        for (EntryRow row : rows) {
            assertEquals(previous, row.previousHash(), "entry " + row.sequence());
            assertEquals(hasher.hash(row), row.hash(), "entry " + row.sequence());
            previous = row.hash();
        }
    }

    /** Entry {@code sequence} with fresh content chained to {@code previous}, its own hash correct. */
    private static EntryRow forged(long sequence, EntryRow previous) {
        EntryRow unhashed = EntryRow.unhashed(sequence, previous.time().plusMillis(1), Events.read(666),
                previous.detailsDigest(), previous.hash());
        return unhashed.withHash(new EntryHasher().hash(unhashed));
    }

    private long anchorLines(String node) throws Exception {
        Path file = folder.resolve(TrailSettings.ANCHOR_FOLDER_NAME).resolve(node + AnchorFiles.SUFFIX);
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private List<EntryRow> rows() throws SQLException {
        List<EntryRow> rows = new ArrayList<>();
        try (Connection connection = dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new AuditStore().forEachEntry(connection, Long.MAX_VALUE, rows::add);
            connection.rollback();
        }
        return rows;
    }

    private void insert(EntryRow row) throws SQLException {
        update("INSERT INTO AUDIT_ENTRY (SEQ, EVENT_TIME, ACTOR, ACTOR_ROLE, AUDIT_ACTION, RESOURCE_TYPE, RESOURCE_ID,"
                + " PATIENT_ID, OUTCOME, CLIENT_ADDRESS, DETAILS_DIGEST, PREVIOUS_HASH, ENTRY_HASH)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.sequence(),
                Timestamp.valueOf(row.time().atZone(ZoneOffset.UTC).toLocalDateTime()), row.actor(), row.role(),
                row.action(), row.resourceType(), row.resourceId(), row.patientId(), row.outcome(),
                row.clientAddress(), row.detailsDigest(), row.previousHash(), row.hash());
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private List<Long> longs(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            List<Long> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getLong(1));
            }
            return values;
        }
    }

    private String string(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "in time");
    }
}

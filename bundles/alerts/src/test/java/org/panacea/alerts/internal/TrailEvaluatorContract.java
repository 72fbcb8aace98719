package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertRule;

/**
 * Two nodes evaluating the rules over one shared trail and one database: one holder at a time counts every node's
 * entries, a takeover neither loses a burst that straddles it nor raises a raised one again, and no entry is skipped
 * or raised twice however the batches fall, a commit fails or the holder dies while entries arrive. Run on Derby and
 * PostgreSQL.
 */
abstract class TrailEvaluatorContract {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(15);

    private final SharedTrail trail = new SharedTrail();
    private final MutableClock clock = new MutableClock(T0);
    private final List<Alert> announced = new CopyOnWriteArrayList<>();
    private final AlertsConfig config = Configs.alerts(Map.of());
    private FailingDataSource database;
    private AlertStore store;

    /** A database without the alerts' tables. */
    abstract DataSource emptyDatabase() throws Exception;

    @BeforeEach
    void database() throws Exception {
        database = new FailingDataSource(emptyDatabase());
        store = new AlertStore(database.proxy());
    }

    private TrailEvaluator node(String name) throws SQLException {
        EvaluatorLease lease = new EvaluatorLease(database.proxy(), name, LEASE, clock);
        return new TrailEvaluator(() -> trail, lease, database.proxy(), store, () -> new RuleSet(config), announced::add);
    }

    @Test
    void sixtyReadsSpreadOverTwoNodesRaiseOneBulkAccessAlert() throws Exception {
        TrailEvaluator a = node("node-a");
        TrailEvaluator b = node("node-b");
        a.runOnce();
        b.runOnce();
        assertTrue(a.holding());
        assertFalse(b.holding(), "one evaluator at a time");
        for (int i = 1; i <= 60; i++) {
            // 30 reads committed on each node, taking turns: the trail holds them all, in one order.
            trail.read("dr-mole", "patient-" + i, T0.plusSeconds(i));
            if (i % 7 == 0) {
                a.runOnce();
                b.runOnce();
            }
        }
        a.runOnce();
        b.runOnce();

        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        assertEquals(1, alerts.size(), () -> "one burst, one alert: " + alerts);
        assertEquals(AlertRule.BULK_ACCESS, alerts.get(0).rule());
        assertEquals("dr-mole", alerts.get(0).actor());
        assertEquals("node-a", alerts.get(0).node());
        assertEquals("patient-51", alerts.get(0).patientId(), "raised by the read that passed the threshold");
        assertEquals(1, announced.size());
        assertEquals(60, a.cursor());
    }

    @Test
    void noEntryIsSkippedOrRaisedTwiceAcrossBatches() throws Exception {
        TrailEvaluator a = node("node-a");
        a.runOnce();
        int glassBreaks = 2 * TrailEvaluator.BATCH + 3;
        for (int i = 1; i <= glassBreaks; i++) {
            trail.breakGlass("dr-er-" + i, "patient-" + i, T0.plusMillis(i));
        }
        assertEquals(glassBreaks, a.runOnce(), "one round reads on until it caught up");

        List<AlertStore.StoredAlert> alerts = store.list(false, 2 * glassBreaks);
        assertEquals(glassBreaks, alerts.size(), "each break-glass entry raised its alert");
        Set<Long> sequences = new HashSet<>();
        alerts.forEach(alert -> sequences.add(alert.auditSequence()));
        assertEquals(glassBreaks, sequences.size(), "none twice");
        assertEquals(glassBreaks, a.cursor());
        assertEquals(0, a.runOnce(), "nothing left");
    }

    @Test
    void aNodeTakingOverCountsABurstThatStraddlesTheTakeover() throws Exception {
        TrailEvaluator a = node("node-a");
        TrailEvaluator b = node("node-b");
        a.runOnce();
        reads(1, 30);
        a.runOnce();
        // node-a dies holding the lease: no release; node-b waits for its expiry.
        reads(31, 60);
        b.runOnce();
        assertFalse(b.holding(), "the lease has not expired yet");
        clock.advance(LEASE.plusSeconds(1));
        b.runOnce();

        assertTrue(b.holding());
        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        assertEquals(1, alerts.size(), () -> "30 reads before the takeover and 30 after are one burst: " + alerts);
        assertEquals("node-b", alerts.get(0).node());
        assertEquals("patient-51", alerts.get(0).patientId());
    }

    @Test
    void aBurstRaisedBeforeTheTakeoverIsNotRaisedAgainAfterIt() throws Exception {
        TrailEvaluator a = node("node-a");
        TrailEvaluator b = node("node-b");
        a.runOnce();
        reads(1, 55);
        a.runOnce();
        assertEquals(1, store.list(false, 10).size());
        reads(56, 120);
        clock.advance(LEASE.plusSeconds(1));
        b.runOnce();

        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        // 65 distinct charts after the takeover alone would pass the threshold: only the replay knows it is one burst.
        assertEquals(1, alerts.size(), () -> "the burst goes on across the takeover: " + alerts);
        assertEquals("node-a", alerts.get(0).node());
        assertEquals(120, b.cursor());
    }

    @Test
    void aNodeThatLostTheLeaseWhilePausedStoresNothing() throws Exception {
        TrailEvaluator a = node("node-a");
        TrailEvaluator b = node("node-b");
        a.runOnce();
        reads(1, 10);
        a.runOnce();
        // node-a pauses (a long garbage collection) past its lease; node-b takes over.
        clock.advance(LEASE.plusSeconds(1));
        b.runOnce();
        reads(11, 60);
        assertEquals(0, a.runOnce(), "node-a wakes up: its lease is gone");
        assertFalse(a.holding());
        assertEquals(List.of(), store.list(false, 10));
        b.runOnce();
        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        assertEquals(1, alerts.size());
        assertEquals("node-b", alerts.get(0).node());
    }

    @Test
    void aCommitThatFailsIsEvaluatedAgainSoItsAlertIsNotLost() throws Exception {
        TrailEvaluator a = node("node-a");
        a.runOnce();
        reads(1, 49);
        a.runOnce();
        reads(50, 54);
        // The round renews the lease (first connection), counts reads 50-54 (the burst starts at 51), then cannot
        // store the batch (second connection).
        database.failConnection(2);
        assertEquals(0, a.runOnce());
        assertEquals(List.of(), store.list(false, 10));
        assertEquals(49, new EvaluatorLease(database.proxy(), "node-a", LEASE, clock).state().orElseThrow().cursor(),
                "the cursor stays before the batch whose alerts were not stored");
        a.runOnce();

        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        assertEquals(1, alerts.size(), () -> "evaluated again from the stored cursor: " + alerts);
        assertEquals("patient-51", alerts.get(0).patientId());
        assertEquals(54, a.cursor());
    }

    @Test
    void anEntryAlteredOutsideTheTrailRaisesAnAlertAndSilencesNothing() throws Exception {
        TrailEvaluator a = node("node-a");
        a.runOnce();
        reads(1, 30);
        reads(31, 60);
        trail.alter(31);
        trail.breakGlass("dr-er", "p7", T0.plusSeconds(61));
        a.runOnce();

        List<AlertStore.StoredAlert> alerts = store.list(false, 10);
        assertEquals(List.of(AlertRule.BREAK_GLASS, AlertRule.BULK_ACCESS, AlertRule.AUDIT_VERIFY_FAILED),
                alerts.stream().map(AlertStore.StoredAlert::rule).toList(), () -> "newest first: " + alerts);
        assertEquals(31, alerts.get(2).auditSequence(), "the altered entry is named");
        assertTrue(alerts.get(2).summary().contains("altered"), alerts.get(2).summary());
        assertEquals("patient-52", alerts.get(1).patientId(), "the altered read is not counted, the others are");
        assertEquals(61, a.cursor());

        // A node taking over replays past it too.
        clock.advance(LEASE.plusSeconds(1));
        TrailEvaluator b = node("node-b");
        reads(62, 70);
        b.runOnce();
        assertTrue(b.holding());
        assertEquals(70, b.cursor());
        assertEquals(3, store.list(false, 10).size(), "nothing raised twice");
    }

    @Test
    void theHolderDyingWhileEntriesArriveLosesNoBurstAndRaisesNoneTwice() throws Exception {
        // Real threads and clocks, a lease of one second: node-a evaluates, dies in the middle of the bursts (its
        // thread stops, the lease is not given up), node-b takes over once it expired.
        EvaluatorLease leaseA = new EvaluatorLease(database.proxy(), "node-a", Duration.ofSeconds(1), Clock.systemUTC());
        EvaluatorLease leaseB = new EvaluatorLease(database.proxy(), "node-b", Duration.ofSeconds(1), Clock.systemUTC());
        TrailEvaluator a = new TrailEvaluator(() -> trail, leaseA, database.proxy(), store, () -> new RuleSet(config),
                announced::add);
        TrailEvaluator b = new TrailEvaluator(() -> trail, leaseB, database.proxy(), store, () -> new RuleSet(config),
                announced::add);
        EvaluationThread threadA = new EvaluationThread(a::runOnce, Duration.ofMillis(50));
        EvaluationThread threadB = new EvaluationThread(b::runOnce, Duration.ofMillis(50));
        threadA.start();
        awaitUntil(a::holding);
        threadB.start();
        int users = 8;
        int entry = 0;
        try {
            for (int user = 1; user <= users; user++) {
                for (int chart = 1; chart <= 60; chart++) {
                    trail.read("user-" + user, "patient-" + chart, T0.plusSeconds(++entry));
                    if (chart % 20 == 0) {
                        Thread.sleep(30);
                    }
                    if (user == users / 2 && chart == 30) {
                        threadA.stop();
                    }
                }
            }
            int all = entry;
            awaitUntil(() -> b.holding() && cursor(leaseB) == all);
        } finally {
            threadA.stop();
            threadB.stop();
        }

        List<AlertStore.StoredAlert> alerts = store.list(false, 100);
        Set<String> actors = new HashSet<>();
        alerts.forEach(alert -> actors.add(alert.actor()));
        assertEquals(users, alerts.size(), () -> "one alert per burst: " + alerts);
        assertEquals(users, actors.size(), () -> "none twice: " + alerts);
        assertTrue(alerts.stream().anyMatch(alert -> alert.node().equals("node-b")), "node-b took over");
    }

    private static long cursor(EvaluatorLease lease) {
        try {
            return lease.state().map(EvaluatorLease.State::cursor).orElse(-1L);
        } catch (SQLException e) {
            return -1;
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** dr-mole reads patients {@code first} to {@code last}, a second apart. */
    private void reads(int first, int last) {
        for (int i = first; i <= last; i++) {
            trail.read("dr-mole", "patient-" + i, T0.plusSeconds(i));
        }
    }

    /** A data source whose n-th connection from now on fails, as a database gone for a moment. */
    private static final class FailingDataSource {
        private final DataSource target;
        private int failIn;

        FailingDataSource(DataSource target) {
            this.target = target;
        }

        synchronized void failConnection(int nth) {
            failIn = nth;
        }

        private synchronized boolean failsNow() {
            return failIn > 0 && --failIn == 0;
        }

        DataSource proxy() {
            return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnection") && failsNow()) {
                            throw new SQLException("connection refused (test)");
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}

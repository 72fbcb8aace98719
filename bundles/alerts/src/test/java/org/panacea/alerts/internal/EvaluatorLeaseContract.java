package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluation lease as two nodes on one database see it: one holder at a time, taken over only once expired, and a
 * node that lost it can neither renew it nor move the cursor (so it stores no alert). Run on Derby and PostgreSQL.
 */
abstract class EvaluatorLeaseContract {

    private static final Duration LEASE = Duration.ofSeconds(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private EvaluatorLease a;
    private EvaluatorLease b;
    private DataSource database;

    /** A database without the lease's table. */
    abstract DataSource emptyDatabase() throws Exception;

    @BeforeEach
    void twoNodes() throws Exception {
        database = emptyDatabase();
        a = new EvaluatorLease(database, "node-a", LEASE, clock);
        b = new EvaluatorLease(database, "node-b", LEASE, clock);
    }

    @Test
    void theFirstNodeTakesTheLeaseAtTheTrailsHeadAndTheOtherWaits() throws Exception {
        assertEquals(OptionalLong.of(42), a.acquire(() -> 42));
        assertEquals(OptionalLong.empty(), b.acquire(() -> 7), "held by node-a");
        EvaluatorLease.State state = a.state().orElseThrow();
        assertEquals("node-a", state.holder());
        assertEquals(42, state.cursor(), "the row is made once, by the first node");
        assertEquals(clock.millis() + LEASE.toMillis(), state.expiresAt());
        assertEquals(OptionalLong.of(42), a.acquire(() -> 0), "its holder takes it again (a restart under its name)");
    }

    @Test
    void anExpiredLeaseIsTakenOverWithItsCursorAndTheOldHolderCanNeitherRenewNorAdvance() throws Exception {
        a.acquire(() -> 10);
        advance(a, 10, 25);
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(OptionalLong.empty(), b.acquire(() -> 0), "not expired yet: the advance renewed it");
        assertTrue(a.renew());
        clock.advance(LEASE.plusMillis(1));

        assertEquals(OptionalLong.of(25), b.acquire(() -> 0), "taken over where node-a left the cursor");
        assertFalse(a.renew(), "node-a lost it");
        assertFalse(advance(a, 25, 40), "node-a cannot move the cursor any more");
        assertEquals(OptionalLong.empty(), a.acquire(() -> 0));
        assertEquals(25, b.state().orElseThrow().cursor());
        assertEquals("node-b", b.state().orElseThrow().holder());
    }

    @Test
    void theCursorMovesOnlyFromWhereItIsAndARolledBackAdvanceLeavesItThere() throws Exception {
        a.acquire(() -> 5);
        assertFalse(advance(a, 4, 9), "from a cursor it does not have");
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            assertTrue(a.advance(connection, 5, 9));
            connection.rollback();
        }
        assertEquals(5, a.state().orElseThrow().cursor(), "an advance rolled back with its alerts is not kept");
        assertTrue(advance(a, 5, 9));
        assertEquals(9, a.state().orElseThrow().cursor());
    }

    @Test
    void aNodeThatNeverHeldTheLeaseCannotRenewAdvanceOrReleaseIt() throws Exception {
        a.acquire(() -> 3);
        assertFalse(b.renew());
        assertFalse(advance(b, 3, 100));
        b.release();
        assertEquals("node-a", a.state().orElseThrow().holder());
        assertEquals(OptionalLong.empty(), b.acquire(() -> 0), "node-b's release released nothing");
    }

    @Test
    void aReleasedLeaseIsTakenOverAtOnce() throws Exception {
        a.acquire(() -> 3);
        a.release();
        assertEquals(OptionalLong.of(3), b.acquire(() -> 0), "no need to wait for the expiry");
    }

    private boolean advance(EvaluatorLease lease, long from, long to) throws Exception {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            boolean moved = lease.advance(connection, from, to);
            connection.commit();
            return moved;
        }
    }
}

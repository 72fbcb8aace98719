package org.panacea.alerts.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.panacea.alerts.rules.Finding;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AlteredEntryException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the alert rules over the whole audit trail, every node's entries in sequence order, on the one node holding
 * the {@link EvaluatorLease}: so a burst one user spreads over several nodes is counted once, in one place, and an
 * alert is raised by one node only.
 *
 * <p>Each {@link #runOnce round} takes or renews the lease, then reads on from the cursor ({@link
 * AuditTrail#entriesAfter}) until it caught up. A batch's alerts are stored and the cursor moved past the batch in one
 * transaction, guarded by the lease: no entry is skipped (the cursor only ever moves past entries whose alerts are
 * stored) and none raises twice (a node that lost the lease cannot move the cursor, so its alerts are rolled back).
 * What follows the commit, the {@code ALERT_RAISED} entry, e-mail and webhook, is handed to {@code announcer}; a
 * crash between the commit and those loses the message, never the stored alert.
 *
 * <p>A node that takes the lease, a takeover after the holder died or its first round, starts with empty rules: it
 * replays, without raising, the entries of the rules' {@linkplain RuleSet#memory() memory} before its cursor, so a
 * burst straddling the takeover is counted whole, and one the old holder already raised is not raised again. Any
 * failure (database, trail) throws the rules' state away and rebuilds it the same way in the next round: the rules
 * may have counted entries whose alerts were not stored.
 *
 * <p>Not thread-safe: one thread runs the rounds; {@link #holding()} may be read from any.
 */
final class TrailEvaluator {

    /** Entries read and committed together: one transaction per batch, bounded memory on catching up. */
    static final int BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(TrailEvaluator.class);
    /** Entries about alerts themselves never feed the rules: an alert must not raise alerts. */
    private static final Set<AuditAction> OWN = EnumSet.of(AuditAction.ALERT_RAISED, AuditAction.ALERT_ACKNOWLEDGED);

    private final Supplier<AuditTrail> trails;
    private final EvaluatorLease lease;
    private final DataSource dataSource;
    private final AlertStore store;
    private final Supplier<RuleSet> newRules;
    private final Consumer<Alert> announcer;

    /** The trail of the round under way. */
    private AuditTrail trail;
    /** The rules' state while holding the lease; {@code null} otherwise. */
    private RuleSet rules;
    /** The last entry evaluated, while holding the lease. */
    private long cursor;
    private volatile boolean holding;
    /** Whether the last round failed, so that a database that stays down is logged once, not every round. */
    private boolean failing;

    /**
     * @param trails     the audit trail, {@code null} while there is none (rounds then do nothing)
     * @param dataSource the database of {@code lease} and {@code store}, for their shared transaction
     * @param announcer  told of every alert once it is stored, on this evaluator's thread: must not block
     */
    TrailEvaluator(Supplier<AuditTrail> trails, EvaluatorLease lease, DataSource dataSource, AlertStore store,
            Supplier<RuleSet> newRules, Consumer<Alert> announcer) {
        this.trails = trails;
        this.lease = lease;
        this.dataSource = dataSource;
        this.store = store;
        this.newRules = newRules;
        this.announcer = announcer;
    }

    /**
     * One round: takes the lease (or renews it) and evaluates every entry after the cursor. Never throws: a failure
     * (the database, or an {@link org.panacea.api.audit.AuditException} of the trail) is logged and the next round
     * starts over from the stored cursor.
     *
     * @return the entries evaluated in this round (those replayed after taking the lease not counted)
     */
    int runOnce() {
        trail = trails.get();
        if (trail == null) {
            if (holding) {
                lost("the audit trail is gone");
            }
            return 0;
        }
        try {
            if (!holding) {
                if (!take()) {
                    recovered();
                    return 0;
                }
            } else if (!lease.renew()) {
                lost("another node took the lease over");
                return 0;
            }
            int evaluated = 0;
            while (true) {
                List<AuditEntry> batch;
                try {
                    batch = trail.entriesAfter(cursor, BATCH);
                } catch (AlteredEntryException altered) {
                    if (!stepPast(altered)) {
                        recovered();
                        return evaluated;
                    }
                    evaluated++;
                    continue;
                }
                if (batch.isEmpty() || !commit(batch)) {
                    recovered();
                    return evaluated;
                }
                // Read on until nothing follows: a short batch may end before an altered entry, not at the head.
                evaluated += batch.size();
            }
        } catch (SQLException | LeaseLost | RuntimeException e) {
            if (e instanceof LeaseLost) {
                lost(e.getMessage());
            } else {
                failed(e);
            }
            return 0;
        }
    }

    /** Whether this node holds the lease, as of its last round. */
    boolean holding() {
        return holding;
    }

    /** The last entry evaluated, while holding the lease; for tests. */
    long cursor() {
        return cursor;
    }

    /** Gives the lease up so another node takes over at once; for a node that stops. */
    void release() {
        if (!holding) {
            return;
        }
        holding = false;
        rules = null;
        try {
            lease.release();
            LOG.info("Node {} stopped evaluating the alert rules at audit entry {}", lease.node(), cursor);
        } catch (SQLException e) {
            LOG.warn("Cannot release the alert evaluation lease; another node takes over when it expires ({} s): {}",
                    lease.time().toSeconds(), e.toString());
        }
    }

    /** Takes the lease when free, and rebuilds the rules' state up to the cursor. */
    private boolean take() throws SQLException, LeaseLost {
        OptionalLong taken = lease.acquire(this::trailHead);
        if (taken.isEmpty()) {
            return false;
        }
        cursor = taken.getAsLong();
        rules = newRules.get();
        int replayed = replay();
        holding = true;
        LOG.info("Node {} evaluates the alert rules, from audit entry {} on (rule state rebuilt from {} entries of the"
                + " {} min before it)", lease.node(), cursor + 1, replayed, rules.memory().toMinutes());
        return true;
    }

    /**
     * Feeds the rules, without raising anything, the entries committed within their memory before the cursor's entry.
     *
     * @return how many entries were replayed
     */
    private int replay() throws SQLException, LeaseLost {
        Duration memory = rules.memory();
        if (cursor == 0 || memory.isZero()) {
            return 0;
        }
        Instant newest = timeOf(cursor);
        if (newest == null) {
            return 0;
        }
        long at = firstAtOrAfter(newest.minus(memory)) - 1;
        int replayed = 0;
        while (at < cursor) {
            List<AuditEntry> batch;
            try {
                batch = trail.entriesAfter(at, (int) Math.min(BATCH, cursor - at));
            } catch (AlteredEntryException altered) {
                // Its alert was raised when the cursor stepped past it.
                at = altered.sequence();
                continue;
            }
            if (batch.isEmpty()) {
                break;
            }
            for (AuditEntry entry : batch) {
                if (entry.sequence() > cursor) {
                    break;
                }
                if (!OWN.contains(entry.event().action())) {
                    rules.evaluate(entry);
                }
                replayed++;
                at = entry.sequence();
            }
            // A long replay must not let the lease lapse before the first commit renews it.
            if (!lease.renew()) {
                throw new LeaseLost("another node took the lease over while this one rebuilt the rules' state");
            }
        }
        return replayed;
    }

    /**
     * The first entry up to the cursor committed at or after {@code from}, by bisection over sequence numbers (entry
     * times rise with their sequence, up to the small skew between nodes' clocks): a few reads of one entry each,
     * however long the trail.
     */
    private long firstAtOrAfter(Instant from) {
        long low = 1;
        long high = cursor + 1;
        while (low < high) {
            long middle = low + (high - low) / 2;
            Instant time = timeOf(middle);
            if (time != null && time.isBefore(from)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** When entry {@code sequence} was committed; {@code null} when there is none or it cannot be read. */
    private Instant timeOf(long sequence) {
        try {
            List<AuditEntry> one = trail.entriesAfter(sequence - 1, 1);
            return one.isEmpty() ? null : one.get(0).time();
        } catch (AlteredEntryException altered) {
            return null;
        }
    }

    /**
     * Evaluates {@code batch}, stores its alerts and moves the cursor past it in one transaction, then announces the
     * alerts.
     *
     * @return {@code false} when the lease was lost (nothing stored)
     */
    private boolean commit(List<AuditEntry> batch) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        for (AuditEntry entry : batch) {
            if (!OWN.contains(entry.event().action())) {
                findings.addAll(rules.evaluate(entry));
            }
        }
        return commit(batch.get(batch.size() - 1).sequence(), findings);
    }

    /** Stores {@code findings} and moves the cursor to {@code last} in one transaction, then announces them. */
    private boolean commit(long last, List<Finding> findings) throws SQLException {
        List<Alert> stored = new ArrayList<>(findings.size());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // The lease's row first: its lock keeps a node trying to take over waiting until this commits.
                if (!lease.advance(connection, cursor, last)) {
                    connection.rollback();
                    lost("another node took the lease over; the alerts of entries " + (cursor + 1) + " to " + last
                            + " are left to it");
                    return false;
                }
                for (Finding finding : findings) {
                    stored.add(store.insert(connection, finding, lease.node()));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
        }
        cursor = last;
        stored.forEach(announcer);
        return true;
    }

    /**
     * Moves the cursor past an entry altered into something the trail cannot represent, raising an
     * {@code AUDIT_VERIFY_FAILED} alert about it in the same transaction: stalling on it would silence every alert
     * of every node, which is what whoever altered it may have wanted.
     *
     * @return {@code false} when the lease was lost (nothing stored)
     */
    private boolean stepPast(AlteredEntryException altered) throws SQLException {
        long sequence = altered.sequence();
        LOG.error("Audit entry {} was altered outside the trail and cannot be evaluated by the alert rules: {}",
                sequence, altered.getMessage());
        Finding finding = new Finding(AlertRule.AUDIT_VERIFY_FAILED, Instant.now(), "system:audit", "",
                "audit entry " + sequence + " cannot be read, it was altered outside the trail: "
                        + altered.getMessage(), sequence);
        return commit(sequence, List.of(finding));
    }

    private long trailHead() {
        List<AuditEntry> newest = trail.search(AuditQuery.latest(1));
        return newest.isEmpty() ? 0 : newest.get(0).sequence();
    }

    private void lost(String why) {
        LOG.warn("Node {} no longer evaluates the alert rules: {}", lease.node(), why);
        holding = false;
        rules = null;
    }

    private void failed(Exception e) {
        holding = false;
        rules = null;
        if (!failing) {
            failing = true;
            LOG.error("Evaluating the alert rules failed; retried every round, from the last entry whose alerts are"
                    + " stored", e);
        } else {
            LOG.debug("Evaluating the alert rules failed again: {}", e.toString());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("Evaluating the alert rules works again, from audit entry {}", cursor + 1);
        }
    }

    private static void rollBack(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The lease went to another node during a round. */
    private static final class LeaseLost extends Exception {
        private static final long serialVersionUID = 1L;

        LeaseLost(String message) {
            super(message);
        }
    }
}

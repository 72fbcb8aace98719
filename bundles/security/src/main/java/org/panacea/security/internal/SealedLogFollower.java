package org.panacea.security.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.security.internal.SealedChangeLog.BrokenLogException;
import org.panacea.security.internal.SealedChangeLog.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node in step with a {@link SealedChangeLog}: every {@value #POLL_SECONDS} seconds (and at once after a
 * change made here) it applies the changes it has not applied yet, from the first one when the node starts. Problems
 * (an unreachable database, a broken log) are logged once each and retried at the next poll; a broken log applies
 * nothing past the break and is audited once.
 */
abstract class SealedLogFollower {

    static final int POLL_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(SealedLogFollower.class);

    final SealedChangeLog log;
    final AuditTrail audit;
    final String node;
    private final String resourceType;
    private final ScheduledExecutorService poller;
    private long applied;
    private String lastProblem = "";

    /**
     * @param resourceType what a refused log is audited under
     * @param poll         whether to follow the log in a thread of its own (tests call {@link #applyNewChanges})
     */
    SealedLogFollower(SealedChangeLog log, AuditTrail audit, String node, String resourceType, boolean poll) {
        this.log = log;
        this.audit = audit;
        this.node = node;
        this.resourceType = resourceType;
        if (poll) {
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "panacea-" + resourceType);
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::applyNewChanges, 0, POLL_SECONDS, TimeUnit.SECONDS);
        } else {
            poller = null;
        }
    }

    /** Stops following the log. */
    void stopFollowing() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Makes one change of the log on this node; whether anything changed here. */
    abstract boolean apply(Change change) throws IOException;

    /** Called after a batch of changes of which at least one changed something here. */
    void changed() {
    }

    /** Applies the changes of the log this node has not applied yet. */
    synchronized void applyNewChanges() {
        try {
            if (log.newest() == applied) {
                problemSolved();
                return;
            }
            applyAll(log.since(applied));
            problemSolved();
        } catch (BrokenLogException broken) {
            applyAll(broken.verified());
            if (problem(broken.getMessage())) {
                LOG.error("{}", broken.getMessage());
                audit.record(new AuditEvent("system", "", AuditAction.CONFIGURATION_CHANGED, resourceType, "", "",
                        AuditOutcome.FAILURE, "", log.kind().noun() + " log refused on node " + node + ": "
                                + broken.getMessage()));
            }
        } catch (SQLException | RuntimeException unavailable) {
            if (problem(String.valueOf(unavailable.getMessage()))) {
                LOG.warn("Changes of {} made on the other nodes cannot be applied now (retried every {} s): {}",
                        log.kind().noun(), POLL_SECONDS, unavailable.getMessage());
            }
        }
    }

    /** The sequence number of the newest change this node has applied. */
    synchronized long applied() {
        return applied;
    }

    private void applyAll(List<Change> changes) {
        boolean anyChanged = false;
        for (Change change : changes) {
            try {
                anyChanged |= apply(change);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            applied = change.sequence();
        }
        if (anyChanged) {
            changed();
        }
    }

    private boolean problem(String message) {
        if (message.equals(lastProblem)) {
            return false;
        }
        lastProblem = message;
        return true;
    }

    private void problemSolved() {
        if (!lastProblem.isEmpty()) {
            LOG.info("Changes of {} made on the other nodes are applied again", log.kind().noun());
            lastProblem = "";
        }
    }
}

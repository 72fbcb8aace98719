package org.panacea.security.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.security.internal.TrustChangeLog.Action;
import org.panacea.security.internal.TrustChangeLog.BrokenTrustLogException;
import org.panacea.security.internal.TrustChangeLog.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's trusted vendors the same: a change of trust made on one node ({@code plugin:trust},
 * {@code plugin:untrust}) is appended to the {@link TrustChangeLog} in the security database, and every node applies
 * the changes it has not applied yet to its own trusted vendor folder, then judges its installed plugins again
 * ({@link PluginTrust#reload()}), within {@value #POLL_SECONDS} seconds and without a restart. A node that starts
 * replays the whole log, so a node that was down, or new, trusts what the others trust.
 * <p>
 * Only aliases the log names are touched: a certificate file put into the folder by hand stays a trust of that node
 * alone (as in a single-node installation), until {@code plugin:trust} or {@code plugin:untrust} names its alias.
 */
@Component(service = SharedPluginTrust.class, immediate = true)
public class SharedPluginTrust {

    /** The resource type changes of trust are decided and audited under, here and by the {@code plugin:} commands. */
    public static final String TRUSTED_VENDOR = "TrustedVendor";
    static final int POLL_SECONDS = 2;
    /** The shared secret trust changes are sealed under: its own, so no other use of a secret can forge a change. */
    static final String SECRET = "plugin.trust";

    private static final Logger LOG = LoggerFactory.getLogger(SharedPluginTrust.class);

    private final TrustChangeLog log;
    private final PluginTrust trust;
    private final AuditTrail audit;
    private final String node;
    private final ScheduledExecutorService poller;
    private long applied;
    private String lastProblem = "";

    @Activate
    public SharedPluginTrust(@Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource,
            @Reference KeyEncryptionKeys keys, @Reference PluginTrust trust, @Reference AuditTrail audit)
            throws SQLException, KeyStoreUnavailableException {
        this(new TrustChangeLog(dataSource, keys.secret(SECRET, 32, () -> null)), trust, audit,
                System.getProperty("karaf.name", "panacea"), true);
    }

    SharedPluginTrust(TrustChangeLog log, PluginTrust trust, AuditTrail audit, String node, boolean poll) {
        this.log = log;
        this.trust = trust;
        this.audit = audit;
        this.node = node;
        if (poll) {
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "panacea-plugin-trust");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::applyNewChanges, 0, POLL_SECONDS, TimeUnit.SECONDS);
        } else {
            poller = null;
        }
    }

    @Deactivate
    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /**
     * Records a change of trust this node has just made to its folder, so that every node makes it too.
     *
     * @throws SQLException when the security database cannot record it (the change then holds on this node only)
     */
    public void published(Caller administrator, String alias, boolean trusted, String pem) throws SQLException {
        Change change = log.append(alias, trusted ? Action.TRUST : Action.UNTRUST, trusted ? pem : "",
                administrator.name(), node);
        LOG.info("Plugin trust change {} recorded for every node: {} {}", change.sequence(),
                trusted ? "trust" : "untrust", alias);
        applyNewChanges();
    }

    /**
     * Applies the changes of the log this node has not applied yet, then judges the installed plugins again when the
     * folder changed. Problems (an unreachable database, a broken log) are logged once each and retried at the next
     * poll; a broken log applies nothing past the break and is audited once.
     */
    synchronized void applyNewChanges() {
        try {
            if (log.newest() == applied) {
                problemSolved();
                return;
            }
            applyAll(log.since(applied));
            problemSolved();
        } catch (BrokenTrustLogException broken) {
            applyAll(broken.verified());
            if (problem(broken.getMessage())) {
                LOG.error("{}", broken.getMessage());
                audit.record(new AuditEvent("system", "", AuditAction.CONFIGURATION_CHANGED,
                        TRUSTED_VENDOR, "", "", AuditOutcome.FAILURE, "",
                        "plugin trust log refused on node " + node + ": " + broken.getMessage()));
            }
        } catch (SQLException | RuntimeException unavailable) {
            if (problem(String.valueOf(unavailable.getMessage()))) {
                LOG.warn("Plugin trust changes of the other nodes cannot be read now (retried every {} s): {}",
                        POLL_SECONDS, unavailable.getMessage());
            }
        }
    }

    private void applyAll(List<Change> changes) {
        boolean folderChanged = false;
        for (Change change : changes) {
            folderChanged |= apply(change);
            applied = change.sequence();
        }
        if (folderChanged) {
            List<String> refused = trust.reload();
            if (!refused.isEmpty()) {
                LOG.warn("Plugins refused after the trust change from another node: {}", refused);
            }
        }
    }

    /** The sequence number of the newest change this node has applied. */
    synchronized long applied() {
        return applied;
    }

    private boolean apply(Change change) {
        boolean changed = change.action() == Action.TRUST ? trust.vendors().put(change.alias(), change.pem())
                : trust.vendors().delete(change.alias());
        if (changed) {
            String what = change.action() == Action.TRUST ? "trusted" : "no longer trusted";
            LOG.info("Vendor {} {} on this node: change {} made by {} on node {} at {}", change.alias(), what,
                    change.sequence(), change.changedBy(), change.node(), change.changedAt());
            audit.record(new AuditEvent(change.changedBy(), "", AuditAction.CONFIGURATION_CHANGED,
                    TRUSTED_VENDOR, change.alias(), "", AuditOutcome.SUCCESS, "",
                    what + " on node " + node + " by trust change " + change.sequence() + " made on node "
                            + change.node()));
        }
        return changed;
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
            LOG.info("Plugin trust changes of the other nodes are read again");
            lastProblem = "";
        }
    }
}

package org.panacea.security.internal;

import java.sql.SQLException;
import java.util.List;

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
import org.panacea.security.internal.SealedChangeLog.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every node's trusted vendors the same: a change of trust made on one node ({@code plugin:trust},
 * {@code plugin:untrust}) is appended to the {@link SealedChangeLog} in the security database, and every node applies
 * the changes it has not applied yet to its own trusted vendor folder, then judges its installed plugins again
 * ({@link PluginTrust#reload()}), within {@value SealedLogFollower#POLL_SECONDS} seconds and without a restart. A node that starts
 * replays the whole log, so a node that was down, or new, trusts what the others trust ({@link SealedLogFollower}).
 * <p>
 * Only aliases the log names are touched: a certificate file put into the folder by hand stays a trust of that node
 * alone (as in a single-node installation), until {@code plugin:trust} or {@code plugin:untrust} names its alias.
 */
@Component(service = SharedPluginTrust.class, immediate = true)
public class SharedPluginTrust extends SealedLogFollower {

    /** The resource type changes of trust are decided and audited under, here and by the {@code plugin:} commands. */
    public static final String TRUSTED_VENDOR = "TrustedVendor";
    /** The shared secret trust changes are sealed under: its own, so no other use of a secret can forge a change. */
    static final String SECRET = "plugin.trust";
    private static final String TRUST = "TRUST";
    private static final String UNTRUST = "UNTRUST";

    private static final Logger LOG = LoggerFactory.getLogger(SharedPluginTrust.class);

    private final PluginTrust trust;

    @Activate
    public SharedPluginTrust(@Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource,
            @Reference KeyEncryptionKeys keys, @Reference PluginTrust trust, @Reference AuditTrail audit)
            throws SQLException, KeyStoreUnavailableException {
        this(new SealedChangeLog(SealedChangeLog.PLUGIN_TRUST, dataSource, keys.secret(SECRET, 32, () -> null)), trust,
                audit, System.getProperty("karaf.name", "panacea"), true);
    }

    SharedPluginTrust(SealedChangeLog log, PluginTrust trust, AuditTrail audit, String node, boolean poll) {
        super(log, audit, node, TRUSTED_VENDOR, poll);
        this.trust = trust;
    }

    @Deactivate
    void stop() {
        stopFollowing();
    }

    /**
     * Records a change of trust this node has just made to its folder, so that every node makes it too.
     *
     * @throws SQLException when the security database cannot record it (the change then holds on this node only)
     */
    public void published(Caller administrator, String alias, boolean trusted, String pem) throws SQLException {
        Change change = log.append(alias, trusted ? TRUST : UNTRUST, trusted ? pem : "", administrator.name(), node);
        LOG.info("Plugin trust change {} recorded for every node: {} {}", change.sequence(),
                trusted ? "trust" : "untrust", alias);
        applyNewChanges();
    }

    /** Judges the installed plugins again once the folder changed. */
    @Override
    void changed() {
        List<String> refused = trust.reload();
        if (!refused.isEmpty()) {
            LOG.warn("Plugins refused after the trust change from another node: {}", refused);
        }
    }

    @Override
    boolean apply(Change change) {
        boolean changed = change.action().equals(TRUST) ? trust.vendors().put(change.subject(), change.payload())
                : trust.vendors().delete(change.subject());
        if (changed) {
            String what = change.action().equals(TRUST) ? "trusted" : "no longer trusted";
            LOG.info("Vendor {} {} on this node: change {} made by {} on node {} at {}", change.subject(), what,
                    change.sequence(), change.changedBy(), change.node(), change.changedAt());
            audit.record(new AuditEvent(change.changedBy(), "", AuditAction.CONFIGURATION_CHANGED,
                    TRUSTED_VENDOR, change.subject(), "", AuditOutcome.SUCCESS, "",
                    what + " on node " + node + " by trust change " + change.sequence() + " made on node "
                            + change.node()));
        }
        return changed;
    }
}

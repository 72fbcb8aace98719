package org.panacea.security.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * Settings that every node must have alike, set once for the installation: {@code setting:set} on one node appends the
 * change to a {@link SealedChangeLog} in the security database, and every node applies the changes it has not applied
 * yet to its own Config Admin configuration (hence to its {@code etc/} file) within {@value SealedLogFollower#POLL_SECONDS} seconds,
 * without a restart. A node that starts replays the whole log, so a node that was down, or new, has what the others
 * have.
 * <p>
 * Only the settings of {@link #SHARED} can be shared: those whose difference between nodes would make the
 * installation behave differently depending on the node a request reaches (production mode, unsigned plugins, login
 * throttling, the engine's limits). Data sources, ports, paths and the key store stay each node's own. A setting the
 * log has never named stays as the node's file has it.
 */
@Component(service = SharedSettings.class, immediate = true)
public class SharedSettings extends SealedLogFollower {

    /** The resource type changes of shared settings are decided and audited under. */
    public static final String SHARED_SETTING = "SharedSetting";
    /** The shared secret setting changes are sealed under: its own, apart from plugin trust's. */
    static final String SECRET = "shared.settings";
    static final String SET = "SET";
    static final String UNSET = "UNSET";

    /** The settings that may be shared, by configuration PID. */
    public static final Map<String, Set<String>> SHARED = Map.of(
            "org.panacea.security", Set.of("production", "plugins.allow.unsigned", "login.throttle.enabled",
                    "login.throttle.user.failures", "login.throttle.address.failures", "login.throttle.delay.seconds",
                    "login.throttle.max.delay.seconds", "login.throttle.forget.seconds",
                    "login.throttle.max.entries"),
            "org.panacea.engine", Set.of("grace.period.seconds", "unbind.wait.seconds", "time.limit.seconds",
                    "max.concurrent.runs", "queue.wait.seconds", "memory.factor"));

    private static final Logger LOG = LoggerFactory.getLogger(SharedSettings.class);

    private final ConfigurationAdmin configurations;

    @Activate
    public SharedSettings(@Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource,
            @Reference KeyEncryptionKeys keys, @Reference ConfigurationAdmin configurations,
            @Reference AuditTrail audit) throws SQLException, KeyStoreUnavailableException {
        this(new SealedChangeLog(SealedChangeLog.SHARED_SETTINGS, dataSource, keys.secret(SECRET, 32, () -> null)),
                configurations, audit, System.getProperty("karaf.name", "panacea"), true);
    }

    SharedSettings(SealedChangeLog log, ConfigurationAdmin configurations, AuditTrail audit, String node,
            boolean poll) {
        super(log, audit, node, SHARED_SETTING, poll);
        this.configurations = configurations;
    }

    @Deactivate
    void stop() {
        stopFollowing();
    }

    /**
     * Sets {@code key} of {@code pid} to {@code value} on every node ({@code null} removes it, so each node's own
     * file or default applies again), recorded before it is applied here.
     *
     * @throws IllegalArgumentException when the setting is not one that may be shared, or the value is not one line
     * @throws SQLException             when the security database cannot record it (nothing is changed then)
     */
    public void share(Caller administrator, String pid, String key, String value) throws SQLException {
        requireShareable(pid, key);
        if (value != null && (value.isBlank() || !value.equals(value.strip()) || value.contains("\n"))) {
            throw new IllegalArgumentException("the value of " + pid + "/" + key + " must be one line without leading"
                    + " or trailing spaces; give none to remove the setting");
        }
        Change change = log.append(pid + "/" + key, value == null ? UNSET : SET, value == null ? "" : value,
                administrator.name(), node);
        LOG.info("Shared setting change {} recorded for every node: {} {}", change.sequence(), change.action(),
                change.subject());
        applyNewChanges();
    }

    /** The settings the log holds, as {@code pid/key} to value, in the order they were last set. */
    public Map<String, String> current() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Change change : log.since(0)) {
            settings.remove(change.subject());
            if (change.action().equals(SET)) {
                settings.put(change.subject(), change.payload());
            }
        }
        return settings;
    }

    /**
     * @throws IllegalArgumentException when {@code key} of {@code pid} is not a setting that may be shared
     */
    static void requireShareable(String pid, String key) {
        Set<String> keys = SHARED.get(pid);
        if (keys == null || !keys.contains(key)) {
            throw new IllegalArgumentException(pid + "/" + key + " is not a setting shared between nodes; those that "
                    + "are: " + new java.util.TreeMap<>(SHARED));
        }
    }

    @Override
    boolean apply(Change change) throws IOException {
        int slash = change.subject().indexOf('/');
        String pid = change.subject().substring(0, Math.max(slash, 0));
        String key = change.subject().substring(slash + 1);
        if (slash < 0 || !SHARED.getOrDefault(pid, Set.of()).contains(key)) {
            // Sealed by a node of a version that shares more: not this node's to apply.
            LOG.warn("Shared setting change {} names {}, which this node does not share; skipped", change.sequence(),
                    change.subject());
            return false;
        }
        // "?" binds the configuration to no bundle: it stays the one the node's own components read.
        Configuration configuration = configurations.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        Object before = properties.get(key);
        String value = change.action().equals(SET) ? change.payload() : null;
        if (Objects.equals(before == null ? null : before.toString(), value)) {
            return false;
        }
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
        configuration.update(properties);
        String what = value == null ? "removed" : "set to " + value;
        LOG.info("Shared setting {} {} on this node: change {} made by {} on node {} at {}", change.subject(), what,
                change.sequence(), change.changedBy(), change.node(), change.changedAt());
        audit.record(new AuditEvent(change.changedBy(), "", AuditAction.CONFIGURATION_CHANGED, SHARED_SETTING,
                change.subject(), "", AuditOutcome.SUCCESS, "", change.subject() + " " + what + " on node " + node
                        + " by shared setting change " + change.sequence() + " made on node " + change.node()));
        return true;
    }
}

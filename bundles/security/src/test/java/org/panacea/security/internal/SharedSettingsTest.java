package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * Settings shared by nodes on one security database, on embedded Derby and (when a server is named) on PostgreSQL:
 * each "node" is a {@link SharedSettings} with a Config Admin of its own. The attacks are those of someone who can
 * write to the database but has no passphrase.
 */
class SharedSettingsTest {

    private static final byte[] SECRET = "the installation's shared.settings secret".getBytes();
    private static final Caller ADMIN = new Callers().user("admin", Role.ADMIN, "127.0.0.1");
    private static final String SECURITY = "org.panacea.security";

    @TempDir
    java.nio.file.Path folder;

    private final RecordingAuditTrail audit = new RecordingAuditTrail();

    private DataSource database(String kind) throws Exception {
        if (kind.equals("derby")) {
            return KeyDatabases.derby(folder);
        }
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(KeyDatabases.POSTGRES_URL.isBlank(), "CI must run the PostgreSQL tests");
        }
        assumeFalse(KeyDatabases.POSTGRES_URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
        DataSource dataSource = KeyDatabases.postgres();
        KeyDatabases.execute(dataSource, "DROP TABLE IF EXISTS " + SealedChangeLog.SHARED_SETTINGS.table());
        return dataSource;
    }

    /** One node: its Config Admin's configurations (PID to properties) and its share of the log. */
    private final class TestNode {
        final Map<String, Dictionary<String, Object>> configurations = new HashMap<>();
        final SharedSettings settings;

        TestNode(String name, DataSource database, byte[] secret) throws Exception {
            ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
            when(admin.getConfiguration(anyString(), any())).thenAnswer(call -> {
                String pid = call.getArgument(0);
                Configuration configuration = mock(Configuration.class);
                when(configuration.getProperties()).thenAnswer(get -> {
                    Dictionary<String, Object> stored = configurations.get(pid);
                    return stored == null ? null : copy(stored);
                });
                doAnswer(update -> {
                    configurations.put(pid, copy(update.getArgument(0)));
                    return null;
                }).when(configuration).update(any());
                return configuration;
            });
            settings = new SharedSettings(new SealedChangeLog(SealedChangeLog.SHARED_SETTINGS, database, secret), admin,
                    audit, name, false);
        }

        Object value(String pid, String key) {
            Dictionary<String, Object> properties = configurations.get(pid);
            return properties == null ? null : properties.get(key);
        }

        private Dictionary<String, Object> copy(Dictionary<String, Object> from) {
            Hashtable<String, Object> to = new Hashtable<>();
            for (java.util.Enumeration<String> keys = from.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                to.put(key, from.get(key));
            }
            return to;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby", "postgres" })
    void aSettingSetOnOneNodeReachesTheOthersAndIsRemovedLikewise(String kind) throws Exception {
        DataSource database = database(kind);
        TestNode one = new TestNode("one", database, SECRET);
        TestNode two = new TestNode("two", database, SECRET);
        two.configurations.put(SECURITY, new Hashtable<>(Map.of("keystore.path", "/own/keys.bcfks")));

        one.settings.share(ADMIN, SECURITY, "login.throttle.user.failures", "7");
        assertEquals("7", one.value(SECURITY, "login.throttle.user.failures"), "applied where it was made");
        assertNull(two.value(SECURITY, "login.throttle.user.failures"), "the other node has not polled yet");
        two.settings.applyNewChanges();
        assertEquals("7", two.value(SECURITY, "login.throttle.user.failures"));
        assertEquals("/own/keys.bcfks", two.value(SECURITY, "keystore.path"), "the node's own settings stay");
        assertTrue(audit.events().stream().anyMatch(event -> event.details().contains("on node two")
                && event.resourceId().equals(SECURITY + "/login.throttle.user.failures")), "audited on each node");

        TestNode late = new TestNode("late", database, SECRET);
        late.settings.applyNewChanges();
        assertEquals("7", late.value(SECURITY, "login.throttle.user.failures"), "a node that starts replays the log");

        two.settings.share(ADMIN, SECURITY, "login.throttle.user.failures", null);
        one.settings.applyNewChanges();
        assertNull(one.value(SECURITY, "login.throttle.user.failures"), "removed on every node");
        assertEquals(Map.of(), one.settings.current());
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby" })
    void onlyTheSettingsThatMustAgreeCanBeSharedAndOnlyAsOneLine(String kind) throws Exception {
        TestNode one = new TestNode("one", database(kind), SECRET);
        for (String[] refused : new String[][] { { SECURITY, "keystore.path" },
                { "org.ops4j.datasource-panacea-records", "url" }, { SECURITY, "no.such.setting" } }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> one.settings.share(ADMIN, refused[0], refused[1], "x"));
            assertTrue(e.getMessage().contains("is not a setting shared between nodes"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> one.settings.share(ADMIN, SECURITY, "production", "true\nplugins.allow.unsigned = true"));
        assertEquals(Map.of(), one.settings.current(), "nothing was recorded");
        assertTrue(one.configurations.isEmpty(), "nothing was applied");
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby", "postgres" })
    void theDatabaseAloneCannotSetASetting(String kind) throws Exception {
        DataSource database = database(kind);
        TestNode one = new TestNode("one", database, SECRET);
        one.settings.share(ADMIN, SECURITY, "production", "true");
        // Someone with the database but not the passphrase's secret: a change of their own, sealed under a secret
        // they made up, that would let unsigned code run.
        TestNode attacker = new TestNode("attacker", database, "a secret the attacker made up".getBytes());
        attacker.settings.share(ADMIN, SECURITY, "plugins.allow.unsigned", "true");

        TestNode victim = new TestNode("victim", database, SECRET);
        audit.clear();
        victim.settings.applyNewChanges();
        assertEquals("true", victim.value(SECURITY, "production"), "the changes before the forgery apply");
        assertNull(victim.value(SECURITY, "plugins.allow.unsigned"), "the forged change does not");
        assertTrue(audit.events().stream().anyMatch(event -> event.outcome() == AuditOutcome.FAILURE
                && event.details().contains("does not verify")), () -> "the refusal is audited: " + audit.events());
    }
}

package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Bundle;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * Plugin trust shared by nodes on one security database, on embedded Derby and (when a server is named) on
 * PostgreSQL: each "node" here is a {@link SharedPluginTrust} with a trusted vendor folder of its own, as each node
 * has its own {@code etc/trusted-vendors}. The attacks are those of someone who can write to the database but has
 * no passphrase.
 */
class SharedPluginTrustTest {

    private static final byte[] SECRET = "the installation's plugin.trust secret".getBytes();
    private static final Caller ADMIN = new Callers().user("admin", Role.ADMIN, "127.0.0.1");

    @TempDir
    Path folder;

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private Path vendorCertificate;
    private Path otherCertificate;

    @BeforeEach
    void vendors() throws Exception {
        TestVendorKeys keys = new TestVendorKeys(Files.createDirectories(folder.resolve("keys")));
        vendorCertificate = keys.vendor("acme", "CN=Acme Imaging, O=Acme");
        otherCertificate = keys.vendor("other", "CN=Other Vendor, O=Other");
    }

    private DataSource database(String kind) throws Exception {
        if (kind.equals("derby")) {
            return KeyDatabases.derby(folder);
        }
        boolean required = "true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""));
        if (required) {
            assertFalse(KeyDatabases.POSTGRES_URL.isBlank(), "CI must run the PostgreSQL tests");
        }
        assumeFalse(KeyDatabases.POSTGRES_URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
        DataSource dataSource = KeyDatabases.postgres();
        KeyDatabases.execute(dataSource, "DROP TABLE IF EXISTS " + SealedChangeLog.PLUGIN_TRUST.table());
        return dataSource;
    }

    /** One node: its folder, the gate's view of it (counting re-judgements) and its share of the log. */
    private final class TestNode {
        final TrustedVendorFolder vendors;
        final AtomicInteger reloads = new AtomicInteger();
        final SharedPluginTrust shared;

        TestNode(String name, DataSource database, byte[] secret) throws Exception {
            vendors = new TrustedVendorFolder(folder.resolve(name).resolve("trusted-vendors"));
            PluginTrust trust = new PluginTrust() {
                @Override
                public TrustedVendorFolder vendors() {
                    return vendors;
                }

                @Override
                public List<String> reload() {
                    reloads.incrementAndGet();
                    return List.of();
                }

                @Override
                public boolean isPlugin(Bundle bundle) {
                    return false;
                }

                @Override
                public SignatureVerdict verdict(Bundle bundle) {
                    throw new UnsupportedOperationException();
                }
            };
            shared = new SharedPluginTrust(new SealedChangeLog(SealedChangeLog.PLUGIN_TRUST, database, secret), trust, audit, name, false);
        }

        /** What {@code plugin:trust} does on this node. */
        void trust(Path certificate, String alias) throws Exception {
            String pem = vendors.add(certificate, alias).pem();
            shared.published(ADMIN, alias, true, pem);
        }

        /** What {@code plugin:untrust} does on this node. */
        void untrust(String alias) throws Exception {
            vendors.remove(alias);
            shared.published(ADMIN, alias, false, "");
        }

        List<String> aliases() {
            return vendors.vendors().stream().map(TrustedVendorFolder.TrustedVendor::alias).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby", "postgres" })
    void aTrustChangeOnOneNodeReachesTheOthersAndANodeThatStartsLater(String kind) throws Exception {
        DataSource database = database(kind);
        TestNode one = new TestNode("one", database, SECRET);
        TestNode two = new TestNode("two", database, SECRET);

        one.trust(vendorCertificate, "acme");
        two.shared.applyNewChanges();
        assertEquals(List.of("acme"), two.aliases());
        assertEquals(one.vendors.vendors().get(0).fingerprint(), two.vendors.vendors().get(0).fingerprint());
        assertEquals(1, two.reloads.get(), "the other node judges its plugins again once");
        two.shared.applyNewChanges();
        assertEquals(1, two.reloads.get(), "nothing new, nothing judged again");

        two.trust(otherCertificate, "other");
        two.untrust("acme");
        one.shared.applyNewChanges();
        assertEquals(List.of("other"), one.aliases());

        TestNode late = new TestNode("late", database, SECRET);
        late.shared.applyNewChanges();
        assertEquals(List.of("other"), late.aliases(), "a node that starts later replays the whole log");
        assertTrue(audit.events().stream().anyMatch(event -> event.resourceId().equals("acme")
                && event.details().contains("no longer trusted on node one")));
    }

    @Test
    void aVendorPutInTheFolderByHandStaysThatNodesOwnUntilTheLogNamesIt() throws Exception {
        DataSource database = database("derby");
        TestNode one = new TestNode("one", database, SECRET);
        TestNode two = new TestNode("two", database, SECRET);
        two.vendors.add(otherCertificate, "local-only");
        one.trust(vendorCertificate, "acme");
        two.shared.applyNewChanges();
        assertEquals(List.of("acme", "local-only"), two.aliases());
        assertEquals(List.of("acme"), one.aliases());
        one.shared.published(ADMIN, "local-only", false, "");
        two.shared.applyNewChanges();
        assertEquals(List.of("acme"), two.aliases(), "an untrust names the alias: it is removed everywhere");
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby", "postgres" })
    void nodesChangingTrustAtOnceAllLandInOneChain(String kind) throws Exception {
        DataSource database = database(kind);
        List<TestNode> nodes = List.of(new TestNode("a", database, SECRET), new TestNode("b", database, SECRET),
                new TestNode("c", database, SECRET));
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        for (int n = 0; n < nodes.size(); n++) {
            TestNode node = nodes.get(n);
            int index = n;
            pool.execute(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 5; i++) {
                        node.shared.published(ADMIN, "alias-" + index + "-" + i, false, "");
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(failures.isEmpty(), () -> "appends failed: " + failures);
        SealedChangeLog log = new SealedChangeLog(SealedChangeLog.PLUGIN_TRUST, database, SECRET);
        assertEquals(15, log.since(0).size(), "every change, once, in a chain that verifies");
    }

    @ParameterizedTest
    @ValueSource(strings = { "derby", "postgres" })
    void theDatabaseAloneCannotAddAVendorNorDropAChange(String kind) throws Exception {
        DataSource database = database(kind);
        TestNode one = new TestNode("one", database, SECRET);
        one.trust(vendorCertificate, "acme");
        one.untrust("acme");

        // An attacker with the database but not the passphrase's secret: change 2 (the untrust) swapped for a trust of
        // their own certificate, sealed under a secret they made up.
        TestNode attacker = new TestNode("attacker", database, "a secret the attacker made up".getBytes());
        execute(database, "DELETE FROM " + SealedChangeLog.PLUGIN_TRUST.table() + " WHERE SEQ = 2");
        attacker.shared.published(ADMIN, "acme", true, Files.readString(otherCertificate));

        TestNode victim = new TestNode("victim", database, SECRET);
        victim.shared.applyNewChanges();
        assertEquals(List.of("acme"), victim.aliases(), "the changes before the break apply");
        assertEquals(victim.vendors.vendors().get(0).fingerprint(), fingerprint(vendorCertificate),
                "the forged certificate is not trusted");
        assertTrue(audit.events().stream().anyMatch(event -> event.outcome() == AuditOutcome.FAILURE
                && event.details().contains("does not verify")), "the refusal is audited");

        // Removing the newest changes leaves a shorter chain that verifies: a node that saw them notices.
        execute(database, "DELETE FROM " + SealedChangeLog.PLUGIN_TRUST.table() + " WHERE SEQ >= 2");
        TestNode fresh = new TestNode("fresh", database, SECRET);
        fresh.trust(otherCertificate, "other");
        long seen = fresh.shared.applied();
        execute(database, "DELETE FROM " + SealedChangeLog.PLUGIN_TRUST.table() + " WHERE SEQ = " + seen);
        fresh.shared.applyNewChanges();
        assertEquals(seen, fresh.shared.applied(), "nothing applied from a log that went back");
        assertTrue(audit.events().stream().anyMatch(event -> event.details().contains("went back")));
    }

    private static String fingerprint(Path certificate) throws Exception {
        TrustedVendorFolder scratch = new TrustedVendorFolder(Files.createTempDirectory("fingerprint"));
        return scratch.add(certificate, "x").fingerprint();
    }

    private static void execute(DataSource database, String sql) throws Exception {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}

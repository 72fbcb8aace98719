package org.panacea.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.Role;

/**
 * Security in the real runtime: BouncyCastle FIPS from the boot classpath, the keys made in the security database on
 * first start, logins against the JAAS realm, and plugins admitted only when signed by a trusted vendor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT {

    private static final Path VENDOR_DIRECTORY = Path.of("target", "test-vendor").toAbsolutePath();

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Inject
    FieldEncryption encryption;

    @Inject
    CallerAuthentication authentication;

    @Inject
    AuditTrail audit;

    /** The signed-plugin gate: injecting it makes the test wait until the gate is up. */
    @Inject
    PluginSignatureVerifier gate;

    @Configuration
    public Option[] config() {
        TestVendor vendor = new TestVendor(VENDOR_DIRECTORY).create();
        vendor.plugin("org.example.trusted.filter", true);
        vendor.plugin("org.example.unsigned.filter", false);
        return PanaceaDistribution.options(
                replaceConfigurationFile("etc/trusted-vendors/test-vendor.pem", vendor.certificate.toFile()),
                systemProperty("panacea.test.vendor").value(VENDOR_DIRECTORY.toString()));
    }

    @Test
    public void theFipsProviderComesFromTheBootClasspathAndEncrypts() {
        assertNotNull("BCFIPS is not registered", Security.getProvider("BCFIPS"));
        FieldBinding binding = new FieldBinding("Patient", "it-1", "name");
        byte[] sealed = encryption.encrypt(binding, "Grace Hopper".getBytes(StandardCharsets.UTF_8));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("Grace"));
        assertArrayEquals("Grace Hopper".getBytes(StandardCharsets.UTF_8), encryption.decrypt(binding, sealed));
    }

    @Test
    public void theKeysAndTheAuditKeyAreMadeInTheSecurityDatabaseNotInFiles() throws Exception {
        ServiceReference<DataSource> reference = context.getServiceReferences(DataSource.class,
                "(osgi.jndi.service.name=panacea-security)").iterator().next();
        DataSource database = context.getService(reference);
        List<String> keys = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT NAME, VERSION FROM PANACEA_KEY ORDER BY NAME")) {
            while (rows.next()) {
                keys.add(rows.getString(1) + "/" + rows.getInt(2));
            }
        } finally {
            context.ungetService(reference);
        }
        // The audit trail is up (injected), so it has taken its sealing key from the shared store.
        assertTrue(keys.toString(), keys.containsAll(List.of("blind-index/1", "kek/1", "secret:audit.seal/1")));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        assertFalse("no key store file", Files.exists(etc.resolve("panacea-keys.bcfks")));
        assertFalse("no audit key file", Files.exists(etc.resolve("panacea-audit.key")));
    }

    @Test
    public void loginsGetTheirRolesAndEveryAttemptIsAudited() throws Exception {
        Caller clinician = authentication.authenticate("clinician", "clinician".toCharArray(), "192.0.2.1").orElseThrow();
        assertEquals(Set.of(Role.CLINICIAN), clinician.roles());
        assertTrue(authentication.authenticate("clinician", "guess".toCharArray(), "192.0.2.66").isEmpty());
        // The realm publishes login outcomes asynchronously (EventAdmin); the audit bundle records them.
        List<AuditEntry> logins = Eventually.waitFor(
                () -> audit.search(new AuditQuery(null, "clinician", AuditAction.LOGIN, null, null, 10)),
                found -> found.size() >= 2, Duration.ofSeconds(10));
        assertTrue(logins.toString(), logins.stream().anyMatch(e -> e.event().outcome() == AuditOutcome.DENIED
                && e.event().clientAddress().equals("http:192.0.2.66")));
        assertTrue(logins.toString(), logins.stream().anyMatch(e -> e.event().outcome() == AuditOutcome.SUCCESS
                && e.event().clientAddress().equals("http:192.0.2.1") && e.event().role().equals("clinician")));
    }

    @Test
    public void anUnsignedPluginIsRefusedAndASignedOneRuns() throws Exception {
        Path vendor = Path.of(System.getProperty("panacea.test.vendor"));
        Bundle unsigned = context.installBundle(
                vendor.resolve("org.example.unsigned.filter-unsigned.jar").toUri().toString());
        try {
            unsigned.start();
            fail("an unsigned plugin started");
        } catch (BundleException | IllegalStateException expected) {
            // refused by the resolver hook, or already uninstalled by the gate
        }
        assertEquals("a refused plugin is uninstalled", Bundle.UNINSTALLED, (int) Eventually.waitFor(
                unsigned::getState, state -> state == Bundle.UNINSTALLED, Duration.ofSeconds(10)));
        List<AuditEntry> refusals = audit.search(new AuditQuery(null, null, AuditAction.PLUGIN_REFUSED, null, null, 10));
        assertTrue("the refusal is audited", refusals.stream()
                .anyMatch(e -> e.event().resourceId().startsWith("org.example.unsigned.filter")));

        Bundle signed = context.installBundle(
                new File(vendor.toFile(), "org.example.trusted.filter-signed.jar").toURI().toString());
        signed.start();
        assertEquals(Bundle.ACTIVE, signed.getState());
        signed.uninstall();
    }
}

package org.panacea.security.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.security.internal.ConfinedImportFolder;
import org.panacea.security.internal.PluginTrust;
import org.panacea.security.internal.TestVendorKeys;
import org.panacea.security.internal.TrustedVendorFolder;

/**
 * plugin:trust, plugin:untrust, plugin:vendors and plugin:list on a real trusted-vendor folder and real certificates,
 * with the gate's reload, the console and the audit trail stood in for.
 */
class PluginTrustCommandsTest {

    @TempDir
    static Path keys;

    @TempDir
    Path etc;

    private static Path acmeCertificate;

    private final List<AuditEvent> audited = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private FakeTrust trust;
    private Caller caller = new Caller("admin", Set.of(Role.ADMIN), "console");

    /** The gate's trust: the real folder; reloads counted, and answering what a test says it refused. */
    private static final class FakeTrust implements PluginTrust {
        final TrustedVendorFolder folder;
        final Map<Bundle, SignatureVerdict> verdicts = new HashMap<>();
        List<String> refuseOnReload = List.of();
        int reloads;

        FakeTrust(Path folder) {
            this.folder = new TrustedVendorFolder(folder);
        }

        @Override
        public TrustedVendorFolder vendors() {
            return folder;
        }

        @Override
        public List<String> reload() {
            reloads++;
            return refuseOnReload;
        }

        @Override
        public SignatureVerdict verdict(Bundle bundle) {
            return verdicts.get(bundle);
        }

        @Override
        public boolean isPlugin(Bundle bundle) {
            return bundle.getHeaders("").get("Panacea-Plugin") != null;
        }
    }

    @BeforeAll
    static void makeVendor() throws Exception {
        acmeCertificate = new TestVendorKeys(keys).vendor("acme", "CN=Acme Imaging Ltd,O=Acme Imaging Ltd");
    }

    @BeforeEach
    void trust() {
        trust = new FakeTrust(etc.resolve("trusted-vendors"));
    }

    private <C extends PluginAdministration> C wire(C command) {
        command.trust = trust;
        command.imports = new ConfinedImportFolder(keys);
        command.policy = new AccessPolicy() {
            @Override
            public AccessDecision decide(Caller who, Operation operation, String resourceType) {
                return who.hasRole(Role.ADMIN) && operation == Operation.ADMINISTER ? AccessDecision.allow("admin")
                        : AccessDecision.deny("administrators only");
            }

            @Override
            public void require(Caller who, Operation operation, String resourceType) {
                AccessDecision decision = decide(who, operation, resourceType);
                if (!decision.allowed()) {
                    throw new AccessDeniedException(decision);
                }
            }
        };
        CallerAuthentication authentication = mock(CallerAuthentication.class);
        when(authentication.fromSubject(any(), any())).thenAnswer(invocation -> Optional.of(caller));
        // The real consoleUser() reads the calling context's subject through the stubbed fromSubject.
        when(authentication.consoleUser()).thenCallRealMethod();
        command.authentication = authentication;
        AuditTrail audit = mock(AuditTrail.class);
        when(audit.record(any())).thenAnswer(invocation -> {
            audited.add(invocation.getArgument(0));
            return mock(AuditEntry.class);
        });
        command.audit = audit;
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(output, true, StandardCharsets.UTF_8));
        command.session = session;
        return command;
    }

    private String console() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private PluginTrustCommand trustCommand(Path certificate, String alias) {
        PluginTrustCommand command = wire(new PluginTrustCommand());
        command.certificate = certificate.toString();
        command.alias = alias;
        return command;
    }

    @Test
    void trustCopiesTheCertificateUnderItsAliasAuditsAndAppliesAtOnce() {
        trustCommand(acmeCertificate, "acme-imaging").execute();
        assertTrue(Files.exists(etc.resolve("trusted-vendors/acme-imaging.pem")));
        assertEquals(1, trust.reloads, "the gate re-reads the folder at once");
        assertTrue(console().contains("Trusted vendor acme-imaging: CN=Acme Imaging Ltd"), console());
        assertTrue(console().contains(trust.folder.vendors().get(0).fingerprint()), console());
        assertEquals(1, audited.size());
        AuditEvent event = audited.get(0);
        assertEquals(AuditAction.CONFIGURATION_CHANGED, event.action());
        assertEquals("TrustedVendor", event.resourceType());
        assertEquals("acme-imaging", event.resourceId());
        assertEquals(AuditOutcome.SUCCESS, event.outcome());
        assertEquals("admin", event.actor());
        assertTrue(event.details().contains("CN=Acme Imaging Ltd"));
    }

    @Test
    void withoutAnAliasTheFileNameIsTheAlias() {
        trustCommand(acmeCertificate, null).execute();
        assertEquals("acme", trust.folder.vendors().get(0).alias());
        assertEquals("Example-Vendor_2", PluginTrustCommand.defaultAlias(Path.of("/tmp/Example Vendor_2.crt")));
    }

    @Test
    void aRefusedTrustIsAuditedAsAFailureAndChangesNothing() throws Exception {
        Path junk = Files.writeString(etc.resolve("junk.pem"), "junk");
        trustCommand(junk, "junk").execute();
        assertTrue(console().startsWith("Not trusted: "), console());
        assertEquals(0, trust.reloads);
        assertTrue(trust.folder.vendors().isEmpty());
        assertEquals(AuditOutcome.FAILURE, audited.get(0).outcome());
        assertEquals("junk", audited.get(0).resourceId());
    }

    @Test
    void untrustRemovesTheVendorAuditsAndNamesThePluginsItStopped() {
        trust.folder.add(acmeCertificate, "acme");
        trust.refuseOnReload = List.of("com.acme.filter 1.0.0");
        PluginUntrustCommand command = wire(new PluginUntrustCommand());
        command.alias = "acme";
        command.execute();
        assertTrue(trust.folder.vendors().isEmpty());
        assertEquals(1, trust.reloads);
        assertTrue(console().contains("no longer trusted") && console().contains("Refused and uninstalled: "
                + "com.acme.filter 1.0.0"), console());
        assertEquals(AuditOutcome.SUCCESS, audited.get(0).outcome());
        assertEquals("acme", audited.get(0).resourceId());
        assertTrue(audited.get(0).details().startsWith("no longer trusted: CN=Acme Imaging Ltd"));
    }

    @Test
    void untrustingAnUnknownAliasChangesNothing() {
        PluginUntrustCommand command = wire(new PluginUntrustCommand());
        command.alias = "nobody";
        command.execute();
        assertTrue(console().contains("Nothing removed: no trusted vendor nobody"), console());
        assertEquals(0, trust.reloads);
        assertTrue(audited.isEmpty());
    }

    @Test
    void onlyAnAdministratorMayChangeTrust() {
        caller = new Caller("clinician", Set.of(Role.CLINICIAN), "console");
        assertThrows(AccessDeniedException.class, () -> trustCommand(acmeCertificate, "acme").execute());
        PluginUntrustCommand untrust = wire(new PluginUntrustCommand());
        untrust.alias = "acme";
        assertThrows(AccessDeniedException.class, untrust::execute);
        assertTrue(trust.folder.vendors().isEmpty());
        assertEquals(0, trust.reloads);
    }

    @Test
    void vendorsListsAliasSubjectAndFingerprint() {
        trust.folder.add(acmeCertificate, "acme");
        wire(new PluginVendorsCommand()).execute();
        assertTrue(console().contains("acme") && console().contains("CN=Acme Imaging Ltd")
                && console().contains(trust.folder.vendors().get(0).fingerprint()), console());
    }

    @Test
    void listShowsEveryPluginWithItsIdsVendorSignerVersionStateAndSignature() {
        Bundle filter = bundle(51, "com.acme.filter", "1.1.0", Bundle.ACTIVE,
                Map.of("Panacea-Plugin", "imaging", "Bundle-Vendor", "Acme Imaging Ltd"));
        ServiceReference<?> blur = service("acme.blur", "1.1.0");
        ServiceReference<?> sharpen = service("acme.sharpen", "2.0.0");
        when(filter.getRegisteredServices()).thenReturn(new ServiceReference<?>[] { sharpen, blur });
        Bundle refused = bundle(52, "org.unknown.score", "0.9.0", Bundle.INSTALLED,
                Map.of("Panacea-Plugin", "prediction"));
        Bundle core = bundle(7, "org.panacea.engine", "0.1.0", Bundle.ACTIVE, Map.of());
        trust.verdicts.put(filter, new SignatureVerdict(true, "CN=Acme Imaging Ltd,O=Acme Imaging Ltd",
                "signed by trusted vendor CN=Acme Imaging Ltd,O=Acme Imaging Ltd"));
        trust.verdicts.put(refused, new SignatureVerdict(false, "", "not signed: entry x carries no signature"));
        PluginListCommand command = wire(new PluginListCommand());
        command.context = mock(BundleContext.class);
        when(command.context.getBundles()).thenReturn(new Bundle[] { core, refused, filter });
        command.execute();
        String listing = console();
        assertFalse(listing.contains("org.panacea.engine"), listing);
        String filterRow = row(listing, "acme.blur 1.1.0, acme.sharpen 2.0.0");
        assertTrue(filterRow.contains("imaging") && filterRow.contains("Acme Imaging Ltd") && filterRow.contains("1.1.0")
                && filterRow.contains("Active") && filterRow.contains("trusted"), filterRow);
        String refusedRow = row(listing, "prediction");
        assertTrue(refusedRow.contains("0.9.0") && refusedRow.contains("Installed")
                && refusedRow.contains("REFUSED: not signed"), refusedRow);
        assertTrue(listing.indexOf("acme.blur") < listing.indexOf("REFUSED"), "ordered by symbolic name");
    }

    private static String row(String listing, String containing) {
        return listing.lines().filter(line -> line.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + containing + " in\n" + listing));
    }

    private static Bundle bundle(long id, String symbolicName, String version, int state, Map<String, String> headers) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion(version));
        when(bundle.getState()).thenReturn(state);
        when(bundle.getHeaders("")).thenReturn(new Hashtable<>(headers));
        return bundle;
    }

    private static ServiceReference<?> service(String id, String version) {
        ServiceReference<?> reference = mock(ServiceReference.class);
        when(reference.getProperty("panacea.plugin.id")).thenReturn(id);
        when(reference.getProperty("panacea.plugin.version")).thenReturn(version);
        return reference;
    }

    @Test
    void aCertificateOutsideTheImportFolderIsNotReadAndTheRefusalAudited() throws Exception {
        Path elsewhere = Files.writeString(etc.resolve("users.properties"), "admin = secret,admin");

        trustCommand(elsewhere, "sneaky").execute();

        assertTrue(console().contains("Not trusted") && console().contains("outside the import folder"), console());
        assertFalse(console().contains("secret"), console());
        assertFalse(Files.exists(etc.resolve("trusted-vendors/sneaky.pem")));
        assertEquals(0, trust.reloads);
        assertEquals(AuditOutcome.FAILURE, audited.get(0).outcome());
    }
}

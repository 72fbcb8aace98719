package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * The gate follows the trusted folder when told to reload: a vendor's plugin installed while trusted is refused and
 * uninstalled once the vendor is removed, with the refusal audited; trusting a vendor admits its plugins.
 */
class SignedPluginGateTrustTest {

    @TempDir
    static Path keys;

    @TempDir
    Path etc;

    private static Path acmeCertificate;
    private static Path acmePlugin;
    private static Path otherPlugin;

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final BundleContext context = mock(BundleContext.class);

    @BeforeAll
    static void signPlugins() throws Exception {
        TestVendorKeys vendors = new TestVendorKeys(keys);
        acmeCertificate = vendors.vendor("acme", "CN=Acme Imaging Ltd,O=Acme Imaging Ltd");
        vendors.vendor("other", "CN=Other Models GmbH,O=Other Models GmbH");
        acmePlugin = vendors.signedPlugin("com.acme.filter", "acme");
        otherPlugin = vendors.signedPlugin("de.other.score", "other");
    }

    private SignedPluginGate gate(boolean allowUnsigned) {
        SecurityConfiguration config = mock(SecurityConfiguration.class);
        when(config.plugins_trusted_certificates()).thenReturn(etc.resolve("trusted-vendors").toString());
        when(config.plugins_allow_unsigned()).thenReturn(allowUnsigned);
        return new SignedPluginGate(audit, config, context);
    }

    private static Bundle plugin(long id, Path jar) {
        return new JarBackedBundle(id, jar.getFileName().toString().replace(".jar", ""),
                java.util.Map.of("Panacea-Plugin", "imaging"), jar, jar.toUri().toString()).bundle();
    }

    @Test
    void untrustingAVendorRefusesAndUninstallsItsInstalledPluginsOnly() throws Exception {
        Bundle acme = plugin(41, acmePlugin);
        Bundle other = plugin(42, otherPlugin);
        when(context.getBundles()).thenReturn(new Bundle[0]);
        SignedPluginGate gate = gate(false);
        gate.vendors().add(acmeCertificate, "acme");
        gate.vendors().add(keys.resolve("exported/other.pem"), "other");
        assertEquals(List.of(), gate.reload());
        when(context.getBundles()).thenReturn(new Bundle[] { acme, other });
        assertTrue(gate.verdict(acme).trusted());
        assertTrue(gate.verdict(other).trusted());

        gate.vendors().remove("acme");
        assertEquals(List.of("com.acme.filter 1.0.0"), gate.reload());
        verify(acme).uninstall();
        verify(other, never()).uninstall();
        assertFalse(gate.verdict(acme).trusted());
        assertTrue(gate.verdict(acme).reason().contains("untrusted: signed by CN=Acme Imaging Ltd"),
                gate.verdict(acme).reason());
        assertTrue(audit.events().stream().anyMatch(e -> e.action() == AuditAction.PLUGIN_REFUSED
                && e.resourceId().equals("com.acme.filter 1.0.0") && e.outcome() == AuditOutcome.DENIED));
        gate.stopWatching();
    }

    @Test
    void trustingAVendorAdmitsItsPluginsAndDevelopmentModeUninstallsNothing() throws Exception {
        Bundle acme = plugin(43, acmePlugin);
        when(context.getBundles()).thenReturn(new Bundle[] { acme });
        SignedPluginGate gate = gate(true);
        assertFalse(gate.verdict(acme).trusted());
        assertEquals(List.of("com.acme.filter 1.0.0"), gate.reload());
        verify(acme, never()).uninstall();
        gate.vendors().add(acmeCertificate, "acme");
        assertEquals(List.of(), gate.reload());
        assertTrue(gate.verdict(acme).trusted());
        gate.stopWatching();
    }
}

package org.panacea.security.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.security.internal.PluginTrust;
import org.panacea.security.internal.SecurityConfiguration;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

class PluginServletTest {

    @TempDir
    Path folder;

    private final AccessPolicy policy = mock(AccessPolicy.class);
    private final PluginTrust trust = mock(PluginTrust.class);
    private final BundleContext context = mock(BundleContext.class);
    private final FakeResponse answer = new FakeResponse();
    private final Caller admin = new Caller("admin", Set.of(Role.ADMIN), "127.0.0.1");

    private PluginServlet servlet(boolean unsignedAllowed) {
        SecurityConfiguration config = mock(SecurityConfiguration.class);
        when(config.plugins_allow_unsigned()).thenReturn(unsignedAllowed);
        return new PluginServlet(policy, trust, config, context);
    }

    private Path jar(String name) throws Exception {
        Path jar = folder.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream entries = new JarOutputStream(out)) {
            entries.putNextEntry(new ZipEntry(name + ".txt"));
            entries.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static Bundle bundle(long id, String symbolicName, Map<String, String> headers, int state, Path jar) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.2.0.SNAPSHOT"));
        when(bundle.getHeaders("")).thenReturn(new Hashtable<>(headers));
        when(bundle.getState()).thenReturn(state);
        when(bundle.getLastModified()).thenReturn(1_795_000_000_000L + id);
        when(bundle.getLocation()).thenReturn(jar == null ? "mvn:nowhere/none/1" : jar.toUri().toString());
        return bundle;
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsOnlyPluginBundlesWithTheirSignatureStateAndServices() throws Exception {
        Bundle filters = bundle(41, "org.panacea.imaging-filters", Map.of("Panacea-Plugin", "imaging",
                "Bundle-Name", "Panacea :: Imaging filters", "Bundle-Vendor", "Panacea"), Bundle.ACTIVE, null);
        ServiceReference<?> blur = mock(ServiceReference.class);
        when(blur.getProperty("panacea.plugin.id")).thenReturn("imaging.gaussian-blur");
        when(blur.getProperty("panacea.plugin.version")).thenReturn("1.1.0");
        ServiceReference<?> unrelated = mock(ServiceReference.class);
        when(filters.getRegisteredServices()).thenReturn(new ServiceReference<?>[] { blur, unrelated });
        Bundle homemade = bundle(57, "com.example.homemade", Map.of("Panacea-Plugin", "prediction"),
                Bundle.INSTALLED, null);
        // registers an algorithm without declaring itself a plugin: listed all the same, as refused
        Bundle impostor = bundle(58, "com.example.impostor", Map.of(), Bundle.ACTIVE, null);
        Bundle core = bundle(12, "org.panacea.records", Map.of("Bundle-Name", "Panacea :: Records"), Bundle.ACTIVE,
                null);
        when(context.getBundles()).thenReturn(new Bundle[] { homemade, core, filters, impostor });
        when(trust.isPlugin(any())).thenAnswer(call -> ((Bundle) call.getArgument(0)).getBundleId() != 12);
        when(trust.verdict(filters)).thenReturn(new SignatureVerdict(true, "CN=Panacea Sample Vendor",
                "every entry signed by CN=Panacea Sample Vendor"));
        when(trust.verdict(homemade)).thenReturn(new SignatureVerdict(false, "", "the JAR is not signed"));
        when(trust.verdict(impostor)).thenReturn(new SignatureVerdict(false, "", "the JAR is not signed"));

        servlet(false).doGet(by(admin), answer.response());

        verify(policy).require(admin, Operation.ADMINISTER, "Bundle");
        assertEquals(List.of(200), answer.statusesSet());
        Map<String, Object> json = new ObjectMapper().readValue(answer.bytes(), Map.class);
        assertEquals(false, json.get("unsignedAllowed"));
        List<Map<String, Object>> plugins = (List<Map<String, Object>>) json.get("plugins");
        assertEquals(List.of("com.example.homemade", "com.example.impostor", "org.panacea.imaging-filters"),
                plugins.stream().map(p -> p.get("symbolicName")).toList(), "plugins only, by symbolic name");
        Map<String, Object> first = plugins.get(2);
        assertEquals(41, first.get("bundleId"));
        assertEquals("Panacea :: Imaging filters", first.get("name"));
        assertEquals("1.2.0.SNAPSHOT", first.get("version"));
        assertEquals("Panacea", first.get("vendor"));
        assertEquals("imaging", first.get("kind"));
        assertEquals("ACTIVE", first.get("state"));
        assertEquals(Map.of("trusted", true, "signer", "CN=Panacea Sample Vendor",
                "reason", "every entry signed by CN=Panacea Sample Vendor"), first.get("signature"));
        assertEquals(List.of(Map.of("id", "imaging.gaussian-blur", "version", "1.1.0")), first.get("services"));
        Map<String, Object> second = plugins.get(0);
        assertEquals("INSTALLED", second.get("state"));
        assertEquals("", second.get("vendor"));
        assertEquals(false, ((Map<String, Object>) second.get("signature")).get("trusted"));
        assertEquals(List.of(), second.get("services"));
        assertEquals("undeclared", plugins.get(1).get("kind"));
        assertEquals(false, ((Map<String, Object>) plugins.get(1).get("signature")).get("trusted"));
    }

    @Test
    void anyoneButAnAdministratorIsRefused() throws Exception {
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [auditor] may not ADMINISTER Bundle")))
                .when(policy).require(any(), any(), any());

        servlet(false).doGet(by(new Caller("auditor", Set.of(Role.AUDITOR), null)), answer.response());

        assertEquals(List.of(403), answer.statusesSet());
        assertTrue(answer.text().contains("may not ADMINISTER Bundle"));
    }

    /** A request from {@code caller}, as the authenticated HTTP context passes it. */
    private static HttpServletRequest by(Caller caller) {
        return FakeRequest.of("GET", null).attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller).build();
    }
}

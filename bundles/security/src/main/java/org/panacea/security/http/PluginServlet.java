package org.panacea.security.http;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Operation;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;
import org.panacea.security.internal.PluginBundles;
import org.panacea.security.internal.PluginTrust;
import org.panacea.security.internal.SecurityConfiguration;

/**
 * {@code GET /api/plugins}, for administrators: every installed plugin bundle (one that carries the
 * {@code Panacea-Plugin} header or has registered an algorithm or model service, see {@link PluginTrust#isPlugin}), ordered by symbolic name, with its bundle id, name, version, vendor, kind, OSGi state, the signature
 * verdict of its JAR (trusted, signer, reason) and the algorithms or models it registers (plugin id and version).
 * {@code unsignedAllowed} says whether development mode lets unsigned plugins run.
 */
@Component(service = Servlet.class, configurationPid = "org.panacea.security")
@HttpWhiteboardServletPattern("/api/plugins")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-plugins")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class PluginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient AccessPolicy policy;
    private final transient BundleContext context;
    private final transient PluginTrust trust;
    private final boolean unsignedAllowed;

    @Activate
    public PluginServlet(@Reference AccessPolicy policy, @Reference PluginTrust trust, SecurityConfiguration config,
            BundleContext context) {
        this.policy = policy;
        this.context = context;
        this.trust = trust;
        this.unsignedAllowed = config.plugins_allow_unsigned();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            policy.require(PanaceaHttp.caller(request), Operation.ADMINISTER, "Bundle");
        } catch (AccessDeniedException denied) {
            Problems.standard().send(response, denied, "GET /api/plugins");
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("unsignedAllowed", unsignedAllowed);
        json.put("plugins", plugins());
        response.setHeader("Cache-Control", "no-store");
        Responses.json(response, HttpServletResponse.SC_OK, "application/json", json);
    }

    List<Map<String, Object>> plugins() {
        List<Map<String, Object>> plugins = new ArrayList<>();
        Bundle[] bundles = context.getBundles();
        List<Bundle> sorted = new ArrayList<>(List.of(bundles == null ? new Bundle[0] : bundles));
        sorted.sort(Comparator.comparing(b -> String.valueOf(b.getSymbolicName())));
        for (Bundle bundle : sorted) {
            if (!trust.isPlugin(bundle)) {
                continue;
            }
            String kind = bundle.getHeaders("").get(PluginHeaders.PLUGIN);
            Map<String, Object> plugin = new LinkedHashMap<>();
            plugin.put("bundleId", bundle.getBundleId());
            plugin.put("symbolicName", bundle.getSymbolicName());
            plugin.put("name", PluginBundles.header(bundle, Constants.BUNDLE_NAME));
            plugin.put("version", bundle.getVersion().toString());
            plugin.put("vendor", PluginBundles.header(bundle, Constants.BUNDLE_VENDOR));
            plugin.put("kind", kind == null ? "undeclared" : kind);
            // Upper case, as the HTTP answers have always given it.
            plugin.put("state", PluginBundles.state(bundle.getState()).toUpperCase(Locale.ROOT));
            plugin.put("lastModified", Instant.ofEpochMilli(bundle.getLastModified()).toString());
            SignatureVerdict verdict = trust.verdict(bundle);
            Map<String, Object> signature = new LinkedHashMap<>();
            signature.put("trusted", verdict.trusted());
            signature.put("signer", verdict.signer());
            signature.put("reason", verdict.reason());
            plugin.put("signature", signature);
            plugin.put("services", services(bundle));
            plugins.add(plugin);
        }
        return plugins;
    }

    /** The algorithms and models the bundle registers, by their plugin id and version. */
    private static List<Map<String, Object>> services(Bundle bundle) {
        List<Map<String, Object>> services = new ArrayList<>();
        ServiceReference<?>[] registered = bundle.getState() == Bundle.ACTIVE ? bundle.getRegisteredServices() : null;
        if (registered == null) {
            return services;
        }
        for (ServiceReference<?> reference : registered) {
            Object id = reference.getProperty(PluginHeaders.SERVICE_PLUGIN_ID);
            if (id != null) {
                Map<String, Object> service = new LinkedHashMap<>();
                service.put("id", String.valueOf(id));
                service.put("version", String.valueOf(reference.getProperty(PluginHeaders.SERVICE_PLUGIN_VERSION)));
                services.add(service);
            }
        }
        services.sort(Comparator.comparing(s -> (String) s.get("id")));
        return services;
    }
}

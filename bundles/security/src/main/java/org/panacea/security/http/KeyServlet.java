package org.panacea.security.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.Operation;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

/**
 * {@code GET /api/keys}, for administrators: the key-encryption key versions, oldest first, as {@code key:list}
 * shows them (version, when made, whether active, how many data keys it still wraps). Never any key material.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/keys")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-keys")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class KeyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient AccessPolicy policy;
    private final transient KeyManagement keys;

    @Activate
    public KeyServlet(@Reference AccessPolicy policy, @Reference KeyManagement keys) {
        this.policy = policy;
        this.keys = keys;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            policy.require(PanaceaHttp.caller(request), Operation.ADMINISTER, "Key");
        } catch (AccessDeniedException denied) {
            Problems.standard().send(response, denied, "GET /api/keys");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        Responses.json(response, HttpServletResponse.SC_OK, "application/json", toJson(keys.keyVersions()));
    }

    static List<Map<String, Object>> toJson(List<KeyVersion> versions) {
        return versions.stream().map(version -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("version", version.version());
            json.put("created", version.created().toString());
            json.put("active", version.active());
            json.put("dataKeysWrapped", version.dataKeysWrapped());
            return json;
        }).toList();
    }
}

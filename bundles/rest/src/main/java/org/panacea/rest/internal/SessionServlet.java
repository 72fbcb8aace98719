package org.panacea.rest.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Responses;

/**
 * {@code GET /api/session}: who the credentials belong to and which Panacea roles they hold, so that a client (the
 * web pages) checks a login and shows each user only the pages of their roles without trying what they may not do
 * (every such try would be an audited denial). Any authenticated caller may ask about themselves.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/session")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-session")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class SessionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The answer depends on the credentials: no shared cache may keep it.
        response.setHeader("Cache-Control", "no-store");
        Responses.json(response, HttpServletResponse.SC_OK, "application/json", describe(PanaceaHttp.caller(request)));
    }

    static Map<String, Object> describe(Caller caller) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", caller.name());
        json.put("roles", caller.roles().stream().map(Role::jaasName).sorted().toList());
        return json;
    }
}

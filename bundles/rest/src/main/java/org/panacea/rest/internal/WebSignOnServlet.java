package org.panacea.rest.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.WebSignOn;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

/**
 * The web pages' login through the hospital's identity provider (OpenID Connect, authorization code with PKCE):
 * <ul>
 * <li>{@code GET /login/oidc/options}: {@code {"enabled": true|false}}, so the login page shows its "Sign in with the
 * hospital's account" button only when single sign-on is configured;</li>
 * <li>{@code GET /login/oidc}: sends the browser to the identity provider, with a state that a cookie
 * ({@value #STATE_COOKIE}, {@code SameSite=Lax} so that it comes back with the provider's redirect) binds to this
 * browser;</li>
 * <li>{@code GET /login/oidc/callback}: the provider sends the browser back with a code; the security bundle checks the
 * state, exchanges the code and checks the tokens, and the browser gets the session cookie ({@value #SESSION_COOKIE},
 * {@code HttpOnly}, {@code SameSite=Strict}) and goes to the web pages; a refusal goes to the login page with the
 * reason;</li>
 * <li>{@code POST /login/oidc/logout}: ends the session (authenticated, like every other request).</li>
 * </ul>
 * The first three are answered without credentials ({@link AuthenticatingContext#isPublic}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(WebSignOnServlet.START + "/*")
@HttpWhiteboardServletName("panacea-login-oidc")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class WebSignOnServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String START = "/login/oidc";
    static final String CALLBACK = START + "/callback";
    static final String OPTIONS = START + "/options";
    static final String LOGOUT = START + "/logout";

    /** The opaque id of a web session; the tokens stay on the server. */
    static final String SESSION_COOKIE = "panacea_session";
    static final String STATE_COOKIE = "panacea_login_state";

    /** Where the browser lands after a login; the page reads the session from {@code /api/session}. */
    static final String AFTER_LOGIN = "/ui/#/sso";
    static final String LOGIN_PAGE = "/ui/#/login";

    private static final Problems PROBLEMS = Problems.standard();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile WebSignOn signOn;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        WebSignOn current = signOn;
        if (OPTIONS.equals(path)) {
            Responses.json(response, HttpServletResponse.SC_OK, "application/json", Map.of("enabled", current != null));
            return;
        }
        if (!START.equals(path) && !CALLBACK.equals(path)) {
            PROBLEMS.send(response, new HttpProblem(404, "not-found", "no such page: " + path), "GET " + path);
            return;
        }
        if (current == null) {
            PROBLEMS.send(response, new HttpProblem(404, "not-found", "single sign-on is not configured on this "
                    + "server: log in with a user name and password"), "GET " + path);
            return;
        }
        if (START.equals(path)) {
            start(request, response, current);
        } else {
            callback(request, response, current);
        }
    }

    private static void start(HttpServletRequest request, HttpServletResponse response, WebSignOn signOn)
            throws IOException {
        WebSignOn.Authorization authorization;
        try {
            authorization = signOn.begin(callbackUri(request));
        } catch (InvalidTokenException unavailable) {
            response.sendRedirect(loginPageWith(unavailable.getMessage()));
            return;
        }
        response.addHeader("Set-Cookie", cookie(request, STATE_COOKIE, authorization.state(), START, "Lax", 600));
        response.sendRedirect(authorization.location().toString());
    }

    private static void callback(HttpServletRequest request, HttpServletResponse response, WebSignOn signOn)
            throws IOException {
        // The state cookie is single-use either way.
        response.addHeader("Set-Cookie", cookie(request, STATE_COOKIE, "", START, "Lax", 0));
        String state = request.getParameter("state");
        String error = request.getParameter("error");
        if (error != null) {
            response.sendRedirect(loginPageWith("the identity provider did not log you in (" + error + ")"));
            return;
        }
        Optional<String> expected = cookie(request, STATE_COOKIE);
        if (state == null || expected.isEmpty() || !MessageDigest.isEqual(
                state.getBytes(StandardCharsets.UTF_8), expected.get().getBytes(StandardCharsets.UTF_8))) {
            // A callback this browser did not start: someone else's login pushed onto this browser (login CSRF).
            response.sendRedirect(loginPageWith("this login was not started in this browser: start it again"));
            return;
        }
        String session;
        try {
            session = signOn.complete(request.getParameter("code"), state, callbackUri(request),
                    PanaceaHttp.clientAddress(request));
        } catch (InvalidTokenException refused) {
            response.sendRedirect(loginPageWith(refused.getMessage()));
            return;
        }
        response.addHeader("Set-Cookie", cookie(request, SESSION_COOKIE, session, "/", "Strict", -1));
        response.sendRedirect(AFTER_LOGIN);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!LOGOUT.equals(path)) {
            PROBLEMS.send(response, new HttpProblem(405, "not-supported", "POST is accepted only on " + LOGOUT),
                    "POST " + path);
            return;
        }
        WebSignOn current = signOn;
        if (current != null) {
            sessionCookie(request).ifPresent(current::end);
        }
        response.addHeader("Set-Cookie", cookie(request, SESSION_COOKIE, "", "/", "Strict", 0));
        Responses.status(response, HttpServletResponse.SC_NO_CONTENT);
    }

    /** The session id the browser sent, if any. */
    static Optional<String> sessionCookie(HttpServletRequest request) {
        return cookie(request, SESSION_COOKIE);
    }

    private static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        return cookies == null ? Optional.empty()
                : Arrays.stream(cookies).filter(c -> name.equals(c.getName()) && !c.getValue().isEmpty())
                        .map(Cookie::getValue).findFirst();
    }

    /**
     * A Set-Cookie header (written by hand: the Servlet 3.1 API has no SameSite). {@code Secure} whenever the request
     * came over TLS; {@code maxAge} below 0 makes a cookie that ends with the browser session.
     */
    private static String cookie(HttpServletRequest request, String name, String value, String path,
            String sameSite, int maxAge) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=" + sameSite
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "") + (request.isSecure() ? "; Secure" : "");
    }

    /**
     * Where the provider sends the browser back: this server, as the browser addressed it. The provider accepts only
     * the redirect URIs registered for the client, so a forged Host header gets nowhere.
     */
    static URI callbackUri(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return URI.create(scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + context
                + CALLBACK);
    }

    private static String loginPageWith(String reason) {
        return LOGIN_PAGE + "?sso_error=" + URLEncoder.encode(reason, StandardCharsets.UTF_8);
    }
}

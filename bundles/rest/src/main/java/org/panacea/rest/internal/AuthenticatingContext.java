package org.panacea.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.security.Caller;
import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.api.security.WebSignOn;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;

/**
 * Panacea's HTTP context: every request must authenticate with HTTP Basic against the JAAS realm, or, while single
 * sign-on is configured, with an OpenID Connect bearer token ({@link BearerTokenAuthentication}) or the session cookie
 * of the web pages' single sign-on ({@link WebSignOn}). Without valid credentials it is answered 401 with a
 * {@code WWW-Authenticate} challenge and an OperationOutcome (a refused token: {@code Bearer error="invalid_token"}
 * with the reason); with them, the {@link Caller} is put on the request for the servlets to hand to the core services.
 * The session cookie counts only on a script's request ({@code X-Requested-With}): a form another site makes the
 * browser submit cannot carry that header, so it cannot act with the user's session (cross-site request forgery).
 * A script's request (header {@code X-Requested-With: XMLHttpRequest}, as the web pages send) gets the 401 without
 * the challenge: browsers
 * answer a challenge with their own login dialog, over the page's own login form. After too many failed logins from
 * the client the realm refuses to check the password for a while: 429 with {@code Retry-After}.
 */
@Component(service = ServletContextHelper.class, configurationPid = "org.panacea.rest")
@HttpWhiteboardContext(name = PanaceaHttp.CONTEXT_NAME, path = "/")
@Designate(ocd = AuthenticatingContext.Config.class)
public class AuthenticatingContext extends ServletContextHelper {

    @ObjectClassDefinition(name = "Panacea HTTP", description = "Authentication of HTTP requests")
    public @interface Config {
        @AttributeDefinition(description = "Seconds a successful login is remembered before the password is checked again")
        int login_cache_seconds() default 60;

        @AttributeDefinition(description = "IP addresses of the load balancers whose X-Forwarded-For is believed: "
                + "the client's address is then the right-most one in it that is not a balancer's")
        String trusted_proxies() default "";
    }

    private final CallerAuthentication authentication;
    private final CredentialCache cache;
    private final ClientAddresses clients;

    /** Present while single sign-on is configured. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile BearerTokenAuthentication bearerTokens;

    /** Present while the web pages' single sign-on is configured. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WebSignOn webSignOn;

    @Activate
    public AuthenticatingContext(@Reference CallerAuthentication authentication, Config config, BundleContext context) {
        super(context.getBundle());
        this.authentication = authentication;
        this.cache = new CredentialCache(Duration.ofSeconds(config.login_cache_seconds()), Clock.systemUTC(),
                java.nio.file.Path.of(System.getProperty("karaf.etc", "etc"), "users.properties"));
        this.clients = ClientAddresses.parse(config.trusted_proxies());
    }

    private static final Problems PROBLEMS = Problems.standard();

    /** The header scripts send so that a refused login is not answered with the browser's own dialog. */
    static final String REQUESTED_WITH = "X-Requested-With";

    /** The operators' metrics: the metrics bundle's servlet admits only the scrapers' addresses it is configured with. */
    static final String METRICS = "/metrics";

    /** Paths answered without credentials (see {@link #isPublic}). */
    static final java.util.Set<String> PUBLIC_PATHS = java.util.Set.of("/fhir/metadata", HealthServlet.LIVE,
            HealthServlet.READY, METRICS, WebSignOnServlet.START, WebSignOnServlet.CALLBACK,
            WebSignOnServlet.OPTIONS);

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Every answer of the context, refusals included, may carry patient data or say who may log in: no cache
        // (browser, proxy) keeps it, and no browser guesses a type other than the one declared.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Who the client is, behind a trusted balancer too: the login throttle, the caller and the audit use it.
        String address = clients.of(request);
        request.setAttribute(PanaceaHttp.CLIENT_ADDRESS_ATTRIBUTE, address);
        String header = request.getHeader("Authorization");
        if (header == null && isPublic(request)) {
            return true;
        }
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(request, response, header.substring(7).strip(), address);
        }
        if (header == null && isScript(request)) {
            Optional<String> session = WebSignOnServlet.sessionCookie(request);
            if (session.isPresent()) {
                return session(request, response, session.get(), address);
            }
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return refuse(request, response, "authentication required: send HTTP Basic credentials"
                    + (bearerTokens == null ? "" : " or an OpenID Connect bearer token"));
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse(request, response, "the Authorization header is not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            return refuse(request, response, "the Authorization header holds no user:password pair");
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Optional<Caller> caller = cache.lookup(user, password, address);
        if (caller.isEmpty()) {
            try {
                caller = authentication.authenticate(user, password, address);
            } catch (LoginThrottledException throttled) {
                return throttle(response, throttled);
            }
            caller.ifPresent(c -> cache.remember(user, password, c));
        }
        if (caller.isEmpty()) {
            return refuse(request, response, "user name or password is wrong");
        }
        request.setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, caller.get());
        return true;
    }

    /** A bearer token, checked by the security bundle; any refusal is 401 {@code invalid_token} with the reason. */
    private boolean bearer(HttpServletRequest request, HttpServletResponse response, String token, String address)
            throws IOException {
        BearerTokenAuthentication tokens = bearerTokens;
        if (tokens == null) {
            return refuseToken(response, "single sign-on is not configured: this server accepts no bearer token");
        }
        try {
            request.setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, tokens.authenticate(token, address));
            return true;
        } catch (InvalidTokenException refused) {
            PROBLEMS.send(response, refused, "login");
            return false;
        }
    }

    /** The web pages' single sign-on session; an ended one is 401 like a changed password. */
    private boolean session(HttpServletRequest request, HttpServletResponse response, String sessionId,
            String address)
            throws IOException {
        WebSignOn signOn = webSignOn;
        Optional<Caller> caller = signOn == null ? Optional.empty()
                : signOn.caller(sessionId, address);
        if (caller.isEmpty()) {
            return refuse(request, response, "the single sign-on session ended: log in again");
        }
        request.setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, caller.get());
        return true;
    }

    private static boolean isScript(HttpServletRequest request) {
        return "XMLHttpRequest".equalsIgnoreCase(request.getHeader(REQUESTED_WITH));
    }

    /** A refused token: 401 with the Bearer challenge, as {@link Problems} answers every refused token. */
    private static boolean refuseToken(HttpServletResponse response, String why) throws IOException {
        PROBLEMS.send(response, new InvalidTokenException(why), "login");
        return false;
    }

    /**
     * The answers given without credentials, none holding patient data: FHIR's CapabilityStatement, which clients read
     * before they log in, the health of this node ({@link HealthServlet}), which load balancers ask for, and its
     * metrics, which Prometheus scrapes (from the addresses the metrics bundle allows). They are
     * served to anonymous callers only by GET; their servlets do not look for a caller there.
     */
    static boolean isPublic(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        // The raw URI, not decoded or normalised: any other spelling of the path needs credentials.
        return uri != null && uri.startsWith(context) && "GET".equals(request.getMethod())
                && PUBLIC_PATHS.contains(uri.substring(context.length()));
    }

    /**
     * Too many failed logins from this client (for this user, or for any): 429 with {@code Retry-After} in whole
     * seconds, and no challenge, so neither a browser dialog nor a script retries at once. The password was not
     * checked.
     */
    private static boolean throttle(HttpServletResponse response, LoginThrottledException throttled)
            throws IOException {
        PROBLEMS.send(response, throttled, "login");
        return false;
    }

    private boolean refuse(HttpServletRequest request, HttpServletResponse response, String why)
            throws IOException {
        HttpProblem refused = new HttpProblem(HttpServletResponse.SC_UNAUTHORIZED, "login", why);
        if (!isScript(request)) {
            // Both schemes when tokens are accepted (RFC 7235 4.1: one header may list several challenges).
            refused.withHeader("WWW-Authenticate", "Basic realm=\"Panacea\", charset=\"UTF-8\""
                    + (bearerTokens == null ? "" : ", Bearer realm=\"Panacea\""));
        }
        PROBLEMS.send(response, refused, "login");
        return false;
    }
}

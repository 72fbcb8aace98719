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
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;

/**
 * Panacea's HTTP context: every request must authenticate with HTTP Basic against the JAAS realm. Without valid
 * credentials it is answered 401 with a {@code WWW-Authenticate} challenge and an OperationOutcome; with them, the
 * {@link Caller} is put on the request for the servlets to hand to the core services. A script's request (header
 * {@code X-Requested-With: XMLHttpRequest}, as the web pages send) gets the 401 without the challenge: browsers
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
    }

    private final CallerAuthentication authentication;
    private final CredentialCache cache;

    @Activate
    public AuthenticatingContext(@Reference CallerAuthentication authentication, Config config, BundleContext context) {
        super(context.getBundle());
        this.authentication = authentication;
        this.cache = new CredentialCache(Duration.ofSeconds(config.login_cache_seconds()), Clock.systemUTC(),
                java.nio.file.Path.of(System.getProperty("karaf.etc", "etc"), "users.properties"));
    }

    private static final Problems PROBLEMS = Problems.standard();

    /** The header scripts send so that a refused login is not answered with the browser's own dialog. */
    static final String REQUESTED_WITH = "X-Requested-With";

    /** The operators' metrics: the metrics bundle's servlet admits only the scrapers' addresses it is configured with. */
    static final String METRICS = "/metrics";

    /** Paths answered without credentials (see {@link #isPublic}). */
    static final java.util.Set<String> PUBLIC_PATHS = java.util.Set.of("/fhir/metadata", HealthServlet.LIVE,
            HealthServlet.READY, METRICS);

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Every answer of the context, refusals included, may carry patient data or say who may log in: no cache
        // (browser, proxy) keeps it, and no browser guesses a type other than the one declared.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String header = request.getHeader("Authorization");
        if (header == null && isPublic(request)) {
            return true;
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return refuse(request, response, "authentication required: send HTTP Basic credentials");
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
        String address = request.getRemoteAddr();
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

    private static boolean refuse(HttpServletRequest request, HttpServletResponse response, String why)
            throws IOException {
        HttpProblem refused = new HttpProblem(HttpServletResponse.SC_UNAUTHORIZED, "login", why);
        if (!"XMLHttpRequest".equalsIgnoreCase(request.getHeader(REQUESTED_WITH))) {
            refused.withHeader("WWW-Authenticate", "Basic realm=\"Panacea\", charset=\"UTF-8\"");
        }
        PROBLEMS.send(response, refused, "login");
        return false;
    }
}

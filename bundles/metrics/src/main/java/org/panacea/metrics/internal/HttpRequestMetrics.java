package org.panacea.metrics.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.panacea.api.metrics.MeterId;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.metrics.Timer;

/**
 * Times every HTTP request the node answers, as {@code panacea_http_server_requests_seconds} labelled with the method,
 * the route template ({@link RouteTemplates}: never the raw path, which carries ids) and the status code. It is a
 * whiteboard preprocessor, so it runs before any context's authentication: refused logins (401, 429) and paths no
 * servlet serves (404) are counted too. Thread-safe.
 */
@Component(service = Preprocessor.class)
public class HttpRequestMetrics implements Preprocessor {

    static final MeterId REQUESTS = MeterId.of("panacea.http.server.requests",
            "HTTP requests answered, by method, route template and status code; the time to the end of the answer");

    /** Most series kept; requests of further route templates are counted as {@link RouteTemplates#OTHER}. */
    static final int MAX_SERIES = 1000;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final Metrics metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @Activate
    public HttpRequestMetrics(@Reference Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FilterConfig config) {
        // Nothing to set up: the meters are created as routes are first seen.
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            // An exception that escapes every servlet is answered 500 by the container.
            int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : answer.getStatus();
            timer(method(http.getMethod()), RouteTemplates.of(http.getRequestURI()), status).recordSince(start);
        }
    }

    /**
     * The timer of one series, made once: the series are few (methods, route templates and status codes are fixed
     * vocabularies), and every request would otherwise build and check its meter id again.
     */
    private Timer timer(String method, String route, int status) {
        String key = method + ' ' + route + ' ' + status;
        Timer timer = timers.get(key);
        if (timer != null) {
            return timer;
        }
        // Templates are built from fixed words, but their combinations are many: a client sending made-up paths
        // (even without credentials) must not grow the registry and every scrape without bound.
        String kept = timers.size() < MAX_SERIES ? route : RouteTemplates.OTHER;
        return timers.computeIfAbsent(kept == route ? key : method + ' ' + kept + ' ' + status, any -> metrics.timer(
                REQUESTS.with("method", method).with("route", kept).with("status", Integer.toString(status))));
    }

    @Override
    public void destroy() {
        // Nothing to release: the meters belong to the registry.
    }

    /** The method, or {@code OTHER} for any extension method, so that clients cannot invent label values. */
    static String method(String method) {
        return method != null && METHODS.contains(method) ? method : "OTHER";
    }
}

package org.panacea.metrics.http;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.metrics.internal.MetricsConfig;
import org.panacea.metrics.internal.PrometheusMetrics;
import org.panacea.metrics.internal.ScrapeAccess;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;

/**
 * {@code GET /metrics}: every meter of this node in the Prometheus text format 0.0.4, for Prometheus to scrape. It is
 * answered without credentials (the Panacea context lets this path through, as it does the health answers), to the
 * addresses of {@link MetricsConfig#allowed_addresses()} only: any other client gets 403. Nothing in it identifies a
 * patient: label values are route templates, status codes and fixed words (see {@code org.panacea.api.metrics}).
 */
@Component(service = Servlet.class, configurationPid = MetricsConfig.PID)
@Designate(ocd = MetricsConfig.class)
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-metrics")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String PATH = "/metrics";

    private static final Problems PROBLEMS = Problems.standard();

    private final transient PrometheusMetrics metrics;
    private transient volatile ScrapeAccess access;

    @Activate
    public MetricsServlet(@Reference PrometheusMetrics metrics, MetricsConfig config) {
        this.metrics = metrics;
        this.access = ScrapeAccess.of(config);
    }

    @Modified
    void modified(MetricsConfig config) {
        this.access = ScrapeAccess.of(config);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String address = request.getRemoteAddr();
        if (!access.permits(address)) {
            PROBLEMS.send(response, new HttpProblem(HttpServletResponse.SC_FORBIDDEN, "forbidden",
                    "this client's address may not read the metrics; an operator lists the scrapers' addresses in"
                            + " allowed.addresses of " + MetricsConfig.PID), "metrics");
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusMetrics.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

package org.panacea.analysis.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.analysis.internal.CohortRequest;
import org.panacea.analysis.internal.CohortSurvival;
import org.panacea.analysis.internal.Disclosure;
import org.panacea.analysis.internal.Json;
import org.panacea.analysis.internal.LogisticAnalysis;
import org.panacea.analysis.internal.LogisticRequest;
import org.panacea.analysis.internal.SurvivalAnalysis;
import org.panacea.analysis.internal.SurvivalData;
import org.panacea.analysis.internal.SurvivalReport;
import org.panacea.analysis.internal.SurvivalRequest;
import org.panacea.analysis.internal.Table;
import org.panacea.analysis.internal.TableLimits;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.rest.http.BoundedUpload;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Statistics over HTTP, for callers who may read aggregate data:
 * <ul>
 * <li>{@code POST /api/analysis/survival?time=..&event=..[&event-value=..][&group=..][&covariates=a,b][&ties=efron]}
 * with a {@code text/csv} body: Kaplan-Meier by group, log-rank test, Cox model;</li>
 * <li>{@code POST /api/analysis/logistic?outcome=..[&positive=..]&covariates=a,b} with a {@code text/csv} body:
 * logistic regression and its in-sample ROC AUC;</li>
 * <li>{@code POST /api/analysis/cohort/survival} with a JSON body {@code {"condition": "system|code", ...}}: survival
 * of the record's patients with a condition ({@link CohortSurvival}).</li>
 * </ul>
 * The caller's access is decided before anything of the body is read. Uploaded tables are read straight from the
 * request stream, keeping only the columns named, and bounded as they arrive: in bytes ({@code max.request.mebibytes}
 * here) and in lines, columns and line length ({@link TableLimits}); past a limit the answer is 413 naming it. Rows
 * with a missing value are left out of the analysis that needs it and counted. Results are JSON; every error is a
 * FHIR OperationOutcome (400 for a missing column, a value that is not a number or a model that cannot be fitted,
 * naming the line and column but never repeating the table's text).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/analysis/*")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-analysis")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
@Designate(ocd = AnalysisServlet.Config.class)
public class AnalysisServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /**
     * The standard mapping (a table over a limit is 413: {@link org.panacea.analysis.internal.TableTooLargeException}
     * says so itself), in the words of an analysis when the audit trail cannot record it or something unexpected
     * fails.
     */
    private static final Problems PROBLEMS = Problems.standard()
            .on(AuditException.class, e -> new HttpProblem(503, "transient", "the audit trail cannot record this "
                    + "analysis right now, so no result is given; try again shortly", e).withServerLog())
            .unexpected(what -> "the analysis failed unexpectedly. The server log has the details");

    /** A cohort request is a few fields of JSON. */
    private static final long MAX_COHORT_REQUEST_BYTES = 64 * 1024;

    @ObjectClassDefinition(name = "Panacea analysis API", description = "Limits of the /api/analysis HTTP API")
    public @interface Config {
        @AttributeDefinition(description = "Largest CSV table accepted, in MiB (100,000 rows of ten numbers take "
                + "about 10 MiB)")
        int max_request_mebibytes() default 64;
    }

    private final transient AccessPolicy policy;
    private final transient CohortSurvival cohort;
    private final transient TableLimits limits;
    private final long maxRequestBytes;

    @Activate
    public AnalysisServlet(@Reference AccessPolicy policy, @Reference CohortSurvival cohort,
            @Reference TableLimits limits, Config config) {
        this.policy = policy;
        this.cohort = cohort;
        this.limits = limits;
        this.maxRequestBytes = Math.max(1, config.max_request_mebibytes()) * 1024L * 1024L;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        try {
            Caller caller = PanaceaHttp.caller(request);
            if (!path.equals("/survival") && !path.equals("/logistic") && !path.equals("/cohort/survival")) {
                throw new HttpProblem(404, "not-found", "no analysis at /api/analysis" + path
                        + ": POST /api/analysis/survival or /api/analysis/logistic with a text/csv table, or "
                        + "/api/analysis/cohort/survival with a JSON request");
            }
            if (!method.equals("POST")) {
                throw new HttpProblem(405, "not-supported", method + " is not supported here; POST the "
                        + (path.startsWith("/cohort") ? "JSON request" : "table")).withHeader("Allow", "POST");
            }
            switch (path) {
                case "/survival" -> survival(caller, request, response);
                case "/logistic" -> logistic(caller, request, response);
                default -> cohortSurvival(caller, request, response);
            }
        } catch (RuntimeException e) {
            PROBLEMS.send(response, e, method + " " + request.getRequestURI());
        }
    }

    private void survival(Caller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        policy.require(caller, Operation.READ_AGGREGATE, "*");
        SurvivalRequest survival = SurvivalRequest.of(query(request));
        Table table = table(request, survival.columns());
        SurvivalData data = SurvivalData.fromTable(table, survival);
        // The caller's own table: every number is theirs to see.
        writeJson(response, SurvivalReport.json(SurvivalAnalysis.run(data, survival.ties(), Disclosure.FULL, true),
                survival.curve()));
    }

    private void logistic(Caller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        policy.require(caller, Operation.READ_AGGREGATE, "*");
        LogisticRequest logistic = LogisticRequest.of(query(request));
        writeJson(response, LogisticAnalysis.json(table(request, logistic.columns()), logistic));
    }

    private void cohortSurvival(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // Decided before the body is read; the analysis decides again, with what it may show.
        policy.require(caller, Operation.READ_AGGREGATE, "Patient");
        requireMediaType(request, "application/json", "a JSON request such as {\"condition\": "
                + "\"http://snomed.info/sct|254637007\", \"group\": \"sex\"}");
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bounded(request, MAX_COHORT_REQUEST_BYTES));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("the body is not JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        writeJson(response, cohort.analyse(caller, CohortRequest.fromJson(body)));
    }

    /** The table's named columns, read as the body streams in; call only once the caller's access is decided. */
    private Table table(HttpServletRequest request, List<String> columns) throws IOException {
        requireMediaType(request, "text/csv", "the table as text/csv (UTF-8, a header row, comma-separated)");
        try {
            return Table.read(bounded(request, maxRequestBytes), columns, limits);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read: " + e.getMessage(), e);
        }
    }

    private InputStream bounded(HttpServletRequest request, long limit) throws IOException {
        String message = "the body is larger than " + (limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MiB"
                : limit / 1024 + " KiB");
        return BoundedUpload.of(request, limit, message);
    }

    private static void requireMediaType(HttpServletRequest request, String expected, String what) {
        String contentType = request.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(expected)) {
            throw new HttpProblem(415, "not-supported", "send " + what + " with Content-Type " + expected + ", not '"
                    + (contentType == null ? "(none)" : contentType) + "'");
        }
    }

    /**
     * The query string's parameters, decoded; each may be given once. Read from the query string itself, never
     * from the body, which is the table.
     */
    static Map<String, String> query(HttpServletRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (parameters.put(name, value) != null) {
                throw new IllegalArgumentException("parameter '" + name + "' is given twice; give it once "
                        + "(covariates as one comma-separated list)");
            }
        }
        return parameters;
    }

    private static void writeJson(HttpServletResponse response, ObjectNode body) throws IOException {
        Responses.json(response, 200, "application/json", body);
    }
}

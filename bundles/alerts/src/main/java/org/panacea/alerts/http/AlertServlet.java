package org.panacea.alerts.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertAlreadyAcknowledgedException;
import org.panacea.api.alerts.Alerts;
import org.panacea.api.alerts.UnknownAlertException;
import org.panacea.rest.http.BoundedUpload;
import org.panacea.rest.http.HttpProblem;
import org.panacea.rest.http.Json;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.QueryParameters;
import org.panacea.rest.http.Responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alerts for auditors, behind the auditor's alert page:
 * <ul>
 * <li>{@code GET /api/alerts[?status=open|all][&_count=N]}: {@code {"alerts":[...]}}, newest first, open ones by
 * default, at most {@code _count} (1..1000, default 100);</li>
 * <li>{@code POST /api/alerts/ID/ack} with {@code {"note":"..."}}: acknowledges it, answers the alert as now stored;
 * 404 for an unknown id, 409 when acknowledged already, 400 for a missing or oversized note.</li>
 * </ul>
 * Auditors only (403 otherwise, audited by the policy).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/alerts", "/api/alerts/*"})
@HttpWhiteboardServletName("panacea-api-alerts")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class AlertServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern ACK = Pattern.compile("/(\\d{1,18})/ack");
    private static final int MAX_COUNT = 1000;
    private static final long MAX_BODY = 16 * 1024;
    private static final Problems PROBLEMS = Problems.standard()
            .on(UnknownAlertException.class, e -> new HttpProblem(404, "not-found", e.getMessage(), e))
            .on(AlertAlreadyAcknowledgedException.class, e -> new HttpProblem(409, "conflict", e.getMessage(), e));

    private final transient Alerts alerts;

    @Activate
    public AlertServlet(@Reference Alerts alerts) {
        this.alerts = alerts;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
                throw new HttpProblem(404, "not-found", "No such alert resource: GET /api/alerts"
                        + request.getPathInfo());
            }
            boolean openOnly = switch (String.valueOf(request.getParameter("status"))) {
                case "null", "open" -> true;
                case "all" -> false;
                default -> throw new IllegalArgumentException("status: '" + request.getParameter("status")
                        + "' is neither open nor all");
            };
            int count = QueryParameters.count(request.getParameter("_count"), 100, MAX_COUNT);
            List<Map<String, Object>> json = new ArrayList<>();
            for (Alert alert : alerts.list(PanaceaHttp.caller(request), openOnly, count)) {
                json.add(toJson(alert));
            }
            response.setHeader("Cache-Control", "no-store");
            Responses.json(response, HttpServletResponse.SC_OK, "application/json", Map.of("alerts", json));
        } catch (Exception e) {
            PROBLEMS.send(response, e, "GET /api/alerts");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Matcher ack = ACK.matcher(String.valueOf(request.getPathInfo()));
            if (!ack.matches()) {
                throw new HttpProblem(404, "not-found", "POST /api/alerts/ID/ack acknowledges alert ID; nothing else"
                        + " is posted here");
            }
            String note;
            try (InputStream body = BoundedUpload.of(request, MAX_BODY, "An acknowledgement is at most "
                    + MAX_BODY + " bytes")) {
                JsonNode json = Json.mapper().readTree(body);
                if (json == null || !json.isObject() || !json.path("note").isTextual()) {
                    throw new IllegalArgumentException("The body must be a JSON object with a text \"note\"");
                }
                note = json.get("note").asText();
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("The body is not JSON: " + e.getOriginalMessage(), e);
            }
            Alert alert = alerts.acknowledge(PanaceaHttp.caller(request), Long.parseLong(ack.group(1)), note);
            Responses.json(response, HttpServletResponse.SC_OK, "application/json", toJson(alert));
        } catch (Exception e) {
            PROBLEMS.send(response, e, "POST /api/alerts");
        }
    }

    static Map<String, Object> toJson(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id());
        json.put("rule", alert.rule().name());
        json.put("raisedAt", alert.raisedAt().toString());
        json.put("node", alert.node());
        json.put("actor", alert.actor());
        json.put("patient", alert.patientId().isEmpty() ? null : "Patient/" + alert.patientId());
        json.put("summary", alert.summary());
        json.put("auditSequence", alert.auditSequence());
        alert.acknowledgement().ifPresent(ack -> json.put("acknowledged", Map.of("by", ack.by(), "at",
                ack.at().toString(), "note", ack.note())));
        return json;
    }
}

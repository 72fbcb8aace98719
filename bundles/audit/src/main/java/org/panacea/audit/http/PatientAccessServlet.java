package org.panacea.audit.http;

import java.io.IOException;
import java.util.ArrayList;
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
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Operation;
import org.panacea.audit.report.PatientAccessReport;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.QueryParameters;
import org.panacea.rest.http.Responses;

/**
 * {@code GET /api/audit/access?patient=ID[&_count=N]}: who opened a patient's chart, when and why, for auditors (the
 * privacy officer) only, as {@code audit:access} prints it: {@code {"patient":"Patient/ID","entries":n,
 * "truncated":false,"accesses":[{"user":..,"why":..,"first":..,"last":..,"count":..,"actions":[..],"from":[..]}]}}.
 * {@code _count} (1..100000, default 5000) bounds the audit entries read, newest first.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/audit/access")
@HttpWhiteboardServletName("panacea-api-audit-access")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class PatientAccessServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int DEFAULT_COUNT = 5000;
    private static final int MAX_COUNT = 100_000;

    private final transient AuditTrail trail;
    private final transient AccessPolicy policy;

    @Activate
    public PatientAccessServlet(@Reference AuditTrail trail, @Reference AccessPolicy policy) {
        this.trail = trail;
        this.policy = policy;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            policy.require(PanaceaHttp.caller(request), Operation.READ_AUDIT, "AuditEvent");
            String patient = request.getParameter("patient");
            if (patient == null || patient.isBlank()) {
                throw new IllegalArgumentException("patient: give the patient's logical id (Patient/<id> or <id>)");
            }
            String id = patient.strip().startsWith("Patient/") ? patient.strip().substring(8) : patient.strip();
            if (id.isEmpty() || id.contains("/")) {
                throw new IllegalArgumentException("patient: '" + patient + "' is not Patient/<id>");
            }
            int count = QueryParameters.count(request.getParameter("_count"), DEFAULT_COUNT, MAX_COUNT);
            PatientAccessReport report = PatientAccessReport.of(id,
                    trail.search(new AuditQuery(id, null, null, null, null, count)), count);
            response.setHeader("Cache-Control", "no-store");
            Responses.json(response, HttpServletResponse.SC_OK, "application/json", toJson(report));
        } catch (Exception e) {
            Problems.standard().send(response, e, "GET /api/audit/access");
        }
    }

    static Map<String, Object> toJson(PatientAccessReport report) {
        List<Map<String, Object>> accesses = new ArrayList<>();
        for (PatientAccessReport.Access access : report.accesses()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("user", access.user());
            json.put("why", access.why());
            json.put("first", access.first().toString());
            json.put("last", access.last().toString());
            json.put("count", access.count());
            json.put("actions", access.actions());
            json.put("from", access.from());
            accesses.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("patient", "Patient/" + report.patientId());
        json.put("entries", report.entries());
        json.put("truncated", report.truncated());
        json.put("accesses", accesses);
        return json;
    }
}

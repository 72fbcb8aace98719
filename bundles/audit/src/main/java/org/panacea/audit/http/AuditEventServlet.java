package org.panacea.audit.http;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Operation;
import org.panacea.rest.http.OperationOutcomes;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.QueryParameters;
import org.panacea.rest.http.Responses;

/**
 * {@code GET /fhir/AuditEvent?patient=&date=&agent=&subtype=&_count=}: the audit trail as a FHIR searchset Bundle
 * of AuditEvent resources, newest first, for auditors only. {@code date} takes FHIR prefixes ({@code ge}, {@code gt},
 * {@code le}, {@code lt}, {@code eq}) and may repeat to give a range; a plain date means that whole day (UTC).
 * {@code subtype} is the Panacea action each entry carries as its subtype ({@code READ}, {@code ACCESS_DENIED},
 * {@code MODEL_RUN}, ...; any case), alone or as {@code urn:panacea:audit-action|READ}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/fhir/AuditEvent")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-fhir-audit-event")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class AuditEventServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int DEFAULT_COUNT = 100;
    private static final int MAX_COUNT = 1000;
    /** FHIR's comparison prefixes for dates; those not supported here are refused by name. */
    private static final java.util.Set<String> FHIR_PREFIXES = java.util.Set.of("eq", "ne", "gt", "lt", "ge", "le", "sa",
            "eb", "ap");

    private final transient AuditTrail trail;
    private final transient AccessPolicy policy;

    @Activate
    public AuditEventServlet(@Reference AuditTrail trail, @Reference AccessPolicy policy) {
        this.trail = trail;
        this.policy = policy;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            policy.require(PanaceaHttp.caller(request), Operation.READ_AUDIT, "AuditEvent");
        } catch (AccessDeniedException denied) {
            Problems.standard().send(response, denied, "GET /fhir/AuditEvent");
            return;
        }
        AuditQuery query;
        try {
            query = query(request);
        } catch (IllegalArgumentException bad) {
            Problems.standard().send(response, bad, "GET /fhir/AuditEvent");
            return;
        }
        List<AuditEntry> entries = trail.search(query);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "searchset");
        bundle.put("total", entries.size());
        bundle.put("entry", entries.stream().map(e -> Map.of(
                "fullUrl", "AuditEvent/" + e.sequence(),
                "resource", AuditEventResources.toFhir(e),
                "search", Map.of("mode", "match"))).toList());
        Responses.json(response, HttpServletResponse.SC_OK, OperationOutcomes.FHIR_JSON, bundle);
    }

    static AuditQuery query(HttpServletRequest request) {
        Instant from = null;
        Instant to = null;
        String[] dates = request.getParameterValues("date");
        if (dates != null) {
            for (String date : dates) {
                boolean prefixed = date.length() > 2 && FHIR_PREFIXES.contains(date.substring(0, 2));
                String prefix = prefixed ? date.substring(0, 2) : "eq";
                String value = prefixed ? date.substring(2) : date;
                Instant start = start(value);
                switch (prefix) {
                    case "ge" -> from = start;
                    case "gt", "sa" -> from = end(value);
                    case "lt", "eb" -> to = start;
                    case "le" -> to = end(value);
                    case "eq" -> {
                        from = start;
                        to = end(value);
                    }
                    default -> throw new IllegalArgumentException("date prefix '" + prefix
                            + "' is not supported: use eq, ge, gt, le or lt");
                }
            }
        }
        int count = QueryParameters.count(request.getParameter("_count"), DEFAULT_COUNT, MAX_COUNT);
        String patient = request.getParameter("patient");
        if (patient != null && patient.startsWith("Patient/")) {
            patient = patient.substring("Patient/".length());
        }
        return new AuditQuery(blankToNull(patient), blankToNull(request.getParameter("agent")),
                action(blankToNull(request.getParameter("subtype"))), from, to, count);
    }

    private static final String ACTION_SYSTEM = "urn:panacea:audit-action|";

    /** The action a {@code subtype} token names, or null for none. */
    private static AuditAction action(String subtype) {
        if (subtype == null) {
            return null;
        }
        String code = subtype.startsWith(ACTION_SYSTEM) ? subtype.substring(ACTION_SYSTEM.length()) : subtype;
        try {
            return AuditAction.valueOf(code.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subtype '" + subtype + "' is not an audit action; use one of "
                    + java.util.Arrays.toString(AuditAction.values()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The first instant a FHIR date or dateTime value covers. */
    private static Instant start(String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date '" + value
                    + "' is neither a date (2026-11-21) nor a dateTime with zone (2026-11-21T08:00:00Z)");
        }
    }

    /** The first instant after a FHIR date or dateTime value. */
    private static Instant end(String value) {
        return value.length() == 10 ? start(value).plusSeconds(86_400) : start(value).plusMillis(1);
    }
}

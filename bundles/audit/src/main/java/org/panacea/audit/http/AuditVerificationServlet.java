package org.panacea.audit.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Operation;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.rest.http.Problems;
import org.panacea.rest.http.Responses;

/**
 * {@code GET /api/audit/verification}: checks the whole hash chain, its sealed checkpoints and the anchors outside the
 * database now, as {@code audit:verify} does, for auditors only. The answer is {@link AuditVerification} as JSON
 * ({@code intact}, {@code entriesChecked}, {@code firstBroken}, {@code problem}, {@code anchorsMatched},
 * {@code anchorsSuperseded}, {@code lostEvents}, {@code remarks}) with its one-line {@code summary}, when the check
 * ran and how long it took. A broken chain is still a 200: the check itself succeeded and its finding is the answer.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/audit/verification")
// Pax Web refuses a second servlet of the same name in a context; the default name is the class of the service.
@HttpWhiteboardServletName("panacea-api-audit-verification")
@HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)
public class AuditVerificationServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient AuditTrail trail;
    private final transient AccessPolicy policy;
    private final transient Clock clock;

    @Activate
    public AuditVerificationServlet(@Reference AuditTrail trail, @Reference AccessPolicy policy) {
        this(trail, policy, Clock.systemUTC());
    }

    AuditVerificationServlet(AuditTrail trail, AccessPolicy policy, Clock clock) {
        this.trail = trail;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            policy.require(PanaceaHttp.caller(request), Operation.READ_AUDIT, "AuditEvent");
        } catch (AccessDeniedException denied) {
            Problems.standard().send(response, denied, "GET /api/audit/verification");
            return;
        }
        Instant started = clock.instant();
        AuditVerification verification = trail.verify();
        Duration took = Duration.between(started, clock.instant());
        // A verdict is true only when it was made: never serve a stored one.
        response.setHeader("Cache-Control", "no-store");
        Responses.json(response, HttpServletResponse.SC_OK, "application/json", toJson(verification, started, took));
    }

    static Map<String, Object> toJson(AuditVerification verification, Instant checkedAt, Duration took) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intact", verification.intact());
        json.put("entriesChecked", verification.entriesChecked());
        json.put("firstBroken", verification.firstBroken());
        json.put("problem", verification.problem());
        json.put("anchorsMatched", verification.anchorsMatched());
        json.put("anchorsSuperseded", verification.anchorsSuperseded());
        json.put("lostEvents", verification.lostEvents());
        json.put("remarks", verification.remarks());
        json.put("summary", verification.summary());
        json.put("checkedAt", checkedAt.toString());
        json.put("durationMillis", took.toMillis());
        return json;
    }
}

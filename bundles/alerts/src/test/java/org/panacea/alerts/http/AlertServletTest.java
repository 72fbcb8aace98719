package org.panacea.alerts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertAlreadyAcknowledgedException;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.alerts.Alerts;
import org.panacea.api.alerts.UnknownAlertException;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

/** The HTTP answers of /api/alerts: each failure its status and an OperationOutcome, never a stack trace. */
class AlertServletTest {

    private static final Alert OPEN = new Alert(7, AlertRule.BREAK_GLASS, Instant.parse("2026-12-07T10:00:00Z"),
            "dr-er", "p7", "dr-er broke the glass on Patient/p7", 99, "node-a", Optional.empty());

    private final Caller auditor = new Callers().user("auditor", Role.AUDITOR, "10.0.0.5");
    private final List<String> calls = new ArrayList<>();

    /** Answers with {@link #OPEN}, or throws what a test asks for. */
    private final class ScriptedAlerts implements Alerts {
        private RuntimeException failure;

        @Override
        public List<Alert> list(Caller caller, boolean openOnly, int limit) {
            calls.add("list " + openOnly + " " + limit);
            if (failure != null) {
                throw failure;
            }
            return List.of(OPEN);
        }

        @Override
        public Alert acknowledge(Caller caller, long id, String note) {
            calls.add("ack " + id + " " + note);
            if (failure != null) {
                throw failure;
            }
            return OPEN;
        }
    }

    private final ScriptedAlerts alerts = new ScriptedAlerts();
    private final AlertServlet servlet = new AlertServlet(alerts);

    private FakeResponse get(String query) throws Exception {
        FakeRequest request = FakeRequest.of("GET", null).attribute(PanaceaHttp.CALLER_ATTRIBUTE, auditor);
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                request.parameter(kv[0], kv[1]);
            }
        }
        FakeResponse response = new FakeResponse();
        servlet.service(request.build(), response.response());
        return response;
    }

    private FakeResponse post(String path, String body) throws Exception {
        FakeRequest request = FakeRequest.of("POST", path).attribute(PanaceaHttp.CALLER_ATTRIBUTE, auditor)
                .contentType("application/json").body(body);
        FakeResponse response = new FakeResponse();
        servlet.service(request.build(), response.response());
        return response;
    }

    @Test
    void listsOpenAlertsByDefaultAndAllOnRequest() throws Exception {
        FakeResponse response = get(null);
        assertEquals(200, response.status());
        assertTrue(response.text().startsWith("{\"alerts\":[{\"id\":7,\"rule\":\"BREAK_GLASS\""), response.text());
        assertTrue(response.text().contains("\"patient\":\"Patient/p7\""));
        get("status=all&_count=5");
        assertEquals(List.of("list true 100", "list false 5"), calls);
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        FakeResponse status = get("status=closed");
        assertEquals(400, status.status());
        assertTrue(status.text().contains("status: 'closed'"), status.text());
        assertEquals(400, get("_count=0").status());
        assertEquals(400, get("_count=lots").status());
        assertEquals(List.of(), calls, "nothing was read");
    }

    @Test
    void acknowledgesWithTheNoteOfTheBody() throws Exception {
        FakeResponse response = post("/7/ack", "{\"note\":\"checked\"}");
        assertEquals(200, response.status());
        assertEquals(List.of("ack 7 checked"), calls);
    }

    @Test
    void eachFailureGetsItsStatus() throws Exception {
        assertEquals(404, post("/7/close", "{\"note\":\"x\"}").status());
        assertEquals(400, post("/7/ack", "{\"text\":\"x\"}").status());
        FakeResponse notJson = post("/7/ack", "note=x");
        assertEquals(400, notJson.status());
        assertFalse(notJson.text().contains("Exception"), notJson.text());
        alerts.failure = new UnknownAlertException(7);
        assertEquals(404, post("/7/ack", "{\"note\":\"x\"}").status());
        alerts.failure = new AlertAlreadyAcknowledgedException("Alert 7 was acknowledged by auditor at ...");
        FakeResponse conflict = post("/7/ack", "{\"note\":\"x\"}");
        assertEquals(409, conflict.status());
        assertTrue(conflict.text().contains("acknowledged by auditor"), conflict.text());
        alerts.failure = new AccessDeniedException(AccessDecision.deny("auditors only"));
        assertEquals(403, get(null).status());
    }
}

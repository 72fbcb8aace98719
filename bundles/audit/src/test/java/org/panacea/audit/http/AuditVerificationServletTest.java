package org.panacea.audit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

class AuditVerificationServletTest {

    private final AuditTrail trail = mock(AuditTrail.class);
    private final AccessPolicy policy = mock(AccessPolicy.class);
    private final FakeResponse answer = new FakeResponse();
    private final AuditVerificationServlet servlet = new AuditVerificationServlet(trail, policy,
            Clock.fixed(Instant.parse("2026-11-21T09:30:00Z"), ZoneOffset.UTC));

    private static HttpServletRequest requestBy(Caller caller) {
        return FakeRequest.of("GET", null).attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller).build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorGetsTheVerdictOfTheWholeChainAsJson() throws Exception {
        Caller auditor = new Caller("auditor", Set.of(Role.AUDITOR), "10.0.0.9");
        when(trail.verify()).thenReturn(new AuditVerification(false, 1204, 977, "hash does not match its content"));

        servlet.doGet(requestBy(auditor), answer.response());

        verify(policy).require(auditor, Operation.READ_AUDIT, "AuditEvent");
        assertEquals(List.of(200), answer.statusesSet());
        assertEquals(List.of("no-store"), answer.headers("Cache-Control"));
        Map<String, Object> json = new ObjectMapper().readValue(answer.bytes(), Map.class);
        assertEquals(false, json.get("intact"));
        assertEquals(1204, json.get("entriesChecked"));
        assertEquals(977, json.get("firstBroken"));
        assertEquals("hash does not match its content", json.get("problem"));
        assertEquals("BROKEN at entry 977: hash does not match its content (1204 entries checked)",
                json.get("summary"));
        assertEquals("2026-11-21T09:30:00Z", json.get("checkedAt"));
        assertEquals(0, json.get("durationMillis"));
    }

    @Test
    void anchorsEpochsAndGapsAreInTheAnswer() {
        Map<String, Object> json = AuditVerificationServlet.toJson(new AuditVerification(true, 42, 0, "", 6, 2, 3,
                "GAPS: 3 audit events could not be recorded (login 3; the last at 2026-11-21T09:00:00Z)"),
                Instant.EPOCH, java.time.Duration.ofMillis(7));
        assertEquals(6L, json.get("anchorsMatched"));
        assertEquals(2L, json.get("anchorsSuperseded"));
        assertEquals(3L, json.get("lostEvents"));
        assertEquals("OK 42 entries verified against 6 anchors; GAPS: 3 audit events could not be recorded (login 3;"
                + " the last at 2026-11-21T09:00:00Z)", json.get("summary"));
    }

    @Test
    void anIntactChainSaysSoInOneLine() {
        Map<String, Object> json = AuditVerificationServlet.toJson(new AuditVerification(true, 42, 0, null),
                Instant.EPOCH, java.time.Duration.ofMillis(7));
        assertEquals(true, json.get("intact"));
        assertEquals("OK 42 entries verified", json.get("summary"));
        assertEquals("", json.get("problem"));
        assertEquals(7L, json.get("durationMillis"));
    }

    @Test
    void anyoneElseIsRefusedBeforeTheChainIsRead() throws Exception {
        Caller clinician = new Caller("clinician", Set.of(Role.CLINICIAN), "10.0.0.8");
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [clinician] may not READ_AUDIT AuditEvent")))
                .when(policy).require(any(), any(), any());

        servlet.doGet(requestBy(clinician), answer.response());

        assertEquals(List.of(403), answer.statusesSet());
        verify(trail, never()).verify();
        String outcome = answer.text();
        assertTrue(outcome.contains("OperationOutcome") && outcome.contains("may not READ_AUDIT"), outcome);
    }
}

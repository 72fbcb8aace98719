package org.panacea.audit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.testsupport.FakeRequest;

class AuditEventServletTest {

    private static HttpServletRequest request(Map<String, String[]> parameters) {
        FakeRequest request = FakeRequest.of("GET", null);
        parameters.forEach(request::parameter);
        return request.build();
    }

    @Test
    void searchParametersBecomeAnAuditQuery() {
        AuditQuery query = AuditEventServlet.query(request(Map.of(
                "patient", new String[] { "Patient/p-17" },
                "agent", new String[] { "clinician" },
                "date", new String[] { "ge2026-11-01", "lt2026-11-21T08:00:00Z" },
                "_count", new String[] { "25" })));
        assertEquals("p-17", query.patientId());
        assertEquals("clinician", query.actor());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), query.from());
        assertEquals(Instant.parse("2026-11-21T08:00:00Z"), query.to());
        assertEquals(25, query.limit());
    }

    @Test
    void theSubtypeFiltersByAction() {
        assertEquals(AuditAction.ACCESS_DENIED, AuditEventServlet.query(request(Map.of(
                "subtype", new String[] { "access_denied" }))).action());
        assertEquals(AuditAction.MODEL_RUN, AuditEventServlet.query(request(Map.of(
                "subtype", new String[] { "urn:panacea:audit-action|MODEL_RUN" }))).action());
        assertNull(AuditEventServlet.query(request(Map.of("subtype", new String[] { " " }))).action());
        String message = assertThrows(IllegalArgumentException.class, () -> AuditEventServlet.query(request(Map.of(
                "subtype", new String[] { "PEEK" })))).getMessage();
        assertTrue(message.contains("'PEEK'") && message.contains("ACCESS_DENIED"), message);
    }

    @Test
    void aPlainDateMeansThatWholeDay() {
        AuditQuery query = AuditEventServlet.query(request(Map.of("date", new String[] { "2026-11-20" })));
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), query.from());
        assertEquals(Instant.parse("2026-11-21T00:00:00Z"), query.to());
        assertNull(query.patientId());
        assertEquals(100, query.limit(), "default page size");
    }

    @Test
    void badParametersAreNamedInTheError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditEventServlet.query(
                request(Map.of("date", new String[] { "yesterday" })))).getMessage().contains("yesterday"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditEventServlet.query(
                request(Map.of("date", new String[] { "ne2026-11-20" })))).getMessage().contains("prefix 'ne'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditEventServlet.query(
                request(Map.of("_count", new String[] { "5000" })))).getMessage().contains("_count"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuditEventServlet.query(
                request(Map.of("_count", new String[] { "ten" })))).getMessage().contains("'ten'"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEntryBecomesAFhirAuditEvent() {
        AuditEntry entry = new AuditEntry(42, Instant.parse("2026-11-21T07:00:00Z"),
                new AuditEvent("nurse", "nurse", AuditAction.READ, "Observation", "o-9", "p-17", AuditOutcome.SUCCESS,
                        "10.1.2.3", ""),
                "d1", "h0", "h1");
        Map<String, Object> resource = AuditEventResources.toFhir(entry);
        assertEquals("AuditEvent", resource.get("resourceType"));
        assertEquals("42", resource.get("id"));
        assertEquals("R", resource.get("action"));
        assertEquals("0", resource.get("outcome"));
        assertEquals("2026-11-21T07:00:00Z", resource.get("recorded"));
        Map<String, Object> agent = ((List<Map<String, Object>>) resource.get("agent")).get(0);
        assertEquals(Map.of("display", "nurse"), agent.get("who"));
        assertEquals(Map.of("address", "10.1.2.3"), agent.get("network"));
        List<Map<String, Object>> entities = (List<Map<String, Object>>) resource.get("entity");
        assertEquals(Map.of("reference", "Patient/p-17"), entities.get(0).get("what"));
        assertEquals(Map.of("display", "Observation/o-9"), entities.get(1).get("what"));

        Map<String, Object> denial = AuditEventResources.toFhir(new AuditEntry(43, Instant.now(),
                new AuditEvent("researcher", "researcher", AuditAction.ACCESS_DENIED, "Patient", "", "",
                        AuditOutcome.DENIED, "10.1.2.4", ""), "d", "h1", "h2"));
        assertEquals("4", denial.get("outcome"));
        assertEquals("110113", ((Map<String, Object>) denial.get("type")).get("code"));

        Map<String, Object> gap = AuditEventResources.toFhir(new AuditEntry(44, Instant.now(),
                new AuditEvent("system:audit", "", AuditAction.AUDIT_GAP, "AuditTrail", "login=2", "",
                        AuditOutcome.ERROR, "internal", ""), "d", "h2", "h3"));
        assertEquals("110113", ((Map<String, Object>) gap.get("type")).get("code"), "lost events are an alert");
    }
}

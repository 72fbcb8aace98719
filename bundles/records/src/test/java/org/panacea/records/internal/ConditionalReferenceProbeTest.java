package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.http.FhirServlet;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;
import org.panacea.testsupport.StreamedBody;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An admin reads no charts, so must not learn through a transaction Bundle whether a patient with some MRN exists:
 * a conditional reference ({@code Patient?identifier=...}) is resolved only for a caller who may search Patients.
 * The real store on Derby, the real access policy, the HTTP answer compared byte for byte.
 */
class ConditionalReferenceProbeTest {

    private static final String MRN_SYSTEM = "urn:oid:1.2.36.146.595.217.0.1";
    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller ADMIN = RecordsFixture.SEALS.issue("admin", Set.of(Role.ADMIN), "10.0.0.1");

    private RecordsFixture fixture;
    private JpaPatientRecords records;
    private FhirServlet servlet;

    @BeforeEach
    void open() throws Exception {
        fixture = RecordsFixture.derby(Clock.systemUTC());
        records = fixture.records;
        servlet = new FhirServlet(records, fixture.policy, new FhirServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FhirServlet.Config.class;
            }

            @Override
            public int max_request_mebibytes() {
                return 64;
            }

            @Override
            public int default_page_size() {
                return 50;
            }
        });
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A transaction an admin may otherwise post: one Organization, part of "whatever holds this MRN". */
    private static String probe(String mrn) {
        return """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{
                  "fullUrl": "urn:uuid:%s",
                  "resource": {"resourceType": "Organization", "name": "Probe Clinic",
                               "identifier": [{"system": "https://probe.example/org", "value": "%s"}],
                               "partOf": {"reference": "Patient?identifier=%s|%s"}},
                  "request": {"method": "POST", "url": "Organization"}}]}
                """.formatted(UUID.randomUUID(), UUID.randomUUID(), MRN_SYSTEM, mrn);
    }

    private FakeResponse post(Caller caller, String bundle) throws Exception {
        FakeResponse answer = new FakeResponse();
        servlet.service(FakeRequest.of("POST", "").servletPath("/fhir").attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller)
                .contentType("application/fhir+json").body(StreamedBody.of(bundle)).build(), answer.response());
        return answer;
    }

    private static JsonNode json(FakeResponse answer) {
        return FhirJson.parseObject(answer.text());
    }

    /** The diagnostics of an OperationOutcome answer. */
    private static String diagnostics(FakeResponse answer) {
        return json(answer).path("issue").path(0).path("diagnostics").asText();
    }

    private List<AuditEvent> adminDenials() {
        return fixture.audit.events().stream().filter(e -> e.actor().equals("admin")
                && e.action() == AuditAction.ACCESS_DENIED).toList();
    }

    @Test
    void anAdminGetsTheSameAuditedDenialForAnExistingAndAMissingMrn() throws Exception {
        String mrn = "MRN-" + UUID.randomUUID().toString().substring(0, 8);
        records.create(CLINICIAN, Samples.patient("Probed", "Petra", mrn));
        long before = fixture.count("PANACEA_RESOURCE");

        FakeResponse existing = post(ADMIN, probe(mrn));
        FakeResponse missing = post(ADMIN, probe("MRN-NOBODY-" + UUID.randomUUID().toString().substring(0, 8)));

        assertEquals(403, existing.status(), existing.text());
        assertEquals(existing.status(), missing.status());
        assertEquals(existing.text(), missing.text(), "the same answer, byte for byte");
        JsonNode outcome = json(existing);
        assertEquals("OperationOutcome", outcome.path("resourceType").asText());
        assertEquals("forbidden", outcome.path("issue").path(0).path("code").asText());
        assertTrue(diagnostics(existing).contains("may not SEARCH Patient"), diagnostics(existing));
        assertEquals(before, fixture.count("PANACEA_RESOURCE"), "nothing stored either time");

        List<AuditEvent> denials = adminDenials();
        assertEquals(2, denials.size(), "each probe is audited: " + denials);
        for (AuditEvent denial : denials) {
            assertEquals("Patient", denial.resourceType());
            assertEquals(AuditOutcome.DENIED, denial.outcome());
            assertEquals(denials.get(0).details(), denial.details());
            assertTrue(!denial.details().contains(mrn), "the MRN is not in the audit details");
        }
    }

    @Test
    void anAdminMayStillResolveConditionalReferencesToTheDirectory() throws Exception {
        String hospital = "H-" + UUID.randomUUID().toString().substring(0, 8);
        FakeResponse first = post(ADMIN, """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{
                  "resource": {"resourceType": "Practitioner", "name": [{"family": "Cuddy"}],
                               "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "%s"}]},
                  "request": {"method": "POST", "url": "Practitioner"}},
                 {"resource": {"resourceType": "Organization", "name": "Princeton-Plainsboro",
                               "identifier": [{"system": "https://hospitals.example", "value": "%s"}],
                               "partOf": {"reference": "Organization?identifier=https://hospitals.example|%s"}},
                  "request": {"method": "POST", "url": "Organization"}}]}
                """.formatted(UUID.randomUUID(), hospital, hospital));
        assertEquals(200, first.status(), first.text());
        assertEquals(List.of(), adminDenials());
    }

    @Test
    void aClinicianStillHasConditionalReferencesToPatientsResolved() throws Exception {
        String mrn = "MRN-" + UUID.randomUUID().toString().substring(0, 8);
        String patientId = records.create(CLINICIAN, Samples.patient("Resolved", "Rita", mrn)).id();
        String observation = Samples.clinical(patientId).get("Observation")
                .replace("Patient/" + patientId, "Patient?identifier=" + MRN_SYSTEM + "|" + mrn);
        FakeResponse answer = post(CLINICIAN, """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{
                  "resource": %s, "request": {"method": "POST", "url": "Observation"}}]}
                """.formatted(observation));
        assertEquals(200, answer.status(), answer.text());
        assertEquals(1, records.search(CLINICIAN, new SearchQuery("Observation", Map.of("patient", patientId), 10, 0))
                .total(), "the conditional reference found the patient");
    }
}

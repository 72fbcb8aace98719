package org.panacea.records.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;
import org.panacea.testsupport.StreamedBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Limits before work: the policy decides before a body is read, and a body is bounded by what actually arrives.
 * The allocation checks measure the request thread itself (HotSpot's per-thread allocation counter).
 */
class FhirServletTest {

    private static final long MIB = 1024 * 1024;
    private static final Caller CLINICIAN = new Caller("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller NURSE = new Caller("nurse.joy", Set.of(Role.NURSE), "10.0.0.8");
    private static final Caller RESEARCHER = new Caller("ada", Set.of(Role.RESEARCHER), "10.0.0.9");
    private static final Caller ADMIN = new Caller("admin", Set.of(Role.ADMIN), "10.0.0.1");

    private final RolePolicy policy = new RolePolicy();
    private JpaPatientRecords records;

    @BeforeEach
    void setUp() {
        records = mock(JpaPatientRecords.class);
    }

    // ------------------------------------------------------------------------------------- policy before the body

    @Test
    void sixtyMebibytesFromACallerWhoMayNotCreateTheTypeAreRefusedBeforeAByteIsRead() throws Exception {
        FhirServlet servlet = servlet(64);
        // The same refusal once on a small body, so that loading the classes of the refusal is not measured.
        post(servlet, ADMIN, "/Patient", fhirResource("Patient", 1024), true);

        StreamedBody body = fhirResource("Patient", 60 * MIB);
        FakeResponse answer = new FakeResponse();
        long allocated = allocatedBy(() -> servlet.service(request(ADMIN, "POST", "/Patient",
                "application/fhir+json", body, body.size(), Map.of()), answer.response()));

        assertEquals(403, answer.status(), answer.text());
        assertEquals("forbidden", json(answer).path("issue").path(0).path("code").asText());
        assertTrue(diagnostics(answer).contains("may not CREATE Patient"), diagnostics(answer));
        assertEquals(0, body.bytesRead(), "the body was not read");
        assertTrue(allocated < MIB, "the refusal allocated " + allocated + " bytes on the request thread");
        assertEquals(List.of("admin CREATE Patient", "admin CREATE Patient"), policy.denials, "denials recorded");
        verifyNoInteractions(records);
    }

    @Test
    void anUpdateIsDecidedOnTheAddressBeforeTheBodyIsRead() throws Exception {
        FhirServlet servlet = servlet(64);
        put(servlet, NURSE, "/Patient/p1", fhirResource("Patient", 1024));

        StreamedBody body = fhirResource("Patient", 60 * MIB);
        FakeResponse answer = new FakeResponse();
        long allocated = allocatedBy(() -> servlet.service(request(NURSE, "PUT", "/Patient/p1",
                "application/fhir+json", body, body.size(), Map.of("If-Match", "W/\"1\"")),
                answer.response()));

        assertEquals(403, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("may not UPDATE Patient"), diagnostics(answer));
        assertEquals(0, body.bytesRead());
        assertTrue(allocated < MIB, "the refusal allocated " + allocated + " bytes on the request thread");
        verifyNoInteractions(records);
    }

    @Test
    void aBundleFromACallerWhoMayWriteNothingIsRefusedBeforeItIsRead() throws Exception {
        FhirServlet servlet = servlet(64);
        post(servlet, RESEARCHER, "", fhirBundle(1024), true);

        StreamedBody body = fhirBundle(60 * MIB);
        FakeResponse answer = new FakeResponse();
        long allocated = allocatedBy(() -> servlet.service(request(RESEARCHER, "POST", "",
                "application/fhir+json", body, body.size(), Map.of()), answer.response()));

        assertEquals(403, answer.status(), answer.text());
        assertEquals(0, body.bytesRead());
        assertTrue(allocated < MIB, "the refusal allocated " + allocated + " bytes on the request thread");
        assertTrue(policy.denials.contains("ada CREATE Bundle"), policy.denials.toString());
        verifyNoInteractions(records);
    }

    @Test
    void aBundleFromACallerWhoMayWriteSomeTypeIsParsedAndDecidedPerEntry() throws Exception {
        when(records.importBundle(any(Caller.class), any(ObjectNode.class)))
                .thenReturn(new BundleOutcome(Map.of("entry[0]", "Observation/o1"), List.of(), List.of()));
        StreamedBody body = fhirBundle(4096);
        FakeResponse answer = post(servlet(64), NURSE, "", body, true);
        assertEquals(200, answer.status(), answer.text());
        assertEquals(body.size(), body.bytesRead());
        verify(records).importBundle(any(Caller.class), any(ObjectNode.class));
        assertEquals(List.of(), policy.denials);
    }

    /** The control of the measurement: when the policy allows, the same kind of body is read and parsed. */
    @Test
    void anAllowedCreateReadsAndParsesTheBodyWhichTheMeasurementSees() throws Exception {
        when(records.create(any(Caller.class), any(ObjectNode.class))).thenReturn(new StoredResource("Patient", "p1",
                1, Instant.parse("2026-01-01T00:00:00Z"), "{\"resourceType\":\"Patient\",\"id\":\"p1\"}"));
        FhirServlet servlet = servlet(64);
        post(servlet, CLINICIAN, "/Patient", fhirResource("Patient", 1024), true);

        StreamedBody body = fhirResource("Patient", 8 * MIB);
        FakeResponse answer = new FakeResponse();
        long allocated = allocatedBy(() -> servlet.service(request(CLINICIAN, "POST", "/Patient",
                "application/fhir+json", body, body.size(), Map.of()), answer.response()));
        assertEquals(201, answer.status(), answer.text());
        assertEquals(body.size(), body.bytesRead());
        assertTrue(allocated > body.size(), "parsing " + body.size() + " bytes allocated only " + allocated);
    }

    @Test
    void aBodyOfAnotherTypeThanTheAddressIsRefused() throws Exception {
        StreamedBody body = fhirResource("Patient", 1024);
        FakeResponse answer = post(servlet(64), ADMIN, "/Organization", body, true);
        assertEquals(422, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("is 'Patient' but the address names Organization"),
                diagnostics(answer));
        verify(records, never()).create(any(Caller.class), any(ObjectNode.class));
    }

    @Test
    void aTypePanaceaDoesNotModelIsRefusedBeforeTheBodyIsRead() throws Exception {
        StreamedBody body = fhirResource("Claim", 8 * MIB);
        FakeResponse answer = post(servlet(64), CLINICIAN, "/Claim", body, true);
        assertEquals(422, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("'Claim' is not a type Panacea models"), diagnostics(answer));
        assertEquals(0, body.bytesRead());
    }

    // --------------------------------------------------------------------------------------------------- limits

    @Test
    void aBodyWithoutContentLengthIsStoppedAtTheLimitByWhatArrives() throws Exception {
        StreamedBody body = fhirResource("Patient", 5 * MIB);
        FakeResponse answer = post(servlet(1), CLINICIAN, "/Patient", body, false);
        assertEquals(413, answer.status(), answer.text());
        assertEquals("too-costly", json(answer).path("issue").path(0).path("code").asText());
        assertTrue(diagnostics(answer).contains("larger than 1 MiB, the limit for one request "
                + "(max.request.mebibytes)"), diagnostics(answer));
        assertTrue(body.bytesRead() > MIB && body.bytesRead() < MIB + 64 * 1024, "read " + body.bytesRead());
        verifyNoInteractions(records);
    }

    @Test
    void aContentLengthThatUnderstatesTheBodyChangesNothing() throws Exception {
        StreamedBody body = fhirResource("Patient", 5 * MIB);
        FakeResponse answer = new FakeResponse();
        servlet(1).service(request(CLINICIAN, "POST", "/Patient", "application/fhir+json", body, 100,
                Map.of()), answer.response());
        assertEquals(413, answer.status(), answer.text());
        assertTrue(body.bytesRead() < MIB + 64 * 1024, "read " + body.bytesRead());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReadingOrAllocatingIt() throws Exception {
        FhirServlet servlet = servlet(1);
        post(servlet, CLINICIAN, "/Patient", fhirResource("Patient", 2 * MIB), true);
        StreamedBody body = fhirResource("Patient", 60 * MIB);
        FakeResponse answer = new FakeResponse();
        long allocated = allocatedBy(() -> servlet.service(request(CLINICIAN, "POST", "/Patient",
                "application/fhir+json", body, body.size(), Map.of()), answer.response()));
        assertEquals(413, answer.status(), answer.text());
        assertEquals(0, body.bytesRead());
        assertTrue(allocated < MIB, "allocated " + allocated);
    }

    @Test
    void nestingDeeperThanTheLimitIs413NamingIt() throws Exception {
        String deep = "{\"resourceType\":\"Patient\",\"extension\":" + "[".repeat(70) + "]".repeat(70) + "}";
        FakeResponse answer = post(servlet(64), CLINICIAN, "/Patient", StreamedBody.of(deep), true);
        assertEquals(413, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("nested deeper than 64 levels"), diagnostics(answer));
        verifyNoInteractions(records);
    }

    @Test
    void aBundleOverTheEntryLimitIs413NamingIt() throws Exception {
        when(records.importBundle(any(Caller.class), any(ObjectNode.class))).thenCallRealMethod();
        StreamedBody body = fhirBundle(20_001 * 64L);
        FakeResponse answer = post(servlet(64), CLINICIAN, "", body, true);
        assertEquals(413, answer.status(), answer.text());
        assertTrue(diagnostics(answer).matches("Bundle\\.entry has \\d+ entries, over the limit of 20000 entries "
                + "per Bundle; split it"), diagnostics(answer));
    }

    @Test
    void malformedJsonIsNamedByPlaceWithoutRepeatingWhatWasSent() throws Exception {
        FakeResponse answer = post(servlet(64), CLINICIAN, "/Patient",
                StreamedBody.of("{\"resourceType\":\"Patient\",\"name\": s3cr3t-passw0rd }"), true);
        assertEquals(400, answer.status(), answer.text());
        assertTrue(diagnostics(answer).startsWith("malformed JSON at line 1, column "), diagnostics(answer));
        assertTrue(!answer.text().contains("s3cr3t") && !answer.text().contains("passw0rd"), answer.text());
    }

    // ---------------------------------------------------------------------------------------------- the plumbing

    private FhirServlet servlet(int maxMebibytes) {
        return new FhirServlet(records, policy, config(maxMebibytes));
    }

    private static FakeResponse post(FhirServlet servlet, Caller caller, String path, StreamedBody body, boolean declared)
            throws Exception {
        FakeResponse answer = new FakeResponse();
        servlet.service(request(caller, "POST", path, "application/fhir+json", body,
                declared ? body.size() : -1, Map.of()), answer.response());
        return answer;
    }

    private static FakeResponse put(FhirServlet servlet, Caller caller, String path, ServletInputStream body)
            throws Exception {
        FakeResponse answer = new FakeResponse();
        servlet.service(request(caller, "PUT", path, "application/fhir+json", body, -1,
                Map.of("If-Match", "W/\"1\"")), answer.response());
        return answer;
    }

    /** A request to {@code /fhir{path}} by {@code caller}, as the authenticated HTTP context passes it. */
    private static HttpServletRequest request(Caller caller, String method, String path, String contentType,
            ServletInputStream body, long contentLength, Map<String, String> headers) {
        return FakeRequest.of(method, path).servletPath("/fhir").attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller)
                .contentType(contentType).body(body, contentLength).headers(headers).build();
    }

    /** A FHIR JSON resource of {@code resourceType} padded to about {@code size} bytes with names. */
    private static StreamedBody fhirResource(String resourceType, long size) {
        return new StreamedBody(("{\"resourceType\":\"" + resourceType + "\",\"name\":[").getBytes(
                StandardCharsets.US_ASCII), "{\"family\":\"Padding\",\"given\":[\"Body\"]},".getBytes(
                        StandardCharsets.US_ASCII), "{\"family\":\"End\"}]}".getBytes(StandardCharsets.US_ASCII),
                size);
    }

    /** A transaction Bundle padded to about {@code size} bytes with Observation entries. */
    private static StreamedBody fhirBundle(long size) {
        return new StreamedBody("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[".getBytes(
                StandardCharsets.US_ASCII), ("{\"resource\":{\"resourceType\":\"Observation\",\"status\":"
                        + "\"final\"}},").getBytes(StandardCharsets.US_ASCII),
                "{\"resource\":{\"resourceType\":\"Observation\"}}]}".getBytes(StandardCharsets.US_ASCII), size);
    }

    private static JsonNode json(FakeResponse answer) {
        return FhirJson.parseObject(answer.text());
    }

    /** The diagnostics of an OperationOutcome answer. */
    private static String diagnostics(FakeResponse answer) {
        return json(answer).path("issue").path(0).path("diagnostics").asText();
    }

    interface Call {
        void run() throws Exception;
    }

    /** Bytes allocated on this thread while {@code call} runs. */
    private static long allocatedBy(Call call) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM counts allocations per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        call.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }

    private static FhirServlet.Config config(int maxMebibytes) {
        return new FhirServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FhirServlet.Config.class;
            }

            @Override
            public int max_request_mebibytes() {
                return maxMebibytes;
            }

            @Override
            public int default_page_size() {
                return 50;
            }
        };
    }

    /** The shape of the platform's role policy, recording each denial as the real one audits it. */
    static final class RolePolicy implements AccessPolicy {
        final List<String> denials = new ArrayList<>();

        @Override
        public AccessDecision decide(Caller caller, Operation operation, String type) {
            boolean read = operation == Operation.READ || operation == Operation.SEARCH;
            boolean write = operation == Operation.CREATE || operation == Operation.UPDATE
                    || operation == Operation.DELETE;
            boolean directory = Set.of("Practitioner", "Organization", "Location").contains(type);
            boolean allowed = caller.hasRole(Role.CLINICIAN) && (read || write)
                    || caller.hasRole(Role.NURSE) && (read || Set.of("Observation", "Encounter", "RiskAssessment")
                            .contains(type) && (operation == Operation.CREATE || operation == Operation.UPDATE))
                    || caller.hasRole(Role.ADMIN) && directory && (read || write);
            return allowed ? AccessDecision.allow("allowed")
                    : AccessDecision.deny("roles " + caller.roles() + " may not " + operation + " " + type);
        }

        @Override
        public void require(Caller caller, Operation operation, String type) {
            AccessDecision decision = decide(caller, operation, type);
            if (!decision.allowed()) {
                denials.add(caller.name() + " " + operation + " " + type);
                throw new AccessDeniedException(decision);
            }
        }
    }
}

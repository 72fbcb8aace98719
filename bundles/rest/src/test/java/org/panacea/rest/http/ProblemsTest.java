package org.panacea.rest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditException;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.JsonNode;

/** The one mapping of failures to HTTP answers: status, issue type, diagnostics, headers, never a stack trace. */
class ProblemsTest {

    private static final String WHAT = "POST /api/things";

    @Test
    void theApiExceptionsAreAnsweredWithTheirStatusAndIssueType() throws IOException {
        assertAnswer(new AccessDeniedException(AccessDecision.deny("nurses may not DELETE Patient")), 403, "forbidden",
                "nurses may not DELETE Patient");
        assertAnswer(new FileRefusedException("'../etc/passwd' leaves the import folder"), 403, "forbidden",
                "'../etc/passwd' leaves the import folder");
        assertAnswer(new ResourceNotFoundException("Patient", "p9"), 404, "not-found", null);
        assertAnswer(new VersionConflictException("Patient", "p1", 2, 3), 409, "conflict", null);
        assertAnswer(new InvalidImageException("not a DICOM file: no DICM prefix"), 400, "invalid",
                "not a DICOM file: no DICM prefix");
        assertAnswer(new AlgorithmException("sigma too large for a 4x4 image"), 422, "processing",
                "sigma too large for a 4x4 image");
        assertAnswer(new PredictionException("no creatinine in the last 48 h"), 422, "processing",
                "no creatinine in the last 48 h");
        assertAnswer(new IllegalArgumentException("_count must be a whole number, was 'x'"), 400, "invalid",
                "_count must be a whole number, was 'x'");
        assertAnswer(new PayloadTooLargeException("the body is larger than 1 MiB"), 413, "too-costly",
                "the body is larger than 1 MiB");
        assertAnswer(new AuditException("disk full", new IOException("disk full")), 503, "transient",
                "the audit trail cannot record this request right now, so it was not carried out; try again shortly");
        assertAnswer(new DecryptionException("tag mismatch"), 500, "exception", "a stored record could not be "
                + "decrypted; the administrators have been told (see the server log)");
    }

    /** A lost database, or a pool that lent no connection in time, is worth a retry: 503, never a bare 500. */
    @Test
    void anUnreachableDatabaseIsA503WithRetryAfter() throws IOException {
        Answer answer = send(Problems.standard(), new DatabaseUnavailableException(
                new java.sql.SQLTransientConnectionException("panacea-records - Connection is not available")));
        assertEquals(503, answer.status());
        assertEquals("2", answer.header("Retry-After"));
        assertEquals("transient", answer.json().path("issue").path(0).path("code").asText(), answer.text());
        assertTrue(answer.diagnostics().startsWith("the database cannot be reached right now"), answer.text());
        assertFalse(answer.text().contains("Connection is not available"), "the cause stays in the server log");
    }

    @Test
    void anythingElseIsA500ThatSaysNothingOfTheFailure() throws IOException {
        Answer answer = send(Problems.standard(), new NullPointerException("secret.field of PatientRow"));
        assertEquals(500, answer.status());
        assertEquals("fatal", answer.json().path("issue").path(0).path("severity").asText());
        assertEquals("exception", answer.json().path("issue").path(0).path("code").asText());
        assertEquals(Problems.UNEXPECTED, answer.diagnostics());
        assertFalse(answer.text().contains("secret") || answer.text().contains("Exception"), answer.text());
        assertTrue(Problems.standard().problem(new NullPointerException(), WHAT).serverLog());
    }

    @Test
    void theOutcomeIsFhirJsonWithErrorSeverityBelow500() throws IOException {
        Answer answer = send(Problems.standard(), new HttpProblem(404, "not-found", "no such page"));
        assertEquals(OperationOutcomes.FHIR_JSON, answer.header("Content-Type"));
        assertEquals("UTF-8", answer.encoding());
        assertEquals("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                + "\"not-found\",\"diagnostics\":\"no such page\"}]}", answer.text());
    }

    @Test
    void aThrottledLoginGetsRetryAfterInWholeSecondsRoundedUp() throws IOException {
        Answer answer = send(Problems.standard(), new LoginThrottledException("throttled", Duration.ofMillis(7001)));
        assertEquals(429, answer.status());
        assertEquals("8", answer.header("Retry-After"));
        assertEquals("throttled", answer.json().path("issue").path(0).path("code").asText());
        assertEquals("too many failed logins: try again in 8 s", answer.diagnostics());
    }

    @Test
    void anInvalidResourceHasOneIssuePerProblemWithItsExpression() throws IOException {
        Answer answer = send(Problems.standard(), new InvalidResourceException(List.of(
                new ValidationIssue("Patient.birthDate", "is not a date"),
                new ValidationIssue("Patient.gender", "is not one of male, female, other, unknown"))));
        assertEquals(422, answer.status());
        JsonNode issues = answer.json().path("issue");
        assertEquals(2, issues.size());
        assertEquals("Patient.birthDate: is not a date", issues.path(0).path("diagnostics").asText());
        assertEquals("Patient.birthDate", issues.path(0).path("expression").path(0).asText());
        assertEquals("invalid", issues.path(1).path("code").asText());
        assertTrue(answer.text().contains("\"expression\":[\"Patient.gender\"]"), answer.text());
    }

    @Test
    void aProblemCarriesItsHeadersAndIssues() throws IOException {
        HttpProblem problem = new HttpProblem(422, "processing", "two inputs missing",
                HttpProblem.Issue.each("processing", List.of("age is missing", "sex is missing")))
                .withRetryAfter(0).withHeader("Allow", "POST");
        Answer answer = send(Problems.standard(), problem);
        assertEquals(422, answer.status());
        assertEquals("1", answer.header("Retry-After"), "at least one second");
        assertEquals("POST", answer.header("Allow"));
        assertEquals("sex is missing", answer.json().path("issue").path(1).path("diagnostics").asText());
        assertFalse(answer.json().path("issue").path(1).has("expression"));
    }

    @Test
    void aProblemMayAnswerWithABodyOfTheEndpointsOwn() throws IOException {
        Answer answer = send(Problems.standard(), new HttpProblem(400, "invalid", "no part stored")
                .withBody("application/json", Map.of("stored", List.of())));
        assertEquals(400, answer.status());
        assertEquals("application/json", answer.header("Content-Type"));
        assertEquals("{\"stored\":[]}", answer.text());
    }

    @Test
    void anEndpointsOwnMappingsComeFirstInTheOrderAdded() throws IOException {
        Problems problems = Problems.standard()
                .on(AuditException.class, e -> new HttpProblem(503, "transient", "no result is given")
                        .withRetryAfter(5))
                .on(IllegalStateException.class, e -> new HttpProblem(409, "conflict", "first"))
                .on(RuntimeException.class, e -> new HttpProblem(400, "invalid", "second"));
        Answer audit = send(problems, new AuditException("down", null));
        assertEquals(503, audit.status());
        assertEquals("5", audit.header("Retry-After"));
        assertEquals("no result is given", audit.diagnostics());
        assertEquals("first", send(problems, new IllegalStateException()).diagnostics());
        assertEquals("second", send(problems, new AccessDeniedException(AccessDecision.deny("no"))).diagnostics());
    }

    @Test
    void anEndpointMayTreatAKnownFailureAsUnexpectedAndSayItsOwnWords() throws IOException {
        Problems problems = Problems.standard().onUnexpected(InvalidImageException.class)
                .unexpected(what -> what + " failed unexpectedly; the server log has the details");
        Answer answer = send(problems, new InvalidImageException("stored frame does not decode"));
        assertEquals(500, answer.status());
        assertEquals(WHAT + " failed unexpectedly; the server log has the details", answer.diagnostics());
        assertEquals(400, send(problems, new IllegalArgumentException("bad")).status(), "the rest stays standard");
    }

    @Test
    void aProblemHasAnErrorStatus() {
        assertThrows(IllegalArgumentException.class, () -> new HttpProblem(200, "informational", "fine"));
        assertThrows(IllegalArgumentException.class, () -> new HttpProblem(600, "exception", "?"));
        assertThrows(IllegalArgumentException.class, () -> new HttpProblem(400, "invalid", "none", List.of()));
    }

    @Test
    void successesRefuseErrorStatusesAndWriteJson() throws IOException {
        Answer answer = new Answer();
        assertThrows(IllegalArgumentException.class, () -> Responses.status(answer.response(), 404));
        assertEquals(0, answer.status());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "nurse");
        body.put("roles", List.of("nurse"));
        Responses.json(answer.response(), 201, "application/json", body);
        assertEquals(201, answer.status());
        assertEquals("application/json", answer.header("Content-Type"));
        assertEquals("{\"name\":\"nurse\",\"roles\":[\"nurse\"]}", answer.text());
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static void assertAnswer(Throwable failure, int status, String code, String diagnostics)
            throws IOException {
        Answer answer = send(Problems.standard(), failure);
        assertEquals(status, answer.status(), failure.toString());
        assertEquals(code, answer.json().path("issue").path(0).path("code").asText(), failure.toString());
        assertEquals(status >= 500 ? "fatal" : "error", answer.json().path("issue").path(0).path("severity").asText());
        assertEquals(diagnostics == null ? failure.getMessage() : diagnostics, answer.diagnostics());
        assertFalse(answer.text().contains("Exception"), "no class names, no stack trace: " + answer.text());
    }

    private static Answer send(Problems problems, Throwable failure) throws IOException {
        Answer answer = new Answer();
        problems.send(answer.response(), failure, WHAT);
        return answer;
    }

    /** What the response got: the status set (0 for none), headers, encoding and body. */
    private static final class Answer {
        private final FakeResponse fake = new FakeResponse();

        HttpServletResponse response() {
            return fake.response();
        }

        int status() {
            List<Integer> set = fake.statusesSet();
            return set.isEmpty() ? 0 : set.get(set.size() - 1);
        }

        String header(String name) {
            return fake.header(name);
        }

        String encoding() {
            return fake.characterEncoding();
        }

        String text() {
            return fake.text();
        }

        JsonNode json() throws IOException {
            return Json.mapper().readTree(fake.bytes());
        }

        String diagnostics() throws IOException {
            return json().path("issue").path(0).path("diagnostics").asText();
        }
    }
}

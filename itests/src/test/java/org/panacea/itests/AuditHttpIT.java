package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * The HTTP layer over the real Jetty: unauthenticated requests get 401, forbidden ones 403 (and the denial is
 * audited), auditors read the trail as FHIR AuditEvent resources, bad parameters get 400, always with a FHIR
 * OperationOutcome.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuditHttpIT {

    private static final String PORT = PanaceaDistribution.freePort();

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT));
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + System.getProperty("panacea.test.http.port") + path))
                .timeout(Duration.ofSeconds(20));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        // The servlet registers a moment after the boot features: wait for it rather than fail on a 404.
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                response -> response.statusCode() != 404, Duration.ofSeconds(30));
    }

    private static void assertOperationOutcome(HttpResponse<String> response, String code) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"));
        assertTrue(response.body(), response.body().contains("\"resourceType\":\"OperationOutcome\""));
        assertTrue(response.body(), response.body().contains("\"code\":\"" + code + "\""));
        assertFalse("no stack traces", response.body().contains("Exception"));
    }

    @Test
    public void withoutCredentialsTheAnswerIs401WithAChallenge() throws Exception {
        HttpResponse<String> response = get("/fhir/AuditEvent", null, null);
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertOperationOutcome(response, "login");
        assertEquals(401, get("/fhir/AuditEvent", "auditor", "not-the-password").statusCode());
    }

    @Test
    public void aClinicianIsForbiddenTheAuditTrailAndTheDenialIsAudited() throws Exception {
        HttpResponse<String> response = get("/fhir/AuditEvent", "clinician", "clinician");
        assertEquals(403, response.statusCode());
        assertOperationOutcome(response, "forbidden");
        List<AuditEntry> denials = audit.search(new AuditQuery(null, "clinician", AuditAction.ACCESS_DENIED, null, null, 5));
        assertFalse("the 403 is in the audit trail", denials.isEmpty());
        assertEquals("AuditEvent", denials.get(0).event().resourceType());
        assertEquals("127.0.0.1", denials.get(0).event().clientAddress());
    }

    @Test
    public void anAuditorReadsTheTrailAsFhirAuditEvents() throws Exception {
        get("/fhir/AuditEvent", "clinician", "wrong-password");
        // Login outcomes reach the trail asynchronously (EventAdmin): wait for the failed one.
        Eventually.waitFor(() -> audit.search(new AuditQuery(null, "clinician", AuditAction.LOGIN, null, null, 5)),
                logins -> logins.stream().anyMatch(e -> e.event().outcome() == AuditOutcome.DENIED),
                Duration.ofSeconds(10));
        HttpResponse<String> response = get("/fhir/AuditEvent?agent=clinician&_count=50", "auditor", "auditor");
        assertEquals(response.body(), 200, response.statusCode());
        String body = response.body();
        assertTrue(body, body.startsWith("{\"resourceType\":\"Bundle\",\"type\":\"searchset\""));
        assertTrue("the failed login is there", body.contains("\"code\":\"110114\"") && body.contains("\"outcome\":\"4\""));
        assertFalse("only the clinician's entries", body.contains("\"display\":\"auditor\""));
    }

    @Test
    public void badSearchParametersGet400NamingTheProblem() throws Exception {
        HttpResponse<String> response = get("/fhir/AuditEvent?date=yesterday", "auditor", "auditor");
        assertEquals(400, response.statusCode());
        assertOperationOutcome(response, "invalid");
        assertTrue(response.body(), response.body().contains("yesterday"));
    }
}

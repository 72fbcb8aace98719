package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.BearerTokenAuthentication;

/**
 * Single sign-on against a real OpenID provider ({@link OidcProvider}, mock-oauth2-server in the test's JVM): bearer
 * tokens beside Basic on the distribution's HTTP doors, every kind of bad token refused with 401
 * {@code invalid_token} and audited, SMART scopes narrowing a token's roles, and the web pages' authorization code
 * login with PKCE driven as a browser would.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OidcIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String TOKEN = "panacea.test.token.";
    private static final String LAUNCH = "panacea.test.oidc.launch";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    /** Registered only while single sign-on is configured: waiting for it waits for the configuration. */
    @Inject
    @Filter(timeout = 300_000)
    BearerTokenAuthentication tokens;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Configuration
    public Option[] config() throws Exception {
        // Runs in the test's JVM only: the provider starts there, its tokens travel to Karaf as system properties.
        Map<String, String> issued = OidcProvider.tokens();
        List<Option> options = new ArrayList<>(List.of(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                editConfigurationFilePut("etc/org.panacea.oidc.cfg", "enabled", "true"),
                editConfigurationFilePut("etc/org.panacea.oidc.cfg", "issuer", OidcProvider.start()),
                editConfigurationFilePut("etc/org.panacea.oidc.cfg", "audience", OidcProvider.AUDIENCE),
                editConfigurationFilePut("etc/org.panacea.oidc.cfg", "client.id", OidcProvider.CLIENT_ID),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty(LAUNCH).value(OidcProvider.startLaunches())));
        issued.forEach((name, token) -> options.add(systemProperty(TOKEN + name).value(token)));
        return PanaceaDistribution.options(options.toArray(new Option[0]));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty("panacea.test.http.port") + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        // The servlets register a moment after the boot features: wait for them rather than fail on a 404.
        return Eventually.waitFor(() -> http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() != 404, Duration.ofSeconds(60));
    }

    private HttpResponse<String> withToken(String method, String path, String tokenName, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + System.getProperty(TOKEN + tokenName))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/fhir+json");
        }
        return send(request);
    }

    @Test
    public void aGoodTokenReadsTheSessionWithTheRolesItsClaimsMapTo() throws Exception {
        HttpResponse<String> session = withToken("GET", "/api/session", "clinician", null);
        assertEquals(session.body(), 200, session.statusCode());
        assertTrue(session.body(), session.body().contains("\"name\":\"dr.oidc\""));
        assertTrue(session.body(), session.body().contains("\"roles\":[\"clinician\"]"));
        List<AuditEntry> logins = Eventually.waitFor(() -> logins("dr.oidc", AuditOutcome.SUCCESS),
                found -> !found.isEmpty(), Duration.ofSeconds(10));
        assertEquals("the token's first use is one audited login", 1, logins.size());
    }

    @Test
    public void everyBadTokenIs401InvalidTokenAndAuditedAsAFailedLogin() throws Exception {
        Map<String, String> expected = Map.of(
                "wrongIssuer", "not by the configured issuer",
                "wrongAudience", "does not include 'panacea-api'",
                "expired", "expired at",
                "unsigned", "is not signed",
                "unknownKey", "does not publish");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            HttpResponse<String> refused = withToken("GET", "/api/session", bad.getKey(), null);
            assertEquals(bad.getKey() + ": " + refused.body(), 401, refused.statusCode());
            String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(bad.getKey() + ": " + challenge, challenge.startsWith("Bearer realm=\"Panacea\", "
                    + "error=\"invalid_token\", error_description=\""));
            assertTrue(bad.getKey() + ": " + challenge, challenge.contains(bad.getValue()));
            assertTrue(refused.body(), refused.body().contains("\"resourceType\":\"OperationOutcome\""));
            assertFalse("the token is not echoed", refused.body().contains(System.getProperty(TOKEN + bad.getKey())));
        }
        for (String claimed : List.of("dr.elsewhere", "dr.billing", "dr.late", "dr.forger")) {
            List<AuditEntry> denied = Eventually.waitFor(() -> logins(claimed, AuditOutcome.DENIED),
                    found -> !found.isEmpty(), Duration.ofSeconds(10));
            assertFalse("failed login of " + claimed + " audited", denied.isEmpty());
        }
        assertEquals("dr.forger claimed twice (unsigned, unknown key): two refusals", 2,
                logins("dr.forger", AuditOutcome.DENIED).size());
    }

    @Test
    public void aReadOnlyScopeNarrowsAClinicianTokenToReads() throws Exception {
        String patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Scopes\",\"given\":[\"Sam\"]}],"
                + "\"gender\":\"male\",\"birthDate\":\"1970-01-01\"}";
        HttpResponse<String> refused = withToken("POST", "/fhir/Patient", "reader", patient);
        assertEquals(refused.body(), 403, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("do not permit CREATE Patient"));
        assertEquals("a read scope still reads", 200, withToken("GET", "/api/session", "reader", null).statusCode());
        HttpResponse<String> created = withToken("POST", "/fhir/Patient", "clinician", patient);
        assertEquals("the same role with user/*.* writes: " + created.body(), 201, created.statusCode());
        List<AuditEntry> denials = audit.search(new AuditQuery(null, "dr.reader", AuditAction.ACCESS_DENIED, null,
                null, 10));
        assertEquals(1, denials.size());
    }

    @Test
    public void patientScopesOpenTheLaunchPatientsChartAndNoOtherOnAnyDoor() throws Exception {
        // The demo clinician (every patient by the test's department rule) writes two charts.
        String launch = id(basic("POST", "/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":"
                + "\"Launch\"}],\"gender\":\"female\",\"birthDate\":\"1961-02-03\"}"));
        String other = id(basic("POST", "/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":"
                + "\"Other\"}],\"gender\":\"male\",\"birthDate\":\"1962-03-04\"}"));
        String launchObservation = id(basic("POST", "/fhir/Observation", observation(launch, "")));
        String otherObservation = id(basic("POST", "/fhir/Observation", observation(other, "")));
        String pointing = id(basic("POST", "/fhir/Observation", observation(launch,
                ",\"hasMember\":[{\"reference\":\"Observation/" + otherObservation + "\"}]")));

        // The app launched for that patient, by the same user, with a read scope.
        String app = launchToken("clinician", "openid launch patient/*.read", launch);
        HttpResponse<String> own = bearer("GET", "/fhir/Observation?patient=" + launch, app, null);
        assertEquals(own.body(), 200, own.statusCode());
        String otherId = "\"id\":\"" + otherObservation + "\"";
        assertTrue(own.body(), own.body().contains(launchObservation) && !own.body().contains(otherId));
        HttpResponse<String> chart = bearer("GET", "/fhir/Patient/" + launch, app, null);
        assertEquals(chart.body(), 200, chart.statusCode());
        HttpResponse<String> unrestricted = bearer("GET", "/fhir/Observation?_count=100", app, null);
        assertEquals(unrestricted.body(), 200, unrestricted.statusCode());
        assertTrue(unrestricted.body(), unrestricted.body().contains(launchObservation));
        assertFalse("a search naming no patient holds the launch patient's only", unrestricted.body()
                .contains(otherId) || unrestricted.body().contains("Patient/" + other));
        HttpResponse<String> included = bearer("GET", "/fhir/Observation?_id=" + pointing
                + "&_include=Observation:has-member", app, null);
        assertEquals(included.body(), 200, included.statusCode());
        assertFalse("_include does not follow a reference out of the chart", included.body().contains(otherId));

        // Every way into the other chart: 403, saying the token is limited to the launch patient.
        for (String door : List.of("/fhir/Patient/" + other, "/fhir/Observation/" + otherObservation,
                "/fhir/Patient/" + other + "/$everything", "/fhir/Observation?patient=" + other,
                "/fhir/Observation?subject=Patient/" + other, "/fhir/Observation?patient=" + launch + "," + other,
                "/fhir/Patient?_id=" + other, "/fhir/Observation/" + otherObservation + "/_history")) {
            HttpResponse<String> refused = bearer("GET", door, app, null);
            assertEquals(door + ": " + refused.body(), 403, refused.statusCode());
            assertTrue(door + ": " + refused.body(), refused.body().contains("\"resourceType\":\"OperationOutcome\"")
                    && refused.body().contains("the token is limited to Patient/" + launch));
        }
        // Break-glass does not widen a token.
        HttpResponse<String> glass = send(HttpRequest.newBuilder(uri("/fhir/Patient/" + other))
                .header("Authorization", "Bearer " + app).header("X-Purpose-Of-Use", "BTG")
                .header("X-Break-Glass-Reason", "the app insists"));
        assertEquals(glass.body(), 403, glass.statusCode());
        // A read scope writes nothing, even in the launch patient's chart.
        HttpResponse<String> write = bearer("POST", "/fhir/Observation", app, observation(launch, ""));
        assertEquals(write.body(), 403, write.statusCode());
        assertTrue(write.body(), write.body().contains("do not permit CREATE Observation"));

        // Each refusal is in the trail, on the chart the app tried (the detail naming the launch patient is kept, as
        // every detail, as its digest: CareAccessTest checks its text).
        List<AuditEntry> denials = audit.search(new AuditQuery(null, "clinician", AuditAction.ACCESS_DENIED, null,
                null, 200));
        assertTrue("eight doors and the break-glass request: " + denials, denials.stream()
                .filter(e -> other.equals(e.event().patientId())).count() >= 9);
        assertTrue(denials.stream().noneMatch(e -> launch.equals(e.event().patientId())));

        // Patient scopes without a launch patient grant nothing, and say why.
        HttpResponse<String> noClaim = bearer("GET", "/fhir/Patient/" + launch,
                launchToken("clinician", "patient/*.read", null), null);
        assertEquals(noClaim.body(), 403, noClaim.statusCode());
        assertTrue(noClaim.body(), noClaim.body().contains("the token names no launch patient"));
        // Care relationships still apply: a user with none to the launch patient opens nothing.
        HttpResponse<String> stranger = bearer("GET", "/fhir/Patient/" + launch,
                launchToken("dr.smart", "patient/*.read", launch), null);
        assertEquals(stranger.body(), 403, stranger.statusCode());
        assertTrue(stranger.body(), stranger.body().contains("no care relationship with Patient/" + launch));
    }

    private HttpResponse<String> basic(String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/fhir+json")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "clinician:clinician".getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> bearer(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/fhir+json");
        }
        return send(request);
    }

    /** A token of the provider's SMART app launch for {@code user}, limited to {@code patient} when given. */
    private String launchToken(String user, String scope, String patient) throws Exception {
        String query = "?name=" + user + "&role=clinician&scope=" + java.net.URLEncoder.encode(scope,
                StandardCharsets.UTF_8) + (patient == null ? "" : "&patient=" + patient);
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(System.getProperty(LAUNCH) + query))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(token.body(), 200, token.statusCode());
        return token.body();
    }

    private static String observation(String patient, String more) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/" + patient
                + "\"},\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}" + more + "}";
    }

    private static String id(HttpResponse<String> created) {
        assertEquals(created.body(), 201, created.statusCode());
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
        assertTrue(created.body(), id.find());
        return id.group(1);
    }

    @Test
    public void theWebLoginCompletesTheCodeFlowWithPkceAndKeepsTheTokensOnTheServer() throws Exception {
        HttpResponse<String> options = send(HttpRequest.newBuilder(uri("/login/oidc/options")));
        assertEquals(200, options.statusCode());
        assertTrue(options.body(), options.body().contains("\"enabled\":true"));

        // 1. Panacea sends the browser to the provider, with PKCE, state and nonce; a cookie binds the state.
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri("/login/oidc")));
        assertEquals(302, start.statusCode());
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        Map<String, String> asked = query(authorize);
        assertEquals("S256", asked.get("code_challenge_method"));
        assertEquals(OidcProvider.CLIENT_ID, asked.get("client_id"));
        assertTrue(asked.containsKey("nonce"));
        String stateCookie = cookie(start, "panacea_login_state");
        assertEquals(asked.get("state"), stateCookie.substring(stateCookie.indexOf('=') + 1));

        // 2. The provider logs the user in (no form) and sends the browser back with a code.
        HttpResponse<String> provider = http.send(HttpRequest.newBuilder(authorize).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(provider.body(), 302, provider.statusCode());
        URI callback = URI.create(provider.headers().firstValue("Location").orElseThrow());
        assertEquals(uri("/login/oidc/callback").getPath(), callback.getPath());

        // A callback this browser did not start (no state cookie) is refused: login CSRF.
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(callback).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, foreign.statusCode());
        assertTrue(location(foreign), location(foreign).contains("/ui/#/login?sso_error=this+login+was+not+started"));
        assertTrue(foreign.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("panacea_session=")
                && c.length() > "panacea_session=; ".length() + 10));

        // 3. Panacea exchanges the code (with the verifier) and gives the browser an opaque session cookie.
        HttpResponse<String> back = http.send(HttpRequest.newBuilder(callback).header("Cookie", stateCookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(back.body(), 302, back.statusCode());
        assertEquals(uri("/ui/#/sso").toString(), location(back));
        String sessionCookie = cookie(back, "panacea_session");
        String setCookie = back.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("panacea_session=")).findFirst().orElseThrow();
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
        assertFalse("no token in the browser", sessionCookie.contains("eyJ"));

        // 4. The pages' scripts are the user with the roles of the token's claims.
        HttpRequest.Builder session = HttpRequest.newBuilder(uri("/api/session")).header("Cookie", sessionCookie)
                .header("X-Requested-With", "XMLHttpRequest");
        HttpResponse<String> who = send(session);
        assertEquals(who.body(), 200, who.statusCode());
        assertTrue(who.body(), who.body().contains("\"name\":\"nurse.oidc\""));
        assertTrue(who.body(), who.body().contains("\"roles\":[\"nurse\"]"));
        assertEquals("the cookie alone (a cross-site form) does not authenticate", 401,
                send(HttpRequest.newBuilder(uri("/api/session")).header("Cookie", sessionCookie)).statusCode());

        // The same callback again: its state is used up.
        HttpResponse<String> replay = http.send(HttpRequest.newBuilder(callback).header("Cookie", stateCookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(location(replay), location(replay).contains("/ui/#/login?sso_error="));

        // 5. Logging out ends the session on the server.
        HttpResponse<String> logout = send(HttpRequest.newBuilder(uri("/login/oidc/logout"))
                .header("Cookie", sessionCookie).header("X-Requested-With", "XMLHttpRequest")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, logout.statusCode());
        assertEquals(401, send(session).statusCode());
    }

    private List<AuditEntry> logins(String actor, AuditOutcome outcome) {
        return audit.search(new AuditQuery(null, actor, AuditAction.LOGIN, null, null, 100)).stream()
                .filter(entry -> entry.event().outcome() == outcome).toList();
    }

    /** Where a redirect sends the browser (Jetty makes the address absolute). */
    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    /** The {@code name=value} pair of a cookie the answer sets. */
    private static String cookie(HttpResponse<?> response, String name) {
        String header = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie: " + response.headers()));
        return header.substring(0, header.indexOf(';'));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}

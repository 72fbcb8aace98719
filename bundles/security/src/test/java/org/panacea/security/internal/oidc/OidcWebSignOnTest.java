package org.panacea.security.internal.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.Role;
import org.panacea.api.security.WebSignOn;
import org.panacea.security.internal.CallerSeals;
import org.panacea.testsupport.RecordingAuditTrail;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The web login's authorization code flow with PKCE against a real OpenID provider (mock-oauth2-server, which checks
 * the PKCE verifier against the challenge and issues its code without a login form).
 */
class OidcWebSignOnTest {

    private static final URI CALLBACK = URI.create("http://127.0.0.1:8181/login/oidc/callback");

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final CallerSeals seals = new CallerSeals();
    private MockOAuth2Server server;
    private IdentityProvider provider;
    private OidcBearerAuthentication bearer;
    private OidcWebSignOn signOn;

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
        provider = new IdentityProvider(server.issuerUrl("hospital").toString(), "panacea-api",
                Duration.ofSeconds(30), Duration.ofMinutes(15), http);
        bearer = new OidcBearerAuthentication(provider,
                new ClaimMapping("preferred_username", "roles", "Nurses=nurse"), false, seals, audit,
                Clock.systemUTC());
        signOn = node();
    }

    /** A node's sign-on: every one made by a test shares the test's security database, as cluster nodes do. */
    private OidcWebSignOn node() {
        return new OidcWebSignOn(provider, bearer, "panacea-web", "", "openid profile", http,
                SignOnDatabase.store(folder, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private void nextLoginIs(String name) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback("hospital", "subject-" + name, "JWT",
                List.of("panacea-api"), Map.of("preferred_username", name, "roles", List.of("Nurses"),
                        "scope", "openid user/*.rs"), 600));
    }

    /** The browser's visit to the provider: its redirect back, with the code and the state, as query parameters. */
    private Map<String, String> visit(URI authorization) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer.body());
        URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertEquals(CALLBACK.getPath(), back.getPath());
        return query(back);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Test
    void theCodeFlowWithPkceGivesASessionWhoseCallerComesFromTheAccessToken() throws Exception {
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization authorization = signOn.begin(CALLBACK);
        Map<String, String> asked = query(authorization.location());
        assertEquals("code", asked.get("response_type"));
        assertEquals("panacea-web", asked.get("client_id"));
        assertEquals("S256", asked.get("code_challenge_method"));
        assertEquals(43, asked.get("code_challenge").length(), "base64url of a SHA-256");
        assertEquals(authorization.state(), asked.get("state"));
        assertTrue(asked.get("nonce").length() >= 43);
        assertTrue(asked.get("scope").contains("openid"));

        Map<String, String> back = visit(authorization.location());
        assertEquals(authorization.state(), back.get("state"));
        String session = signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");

        Caller caller = signOn.caller(session, "10.0.0.5").orElseThrow();
        assertEquals("nurse.joy", caller.name());
        assertEquals(Set.of(Role.NURSE), caller.roles());
        assertEquals(Set.of("user/*.rs"), caller.scopes());
        assertTrue(seals.issued(caller));
        assertEquals(AuditOutcome.SUCCESS, audit.single().outcome());
        assertEquals(AuditAction.LOGIN, audit.single().action());

        assertTrue(signOn.caller("someone-elses-guess", "10.0.0.5").isEmpty());
        signOn.end(session);
        assertTrue(signOn.caller(session, "10.0.0.5").isEmpty(), "an ended session gives no caller");
    }

    @Test
    void aStateIsUsedOnceAndAnUnknownOneIsRefused() throws Exception {
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization authorization = signOn.begin(CALLBACK);
        Map<String, String> back = visit(authorization.location());
        signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");
        String replay = assertThrows(InvalidTokenException.class,
                () -> signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5")).getMessage();
        assertTrue(replay.contains("unknown, already used or expired"), replay);
        assertThrows(InvalidTokenException.class, () -> signOn.complete("code", "made-up", CALLBACK, "10.0.0.5"));
        assertThrows(InvalidTokenException.class, () -> signOn.complete("code", null, CALLBACK, "10.0.0.5"));
    }

    @Test
    void aCodeIssuedForAnotherLoginFailsThePkceCheck() throws Exception {
        // An attacker injects the code of their own login (challenge of verifier A) into the victim's callback
        // (state of login B, verifier B): the provider refuses the exchange, so no session is made.
        nextLoginIs("attacker");
        WebSignOn.Authorization attackers = signOn.begin(CALLBACK);
        WebSignOn.Authorization victims = signOn.begin(CALLBACK);
        String injectedCode = visit(attackers.location()).get("code");
        String refused = assertThrows(InvalidTokenException.class,
                () -> signOn.complete(injectedCode, victims.state(), CALLBACK, "10.0.0.5")).getMessage();
        assertTrue(refused.contains("refused the authorization code"), refused);
    }

    @Test
    void aCallbackToAnotherAddressThanTheLoginWasSentToIsRefused() throws Exception {
        WebSignOn.Authorization authorization = signOn.begin(CALLBACK);
        String refused = assertThrows(InvalidTokenException.class, () -> signOn.complete("code",
                authorization.state(), URI.create("https://evil.example/login/oidc/callback"), "10.0.0.5"))
                .getMessage();
        assertTrue(refused.contains("not to where it was sent"), refused);
    }

    @Test
    void aFloodOfStartedLoginsCannotLockOthersOut() throws Exception {
        signOn = new OidcWebSignOn(provider, bearer, "panacea-web", "", "openid profile", http,
                SignOnDatabase.store(folder, Clock.systemUTC()), Clock.systemUTC(), 50);
        WebSignOn.Authorization first = signOn.begin(CALLBACK);
        for (int i = 0; i < 50; i++) {
            signOn.begin(CALLBACK); // anonymous starts, never completed
        }
        assertThrows(InvalidTokenException.class, () -> signOn.complete("code", first.state(), CALLBACK, "10.0.0.5"),
                "the oldest start made room");
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization mine = signOn.begin(CALLBACK);
        Map<String, String> back = visit(mine.location());
        String session = signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");
        assertEquals("nurse.joy", signOn.caller(session, "10.0.0.5").orElseThrow().name());
    }

    @Test
    void aLoginStartedOnOneNodeCompletesOnAnotherAndItsSessionHoldsAndEndsOnEvery() throws Exception {
        OidcWebSignOn nodeA = node();
        OidcWebSignOn nodeB = node();
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization authorization = nodeA.begin(CALLBACK);
        Map<String, String> back = visit(authorization.location());

        String session = nodeB.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");
        assertThrows(InvalidTokenException.class, () -> nodeA.complete(back.get("code"), back.get("state"), CALLBACK,
                "10.0.0.5"), "the state is used once across the nodes");

        assertEquals("nurse.joy", nodeA.caller(session, "10.0.0.5").orElseThrow().name());
        assertEquals("nurse.joy", nodeB.caller(session, "10.0.0.6").orElseThrow().name());
        nodeA.end(session);
        assertTrue(nodeB.caller(session, "10.0.0.5").isEmpty(), "logging out on one node ends the session on all");
    }

    @Test
    void theDatabaseHoldsNoSessionIdTokenVerifierOrStateInClear() throws Exception {
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization authorization = signOn.begin(CALLBACK);
        String state = authorization.state();
        String pendingRows = rows();
        assertFalse(pendingRows.contains(state), "the state");
        assertFalse(pendingRows.contains(query(authorization.location()).get("nonce")), "the nonce");
        Map<String, String> back = visit(authorization.location());
        String session = signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");

        String sessionRows = rows();
        assertFalse(sessionRows.isEmpty());
        assertFalse(sessionRows.contains(session), "the session id");
        assertFalse(sessionRows.contains("eyJ"), "no JWT (access token) in clear");
        assertFalse(sessionRows.contains("nurse.joy"), "no user name");
    }

    @Test
    void aSealedRowMovedToAnotherIdOpensNothing() throws Exception {
        // Someone who may write the database copies a session's sealed token to a row keyed by an id they know: the
        // seal is bound to its row, so the copy gives no caller.
        nextLoginIs("nurse.joy");
        WebSignOn.Authorization authorization = signOn.begin(CALLBACK);
        Map<String, String> back = visit(authorization.location());
        signOn.complete(back.get("code"), back.get("state"), CALLBACK, "10.0.0.5");
        try (Connection connection = derby().getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO " + SharedSignOnStore.TABLE + " (ID_HASH, KIND, EXPIRES, SEALED) "
                    + "SELECT '" + SharedSignOnStore.hash("known-id") + "', KIND, EXPIRES, SEALED FROM "
                    + SharedSignOnStore.TABLE + " WHERE KIND = 'S'");
        }
        assertTrue(signOn.caller("known-id", "10.0.0.5").isEmpty());
    }

    private EmbeddedDataSource derby() {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("security-db").toString());
        return dataSource;
    }

    /** Every row of the sign-on table, all columns, as text. */
    private String rows() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = derby().getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + SharedSignOnStore.TABLE)) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    text.append(rows.getString(column)).append('|');
                }
                text.append('\n');
            }
        }
        return text.toString();
    }
}

package org.panacea.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The hospital's identity provider for {@link OidcIT}: mock-oauth2-server, a real OpenID provider (discovery, JWKS,
 * authorization and token endpoints), started in the test's own JVM (never in Karaf), which it serves for the whole
 * run. Only the test's {@code @Configuration} touches this class: the tokens it issues reach the container as system
 * properties, so the probe inside Karaf needs none of the provider's classes.
 */
final class OidcProvider {

    static final String ISSUER_ID = "hospital";
    static final String AUDIENCE = "panacea-api";
    static final String CLIENT_ID = "panacea-web";

    private static MockOAuth2Server server;
    private static HttpServer launches;

    private OidcProvider() {
    }

    /** Starts the provider (once) and returns its issuer URL. */
    static synchronized String start() {
        if (server == null) {
            server = new MockOAuth2Server();
            server.start();
            MockOAuth2Server started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
        }
        return server.issuerUrl(ISSUER_ID).toString();
    }

    private static String token(List<String> audience, Map<String, Object> claims, long expirySeconds) {
        return server.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-"
                + claims.get("preferred_username"), JOSEObjectType.JWT.getType(), audience, claims, expirySeconds))
                .serialize();
    }

    /**
     * Starts (once) the provider's SMART app launch for the test, on this host only, and returns its address:
     * {@code GET <address>?name=&role=&scope=[&patient=]} answers a token of the provider for that user, whose
     * {@code patient} claim (when given) names the launch patient. A launch needs a patient the test creates in the
     * running distribution, whose id no token issued before the boot could know.
     */
    static synchronized String startLaunches() throws IOException {
        start();
        if (launches == null) {
            launches = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            launches.createContext("/launch", OidcProvider::launch);
            launches.start();
            HttpServer started = launches;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.stop(0)));
        }
        return "http://127.0.0.1:" + launches.getAddress().getPort() + "/launch";
    }

    private static void launch(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1),
                        StandardCharsets.UTF_8));
            }
        }
        Map<String, Object> claims = new LinkedHashMap<>(person(query.get("name"), query.get("role"),
                query.get("scope")));
        if (query.containsKey("patient")) {
            claims.put("patient", query.get("patient"));
        }
        byte[] token = token(List.of(AUDIENCE), claims, 3600).getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, token.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(token);
        }
    }

    private static Map<String, Object> person(String name, String role, String scope) {
        return Map.of("preferred_username", name, "roles", List.of(role), "scope", scope);
    }

    /**
     * The tokens the test presents, by name: good ones (a clinician with {@code user/*.*}, one with only
     * {@code user/*.read}) and bad ones (another issuer, another audience, expired, unsigned, signed by a key the
     * provider does not publish).
     */
    static Map<String, String> tokens() throws Exception {
        String issuer = start();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("clinician", token(List.of(AUDIENCE), person("dr.oidc", "clinician", "openid user/*.*"), 3600));
        tokens.put("reader", token(List.of(AUDIENCE), person("dr.reader", "clinician", "openid user/*.read"), 3600));
        Map<String, Object> elsewhere = new LinkedHashMap<>(person("dr.elsewhere", "clinician", "user/*.*"));
        elsewhere.put("iss", "http://localhost:1/other-hospital"); // signed by the right key, names another issuer
        tokens.put("wrongIssuer", token(List.of(AUDIENCE), elsewhere, 3600));
        tokens.put("wrongAudience", token(List.of("billing-system"), person("dr.billing", "clinician", "user/*.*"),
                3600));
        tokens.put("expired", token(List.of(AUDIENCE), person("dr.late", "clinician", "user/*.*"), -600));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject("subject-forger")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                .claim("preferred_username", "dr.forger").claim("roles", List.of("clinician"))
                .claim("scope", "user/*.*").build();
        tokens.put("unsigned", new PlainJWT(claims).serialize());
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("not-the-hospitals").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        forged.sign(new RSASSASigner(stranger));
        tokens.put("unknownKey", forged.serialize());
        // The web login's code exchange: the provider issues the next tokens with these claims.
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-nurse.oidc",
                JOSEObjectType.JWT.getType(), List.of(AUDIENCE), person("nurse.oidc", "nurse", "openid user/*.rs"),
                3600));
        return tokens;
    }
}

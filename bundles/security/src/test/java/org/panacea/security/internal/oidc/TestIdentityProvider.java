package org.panacea.security.internal.oidc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal OpenID provider on the loopback interface for the validator's tests: discovery document and JWKS over real
 * HTTP, keys that can be rotated, and tokens signed with them. Counts the JWKS reads.
 */
final class TestIdentityProvider implements AutoCloseable {

    private final HttpServer server;
    private final List<RSAKey> published = new ArrayList<>();
    private final AtomicInteger keyReads = new AtomicInteger();
    private volatile String announcedIssuer;

    TestIdentityProvider() throws IOException, JOSEException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realm/.well-known/openid-configuration", exchange -> send(exchange,
                "{\"issuer\":\"" + announcedIssuer + "\",\"jwks_uri\":\"" + issuer() + "/jwks\","
                        + "\"authorization_endpoint\":\"" + issuer() + "/authorize\","
                        + "\"token_endpoint\":\"" + issuer() + "/token\"}"));
        server.createContext("/realm/jwks", exchange -> {
            keyReads.incrementAndGet();
            List<JWK> keys;
            synchronized (published) {
                keys = published.stream().map(k -> (JWK) k.toPublicJWK()).toList();
            }
            send(exchange, new JWKSet(keys).toString());
        });
        server.start();
        announcedIssuer = issuer();
        rotate();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realm";
    }

    /** Makes the discovery document name another issuer (a provider speaking for someone else). */
    void announceIssuer(String issuer) {
        announcedIssuer = issuer;
    }

    int keyReads() {
        return keyReads.get();
    }

    /** Publishes a new signing key beside the old ones and signs with it from now on. */
    RSAKey rotate() throws JOSEException {
        RSAKey key = newKey();
        synchronized (published) {
            published.add(key);
        }
        return key;
    }

    RSAKey current() {
        synchronized (published) {
            return published.get(published.size() - 1);
        }
    }

    static RSAKey newKey() throws JOSEException {
        return new RSAKeyGenerator(2048).keyID("key-" + System.nanoTime()).generate();
    }

    /** Claims of a good token for the audience {@code panacea}, expiring in five minutes. */
    JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).audience("panacea").subject("f3c9-subject")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("preferred_username", "dr.house").claim("roles", List.of("clinician", "Physicians-Other"))
                .claim("scope", "openid profile user/*.read");
    }

    String sign(JWTClaimsSet claims) throws JOSEException {
        return sign(claims, current());
    }

    static String sign(JWTClaimsSet claims, RSAKey key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

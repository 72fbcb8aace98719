package org.panacea.security.internal.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.Caller;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.WebSignOn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The web pages' OpenID Connect login: authorization code flow with PKCE ({@code S256}), state and nonce. A started
 * login is remembered by its state for {@link #LOGIN_LIFETIME} and can be completed once. The tokens stay here: the
 * browser gets an opaque session id, and each of its requests is checked with the session's access token as a bearer
 * token would be, so a session ends when its access token expires (there is no refresh; the user logs in again).
 * <p>
 * Logins in progress and sessions are kept in the security database that all nodes share ({@link SharedSignOnStore}),
 * with their secrets sealed: behind a load balancer a login may start on one node and complete on another, and a
 * session opened on one node is honoured, and ended, on every node. Thread-safe.
 */
final class OidcWebSignOn implements WebSignOn {

    static final Duration LOGIN_LIFETIME = Duration.ofMinutes(10);
    /** Bounds the logins in progress and the sessions kept by default: a flood of starts must not grow them. */
    static final int MAX_ENTRIES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** A started login: what its callback is checked against. */
    private record PendingLogin(String codeVerifier, String nonce, URI redirectUri) {
    }

    private final int maxEntries;
    private final IdentityProvider provider;
    private final BearerTokenAuthentication bearer;
    private final String clientId;
    private final String clientSecret;
    private final String scopes;
    private final HttpClient http;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final SharedSignOnStore store;

    OidcWebSignOn(IdentityProvider provider, BearerTokenAuthentication bearer, String clientId, String clientSecret,
            String scopes, HttpClient http, SharedSignOnStore store, Clock clock) {
        this(provider, bearer, clientId, clientSecret, scopes, http, store, clock, MAX_ENTRIES);
    }

    /** @param maxEntries the most logins in progress, and the most sessions, kept */
    OidcWebSignOn(IdentityProvider provider, BearerTokenAuthentication bearer, String clientId, String clientSecret,
            String scopes, HttpClient http, SharedSignOnStore store, Clock clock, int maxEntries) {
        this.maxEntries = maxEntries;
        this.store = store;
        this.provider = provider;
        this.bearer = bearer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scopes = scopes.contains("openid") ? scopes : "openid " + scopes;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Authorization begin(URI redirectUri) {
        URI endpoint = provider.metadata().authorizationEndpoint();
        if (endpoint == null) {
            throw new InvalidTokenException("the identity provider publishes no authorization_endpoint");
        }
        Instant now = clock.instant();
        String state = randomToken();
        String nonce = randomToken();
        String verifier = randomToken();
        // Anyone may start a login without credentials: at the bound the oldest starts make room (see the store).
        store.put(SharedSignOnStore.Kind.LOGIN, state, JSON.createObjectNode().put("verifier", verifier)
                .put("nonce", nonce).put("redirectUri", redirectUri.toString()).toString(), now.plus(LOGIN_LIFETIME),
                maxEntries);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", redirectUri.toString());
        query.put("scope", scopes);
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", codeChallenge(verifier));
        query.put("code_challenge_method", "S256");
        String separator = endpoint.getRawQuery() == null ? "?" : "&";
        return new Authorization(URI.create(endpoint + separator + form(query)), state);
    }

    @Override
    public String complete(String code, String state, URI redirectUri, String clientAddress) {
        PendingLogin login = state == null ? null : store.take(SharedSignOnStore.Kind.LOGIN, state) // once only
                .map(OidcWebSignOn::pendingLogin).orElse(null);
        if (login == null) {
            throw new InvalidTokenException("this login's state is unknown, already used or expired: start the "
                    + "login again");
        }
        if (!login.redirectUri().equals(redirectUri)) {
            throw new InvalidTokenException("the login came back to " + redirectUri + ", not to where it was sent");
        }
        if (code == null || code.isBlank()) {
            throw new InvalidTokenException("the identity provider sent no authorization code");
        }
        JsonNode tokens = exchange(code, login);
        String idToken = tokens.path("id_token").asText("");
        String accessToken = tokens.path("access_token").asText("");
        if (idToken.isEmpty() || accessToken.isEmpty()) {
            throw new InvalidTokenException("the identity provider's token response lacks an id_token or an "
                    + "access_token");
        }
        JWTClaimsSet id = provider.verifyIdToken(idToken, clientId, login.nonce());
        // Checked as every bearer token is (issuer, audience, roles, scopes), and its login audited.
        bearer.authenticate(accessToken, clientAddress);
        JWTClaimsSet access = provider.verifyAccessToken(accessToken);
        if (!id.getSubject().equals(access.getSubject())) {
            throw new InvalidTokenException("the ID token and the access token name different subjects");
        }
        String sessionId = randomToken();
        store.put(SharedSignOnStore.Kind.SESSION, sessionId, accessToken, access.getExpirationTime().toInstant(),
                maxEntries);
        return sessionId;
    }

    private static PendingLogin pendingLogin(String secrets) {
        try {
            JsonNode json = JSON.readTree(secrets);
            return new PendingLogin(json.path("verifier").asText(), json.path("nonce").asText(),
                    URI.create(json.path("redirectUri").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("a started login's stored state cannot be read", e);
        }
    }

    /** The token request (RFC 6749 4.1.3 with the PKCE verifier, RFC 7636 4.5). */
    private JsonNode exchange(String code, PendingLogin login) {
        URI endpoint = provider.metadata().tokenEndpoint();
        if (endpoint == null) {
            throw new InvalidTokenException("the identity provider publishes no token_endpoint");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", login.redirectUri().toString());
        form.put("code_verifier", login.codeVerifier());
        form.put("client_id", clientId);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(IssuerDiscovery.TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (!clientSecret.isEmpty()) {
            // client_secret_basic, the method every provider must support (OpenID Connect Core 9)
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((encode(clientId) + ":"
                    + encode(clientSecret)).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new InvalidTokenException("the identity provider refused the authorization code (HTTP "
                        + response.statusCode() + ", " + json.path("error").asText("no error code") + ")");
            }
            return json;
        } catch (IOException e) {
            throw new InvalidTokenException("the identity provider's token endpoint cannot be reached: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("interrupted while exchanging the authorization code", e);
        }
    }

    @Override
    public Optional<Caller> caller(String sessionId, String clientAddress) {
        Optional<String> accessToken = sessionId == null ? Optional.empty()
                : store.get(SharedSignOnStore.Kind.SESSION, sessionId);
        if (accessToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(bearer.authenticate(accessToken.get(), clientAddress));
        } catch (InvalidTokenException refused) {
            store.remove(sessionId);
            return Optional.empty();
        }
    }

    @Override
    public void end(String sessionId) {
        if (sessionId != null) {
            store.remove(sessionId);
        }
    }

    /** 256 random bits, base64url: states, nonces, PKCE verifiers (43 characters, RFC 7636 4.1) and session ids. */
    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    static String codeChallenge(String verifier) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

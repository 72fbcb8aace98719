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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * Logins in progress and sessions live in this node's memory: behind a load balancer, the web login needs sticky
 * sessions (bearer tokens do not). Thread-safe.
 */
final class OidcWebSignOn implements WebSignOn {

    static final Duration LOGIN_LIFETIME = Duration.ofMinutes(10);
    /** Bounds the memory of logins in progress and of sessions by default: a flood of starts must not grow it. */
    static final int MAX_ENTRIES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** A started login: what its callback is checked against. */
    private record PendingLogin(String codeVerifier, String nonce, URI redirectUri, Instant expires) {
    }

    /** A logged-in browser: its access token (never sent to the browser) and when that expires. */
    private record Session(String accessToken, Instant expires) {
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
    /** Started logins by state, oldest first (all live equally long, so also in order of expiry); guarded by itself. */
    private final LinkedHashMap<String, PendingLogin> pending = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    OidcWebSignOn(IdentityProvider provider, BearerTokenAuthentication bearer, String clientId, String clientSecret,
            String scopes, HttpClient http, Clock clock) {
        this(provider, bearer, clientId, clientSecret, scopes, http, clock, MAX_ENTRIES);
    }

    /** @param maxEntries the most logins in progress, and the most sessions, this node keeps */
    OidcWebSignOn(IdentityProvider provider, BearerTokenAuthentication bearer, String clientId, String clientSecret,
            String scopes, HttpClient http, Clock clock, int maxEntries) {
        this.maxEntries = maxEntries;
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
        synchronized (pending) {
            Iterator<PendingLogin> oldestFirst = pending.values().iterator();
            while (oldestFirst.hasNext()) {
                PendingLogin oldest = oldestFirst.next();
                // Anyone may start a login without credentials: at the bound the oldest start makes room, so a flood
                // of starts cannot lock everyone else out (it can only cut short logins older than the flood).
                if (oldest.expires().isAfter(now) && pending.size() < maxEntries) {
                    break;
                }
                oldestFirst.remove();
            }
            pending.put(state, new PendingLogin(verifier, nonce, redirectUri, now.plus(LOGIN_LIFETIME)));
        }
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
        PendingLogin login;
        synchronized (pending) {
            login = state == null ? null : pending.remove(state); // once only
        }
        if (login == null || login.expires().isBefore(clock.instant())) {
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
        Instant now = clock.instant();
        sessions.values().removeIf(session -> session.expires().isBefore(now));
        if (sessions.size() >= maxEntries) {
            throw new InvalidTokenException("too many web sessions are open on this node; try again later");
        }
        String sessionId = randomToken();
        sessions.put(sessionId, new Session(accessToken, access.getExpirationTime().toInstant()));
        return sessionId;
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
        Session session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expires().isBefore(clock.instant())) {
            sessions.remove(sessionId);
            return Optional.empty();
        }
        try {
            return Optional.of(bearer.authenticate(session.accessToken(), clientAddress));
        } catch (InvalidTokenException refused) {
            sessions.remove(sessionId);
            return Optional.empty();
        }
    }

    @Override
    public void end(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
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

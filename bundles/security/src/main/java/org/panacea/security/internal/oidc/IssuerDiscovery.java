package org.panacea.security.internal.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.panacea.api.security.InvalidTokenException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an OpenID provider's metadata (OpenID Connect Discovery 1.0):
 * {@code <issuer>/.well-known/openid-configuration}. The document must name the configured issuer exactly, as the
 * specification requires, so that a provider cannot speak for another.
 */
final class IssuerDiscovery {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private IssuerDiscovery() {
    }

    /**
     * Checks that an issuer URL may be trusted at all: absolute, https, no query or fragment. Plain http only for a
     * provider on this host (a test set-up), since keys read over plain http could be anyone's.
     *
     * @throws IllegalArgumentException with the reason
     */
    static URI checkIssuer(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("issuer '" + issuer + "' is not a URL", e);
        }
        String host = uri.getHost();
        boolean local = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && local)) {
            throw new IllegalArgumentException("issuer '" + issuer + "' must be an https URL (plain http only for a "
                    + "provider on this host)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer '" + issuer + "' must have no query or fragment");
        }
        return uri;
    }

    static IssuerMetadata discover(HttpClient http, String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI document = URI.create(base + "/.well-known/openid-configuration");
        JsonNode json;
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(document).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new InvalidTokenException("the identity provider's configuration " + document + " answered HTTP "
                        + response.statusCode());
            }
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new InvalidTokenException("the identity provider's configuration " + document
                    + " cannot be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("interrupted while reading " + document, e);
        }
        String named = json.path("issuer").asText("");
        if (!issuer.equals(named)) {
            throw new InvalidTokenException("the identity provider's configuration " + document + " names issuer '"
                    + named + "', not the configured '" + issuer + "'");
        }
        String jwks = json.path("jwks_uri").asText("");
        if (jwks.isEmpty()) {
            throw new InvalidTokenException("the identity provider's configuration " + document + " has no jwks_uri");
        }
        return new IssuerMetadata(named, URI.create(jwks), optional(json, "authorization_endpoint"),
                optional(json, "token_endpoint"));
    }

    private static URI optional(JsonNode json, String field) {
        String value = json.path(field).asText("");
        return value.isEmpty() ? null : URI.create(value);
    }
}

package org.panacea.api.security;

import java.net.URI;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The web pages' login through the hospital's identity provider: the OpenID Connect authorization code flow with PKCE
 * ({@code S256}), a {@code state} and a {@code nonce}. The tokens stay on the server; the browser holds only an opaque
 * session id. Registered only while single sign-on is configured with a client id. Thread-safe.
 *
 * @since 2.3
 */
@ProviderType
public interface WebSignOn {

    /** Where to send the browser to log in, and the state the callback must bring back. */
    record Authorization(URI location, String state) {
    }

    /**
     * Starts a login: a fresh state, nonce and PKCE verifier, remembered for a few minutes.
     *
     * @param redirectUri the callback address the identity provider returns the browser to
     */
    Authorization begin(URI redirectUri);

    /**
     * Finishes a login: checks the state, exchanges the code (with the PKCE verifier) at the token endpoint, checks the
     * ID token (signature, issuer, audience, nonce) and the access token as {@link BearerTokenAuthentication} does.
     *
     * @return the id of the new session (opaque, unguessable)
     * @throws InvalidTokenException when the state is unknown or used, the code is refused, or a token is invalid
     */
    String complete(String code, String state, URI redirectUri, String clientAddress) throws InvalidTokenException;

    /**
     * The caller of a session, issued afresh for this request's address; empty when the session is unknown, ended or
     * its access token expired.
     */
    Optional<Caller> caller(String sessionId, String clientAddress);

    /** Ends a session; ending an unknown one does nothing. */
    void end(String sessionId);
}

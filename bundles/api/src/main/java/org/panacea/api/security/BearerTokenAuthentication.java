package org.panacea.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Issues {@link Caller}s for OpenID Connect bearer tokens ({@code Authorization: Bearer ...}) from the hospital's
 * identity provider. Registered only while single sign-on is configured ({@code etc/org.panacea.oidc.cfg}); without
 * it no token is accepted. Every refusal is audited like a failed login (the token itself is never recorded), and the
 * first use of each accepted token like a successful one. Thread-safe.
 * <p>
 * Hidden from plugin bundles, like {@link CallerAuthentication}.
 *
 * @since 2.3
 */
@ProviderType
public interface BearerTokenAuthentication {

    /**
     * Checks the token's signature against the issuer's published keys, its issuer, audience and lifetime, and maps
     * its claims to a login name, Panacea roles and SMART on FHIR scopes.
     *
     * @param token         the compact serialisation of the token (three base64url parts), without {@code Bearer }
     * @param clientAddress the network address the request came from
     * @return the caller, sealed by the security bundle, whose {@link Caller#scopes()} are the token's SMART scopes
     * @throws InvalidTokenException when the token is refused; its message says why, without repeating the token
     */
    Caller authenticate(String token, String clientAddress) throws InvalidTokenException;
}

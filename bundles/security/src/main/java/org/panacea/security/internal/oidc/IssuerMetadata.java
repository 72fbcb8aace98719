package org.panacea.security.internal.oidc;

import java.net.URI;

/**
 * What an OpenID provider publishes about itself at {@code /.well-known/openid-configuration}, as far as Panacea uses
 * it.
 *
 * @param issuer                the issuer, as its tokens name it
 * @param jwksUri               where its signing keys are published (JWKS)
 * @param authorizationEndpoint where the browser goes to log in; {@code null} when the provider publishes none
 * @param tokenEndpoint         where a code is exchanged for tokens; {@code null} when the provider publishes none
 */
record IssuerMetadata(String issuer, URI jwksUri, URI authorizationEndpoint, URI tokenEndpoint) {
}

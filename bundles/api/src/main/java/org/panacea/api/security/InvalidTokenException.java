package org.panacea.api.security;

/**
 * A bearer token, or the answer of the identity provider during a web sign-on, was refused: bad signature, unknown
 * key, wrong issuer or audience, expired, unsigned, unreadable, a state or nonce that does not match. HTTP answers it
 * with 401 and {@code WWW-Authenticate: Bearer error="invalid_token"}. The message says what is wrong in words a
 * client's developer acts on, and never contains the token.
 *
 * @since 2.3
 */
public class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.panacea.security.internal.oidc;

import java.net.MalformedURLException;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.panacea.api.security.InvalidTokenException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * One OpenID provider, as Panacea trusts it: its metadata (discovered on first use, so a provider that is down at
 * start-up costs no restart), its signing keys (read from its JWKS, kept for a while and read again at once when a
 * token names a key not among them, at most every 30 s), and the checks every token passes: a signature by one of
 * those keys with a public-key algorithm (no {@code alg: none}, no HMAC, so a public key can never serve as an HMAC
 * secret), the exact issuer, the audience, and {@code exp} / {@code nbf} / {@code iat} within a small clock skew.
 * Thread-safe.
 */
final class IdentityProvider {

    /** Public-key signatures only: HMAC would let anyone holding the (public) JWKS forge a token. */
    static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    /** Plain JWTs and RFC 9068 access tokens; a token without {@code typ} is accepted, as most providers send. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);

    private static final int KEYS_TIMEOUT_MILLIS = 5_000;
    private static final int KEYS_MAX_BYTES = 512 * 1024;
    private static final long KEYS_REFRESH_MIN_INTERVAL_MILLIS = 30_000;

    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Duration keysCache;
    private final HttpClient http;
    private volatile Discovered discovered;

    /** The metadata and the key source made from it. */
    private record Discovered(IssuerMetadata metadata, JWKSource<SecurityContext> keys) {
    }

    IdentityProvider(String issuer, String audience, Duration clockSkew, Duration keysCache, HttpClient http) {
        this.issuer = IssuerDiscovery.checkIssuer(issuer).toString();
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("audience is empty: name the aud value Panacea's tokens carry");
        }
        this.audience = audience.strip();
        this.clockSkew = clockSkew;
        this.keysCache = keysCache;
        this.http = http;
    }

    String issuer() {
        return issuer;
    }

    /** The provider's metadata, read on first use; a failed read is tried again on the next use. */
    IssuerMetadata metadata() {
        return discovered().metadata();
    }

    private Discovered discovered() {
        Discovered current = discovered;
        if (current == null) {
            synchronized (this) {
                current = discovered;
                if (current == null) {
                    IssuerMetadata metadata = IssuerDiscovery.discover(http, issuer);
                    current = new Discovered(metadata, keySource(metadata));
                    discovered = current;
                }
            }
        }
        return current;
    }

    private JWKSource<SecurityContext> keySource(IssuerMetadata metadata) {
        try {
            return JWKSourceBuilder
                    .create(metadata.jwksUri().toURL(),
                            new DefaultResourceRetriever(KEYS_TIMEOUT_MILLIS, KEYS_TIMEOUT_MILLIS, KEYS_MAX_BYTES))
                    .cache(keysCache.toMillis(), TimeUnit.SECONDS.toMillis(15))
                    .rateLimited(KEYS_REFRESH_MIN_INTERVAL_MILLIS)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new InvalidTokenException("the identity provider's jwks_uri " + metadata.jwksUri()
                    + " is not a URL", e);
        }
    }

    /** Checks an access token (a bearer token): its audience must be Panacea's. */
    JWTClaimsSet verifyAccessToken(String token) {
        return verify(token, audience, new JWTClaimsSet.Builder().issuer(issuer).build(), "bearer token");
    }

    /** Checks an ID token of the web login: its audience is the client, and its nonce the login's. */
    JWTClaimsSet verifyIdToken(String token, String clientId, String nonce) {
        return verify(token, clientId, new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build(),
                "ID token");
    }

    private JWTClaimsSet verify(String token, String expectedAudience, JWTClaimsSet exact, String what) {
        SignedJWT signed = signed(token, what);
        Discovered current = discovered();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED_ALGORITHMS, current.keys()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(expectedAudience, exact,
                Set.of("sub", "exp"));
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return processor.process(signed, null);
        } catch (BadJWTException claimsRefused) {
            throw new InvalidTokenException(describe(claimsRefused, signed, expectedAudience, what), claimsRefused);
        } catch (BadJOSEException signatureRefused) {
            throw new InvalidTokenException("the " + what + " is signed by a key (kid "
                    + signed.getHeader().getKeyID() + ") that the issuer does not publish, or its signature is wrong",
                    signatureRefused);
        } catch (JOSEException keysUnavailable) {
            throw new InvalidTokenException("the " + what + "'s signature cannot be checked now: the identity "
                    + "provider's keys cannot be read (" + keysUnavailable.getMessage() + ")", keysUnavailable);
        }
    }

    /** The token parsed, if it is signed with an accepted algorithm; otherwise why not. */
    private static SignedJWT signed(String token, String what) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("the " + what + " is not a JWT (three base64url parts of JSON)", e);
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new InvalidTokenException("the " + what + " is not signed (alg none or encrypted): refused");
        }
        JWSHeader header = signed.getHeader();
        if (!ACCEPTED_ALGORITHMS.contains(header.getAlgorithm())) {
            throw new InvalidTokenException("the " + what + " is signed with " + header.getAlgorithm()
                    + "; only the issuer's public-key signatures (RS, PS, ES, EdDSA) are accepted");
        }
        return signed;
    }

    /** The claim that failed, in words; nimbus's own message where no clearer one is known. */
    private String describe(BadJWTException refused, SignedJWT signed, String expectedAudience, String what) {
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return "the " + what + "'s claims are not a JSON object";
        }
        String message = refused.getMessage() == null ? "" : refused.getMessage();
        if (!issuer.equals(claims.getIssuer())) {
            return "the " + what + " was issued by '" + claims.getIssuer() + "', not by the configured issuer";
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(expectedAudience)) {
            return "the " + what + "'s audience " + claims.getAudience() + " does not include '" + expectedAudience
                    + "'";
        }
        if (message.startsWith("Expired")) {
            return "the " + what + " expired at " + claims.getExpirationTime().toInstant();
        }
        if (message.contains("before use time")) {
            return "the " + what + " is not valid before " + claims.getNotBeforeTime().toInstant();
        }
        return "the " + what + " is refused: " + message;
    }
}

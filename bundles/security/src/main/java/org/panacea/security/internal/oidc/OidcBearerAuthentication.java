package org.panacea.security.internal.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.Caller;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.Role;
import org.panacea.security.internal.CallerSeals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;

/**
 * Bearer tokens of the configured OpenID provider, turned into sealed callers. Audited like the realm's logins: each
 * refusal is a {@code LOGIN} entry with outcome {@code DENIED} naming the login name the token claimed (unverified, as
 * a failed password login names the user it tried, so one detector of repeated failures serves both) and the
 * reason, never the token; the first request with each accepted token is a successful {@code LOGIN}, later ones (the
 * same token, until it expires) are not logins again, as a remembered Basic login is not. Thread-safe.
 */
final class OidcBearerAuthentication implements BearerTokenAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(OidcBearerAuthentication.class);

    /** Bounds the memory of tokens already audited: a flood of distinct tokens must not grow it. */
    static final int MAX_REMEMBERED_TOKENS = 10_000;

    private final IdentityProvider provider;
    private final ClaimMapping mapping;
    private final boolean smartScopesRequired;
    private final CallerSeals seals;
    private final AuditTrail audit;
    private final Clock clock;
    /** Digest of each token whose login is audited, with its expiry. */
    private final Map<String, Instant> auditedTokens = new ConcurrentHashMap<>();

    OidcBearerAuthentication(IdentityProvider provider, ClaimMapping mapping, boolean smartScopesRequired,
            CallerSeals seals, AuditTrail audit, Clock clock) {
        this.provider = provider;
        this.mapping = mapping;
        this.smartScopesRequired = smartScopesRequired;
        this.seals = seals;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(String token, String clientAddress) {
        Caller caller;
        Instant expires;
        try {
            JWTClaimsSet claims = provider.verifyAccessToken(token);
            String name = mapping.loginName(claims);
            Set<Role> roles = mapping.roles(claims);
            Set<String> scopes = ClaimMapping.smartScopes(claims);
            if (smartScopesRequired && scopes.isEmpty()) {
                throw new InvalidTokenException("the token carries no SMART on FHIR scope (user/*.read ...), which "
                        + "this installation requires");
            }
            caller = seals.issue(name, roles, clientAddress, scopes, mapping.launchPatient(claims, scopes));
            expires = claims.getExpirationTime().toInstant();
        } catch (InvalidTokenException refused) {
            auditRefusal(token, clientAddress, refused.getMessage());
            throw refused;
        }
        auditFirstUse(token, caller, expires);
        return caller;
    }

    private void auditFirstUse(String token, Caller caller, Instant expires) {
        Instant now = clock.instant();
        if (auditedTokens.size() > MAX_REMEMBERED_TOKENS) {
            auditedTokens.values().removeIf(expiry -> expiry.isBefore(now));
            if (auditedTokens.size() > MAX_REMEMBERED_TOKENS) {
                auditedTokens.clear();
            }
        }
        String digest = digest(token);
        if (auditedTokens.containsKey(digest)) {
            return;
        }
        // Recorded before the token is remembered: a login the trail could not record is not a login (the caller
        // gets the trail's error, and the next request tries again).
        audit.record(new AuditEvent(caller.name(), String.join(",", caller.roles().stream().map(Role::jaasName)
                .sorted().toList()), AuditAction.LOGIN, "", "", "", AuditOutcome.SUCCESS,
                "http:" + caller.clientAddress(), "OpenID Connect bearer token of " + provider.issuer()
                        + (caller.scoped() ? ", scopes " + caller.scopes() : "")
                        + (caller.limitedToPatient() ? ", limited to Patient/" + caller.launchPatient() : "")));
        auditedTokens.put(digest, expires);
    }

    private void auditRefusal(String token, String clientAddress, String reason) {
        try {
            audit.record(new AuditEvent(claimedName(token), "", AuditAction.LOGIN, "", "", "", AuditOutcome.DENIED,
                    "http:" + clientAddress, "OpenID Connect bearer token refused: " + reason));
        } catch (AuditException e) {
            // The token is refused either way; an unrecorded refusal is logged where an operator sees it.
            LOG.warn("A refused bearer token from {} could not be audited: {}", clientAddress, e.getMessage());
        }
    }

    /** The login name an (unverified) token claims, for the audit entry of its refusal; never the token itself. */
    private String claimedName(String token) {
        try {
            Object name = JWTParser.parse(token).getJWTClaimsSet().getClaim(mapping.loginNameClaim());
            if (name instanceof String text && !text.isBlank() && text.length() <= 256) {
                return text;
            }
        } catch (ParseException | RuntimeException unreadable) {
            // not a JWT at all: nobody is named
        }
        return "unknown";
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

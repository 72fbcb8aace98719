package org.panacea.security.internal.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.Role;
import org.panacea.security.internal.CallerSeals;
import org.panacea.testsupport.RecordingAuditTrail;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * The bearer token checks against a real (test) OpenID provider over HTTP: every way a token is refused, what an
 * accepted one gives, and how both are audited.
 */
class OidcBearerAuthenticationTest {

    private TestIdentityProvider idp;
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final CallerSeals seals = new CallerSeals();
    private OidcBearerAuthentication tokens;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        tokens = authentication(false, "clinician=clinician, Nurses=nurse");
    }

    private OidcBearerAuthentication authentication(boolean smartRequired, String mapping) {
        IdentityProvider provider = new IdentityProvider(idp.issuer(), "panacea", Duration.ofSeconds(30),
                Duration.ofMinutes(15), HttpClient.newHttpClient());
        return new OidcBearerAuthentication(provider, new ClaimMapping("preferred_username", "roles", mapping),
                smartRequired, seals, audit, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private String refusal(String token) {
        InvalidTokenException refused = assertThrows(InvalidTokenException.class,
                () -> tokens.authenticate(token, "10.1.2.3"));
        AuditEvent entry = audit.last();
        assertEquals(AuditAction.LOGIN, entry.action());
        assertEquals(AuditOutcome.DENIED, entry.outcome());
        assertEquals("http:10.1.2.3", entry.clientAddress());
        if (token.length() > 20) {
            assertFalse(entry.details().contains(token), "the token itself is never audited");
            assertFalse(refused.getMessage().contains(token), "nor repeated in the answer");
        }
        return refused.getMessage();
    }

    @Test
    void aGoodTokenGivesASealedCallerWithMappedRolesAndItsSmartScopes() throws Exception {
        String token = idp.sign(idp.claims().build());
        Caller caller = tokens.authenticate(token, "10.1.2.3");
        assertEquals("dr.house", caller.name());
        assertEquals(Set.of(Role.CLINICIAN), caller.roles(), "unmapped claim values give no role");
        assertEquals(Set.of("user/*.read"), caller.scopes(), "openid and profile are not SMART scopes");
        assertEquals("10.1.2.3", caller.clientAddress());
        assertTrue(seals.issued(caller));

        AuditEvent login = audit.single();
        assertEquals(AuditAction.LOGIN, login.action());
        assertEquals(AuditOutcome.SUCCESS, login.outcome());
        assertEquals("dr.house", login.actor());
        assertEquals("clinician", login.role());

        tokens.authenticate(token, "10.1.2.3");
        assertEquals(1, audit.events().size(), "the same token again is not a new login");
    }

    @Test
    void patientScopesAreLimitedToTheLaunchPatientOfTheConfiguredClaimSealedAndAudited() throws Exception {
        Caller app = tokens.authenticate(idp.sign(idp.claims().claim("scope", "openid launch patient/*.read")
                .claim("patient", "a1b2-c3").build()), "10.1.2.3");
        assertEquals("a1b2-c3", app.launchPatient());
        assertTrue(seals.issued(app));
        assertTrue(audit.last().details().contains("limited to Patient/a1b2-c3"), audit.last().details());

        Caller noClaim = tokens.authenticate(idp.sign(idp.claims().claim("scope", "patient/*.read").build()),
                "10.1.2.3");
        assertFalse(noClaim.limitedToPatient(), "no patient claim: no launch patient (patient/ scopes grant nothing)");

        Caller userScopes = tokens.authenticate(idp.sign(idp.claims().claim("scope", "user/*.read")
                .claim("patient", "a1b2-c3").build()), "10.1.2.3");
        assertFalse(userScopes.limitedToPatient(), "an EHR launch patient does not limit user/ scopes");

        IdentityProvider provider = new IdentityProvider(idp.issuer(), "panacea", Duration.ofSeconds(30),
                Duration.ofMinutes(15), HttpClient.newHttpClient());
        OidcBearerAuthentication otherClaim = new OidcBearerAuthentication(provider, new ClaimMapping(
                "preferred_username", "roles", "clinician=clinician", "launch_patient"), false, seals, audit,
                Clock.systemUTC());
        assertEquals("p-9", otherClaim.authenticate(idp.sign(idp.claims().claim("scope", "patient/*.rs")
                .claim("launch_patient", "Patient/p-9").claim("patient", "ignored").build()), "10.1.2.3")
                .launchPatient());
    }

    @Test
    void aPatientClaimThatIsNoLogicalIdIsRefused() throws Exception {
        String message = refusal(idp.sign(idp.claims().claim("scope", "patient/*.read")
                .claim("patient", "x' OR '1'='1").build()));
        assertTrue(message.contains("patient claim is not a patient's logical id"), message);
        message = refusal(idp.sign(idp.claims().claim("scope", "patient/*.read").claim("patient", List.of("a", "b"))
                .build()));
        assertTrue(message.contains("patient claim is not a patient's logical id"), message);
    }

    @Test
    void rolesComeFromANestedClaimThroughTheMapping() throws Exception {
        IdentityProvider provider = new IdentityProvider(idp.issuer(), "panacea", Duration.ofSeconds(30),
                Duration.ofMinutes(15), HttpClient.newHttpClient());
        OidcBearerAuthentication keycloakStyle = new OidcBearerAuthentication(provider,
                new ClaimMapping("preferred_username", "realm_access.roles", "Nurses=nurse, Auditors=auditor"),
                false, seals, audit, Clock.systemUTC());
        String token = idp.sign(idp.claims().claim("realm_access", Map.of("roles", List.of("Nurses", "clinician")))
                .build());
        assertEquals(Set.of(Role.NURSE), keycloakStyle.authenticate(token, "10.1.2.3").roles());
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        String message = refusal(idp.sign(idp.claims().issuer("https://elsewhere.example/realm").build()));
        assertTrue(message.contains("issued by 'https://elsewhere.example/realm'"), message);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String message = refusal(idp.sign(idp.claims().audience("billing-system").build()));
        assertTrue(message.contains("audience [billing-system] does not include 'panacea'"), message);
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheClockSkewAndAcceptedWithinIt() throws Exception {
        Instant now = Instant.now();
        String expired = idp.sign(idp.claims().issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(120))).build());
        assertTrue(refusal(expired).contains("expired"), "expired two minutes ago");
        String justExpired = idp.sign(idp.claims().expirationTime(Date.from(now.minusSeconds(10))).build());
        assertEquals("dr.house", tokens.authenticate(justExpired, "10.1.2.3").name(), "10 s is within the skew");
    }

    @Test
    void aTokenNotYetValidIsRefused() throws Exception {
        Instant now = Instant.now();
        String early = idp.sign(idp.claims().notBeforeTime(Date.from(now.plusSeconds(600))).build());
        assertTrue(refusal(early).contains("not valid before"));
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        String none = new PlainJWT(idp.claims().build()).serialize();
        assertTrue(none.endsWith("."), "alg none: no signature part");
        assertTrue(refusal(none).contains("not signed"));
    }

    @Test
    void aTokenSignedWithHmacOverThePublicKeyIsRefused() throws Exception {
        // The classic confusion: the attacker uses the published (public) key as an HMAC secret.
        RSAKey published = idp.current().toPublicJWK();
        byte[] secret = published.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                idp.claims().build());
        forged.sign(new MACSigner(secret));
        String message = refusal(forged.serialize());
        assertTrue(message.contains("HS256"), message);
    }

    @Test
    void aTokenSignedByAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        RSAKey stranger = TestIdentityProvider.newKey();
        String message = refusal(TestIdentityProvider.sign(idp.claims().build(), stranger));
        assertTrue(message.contains("does not publish"), message);
        // Same kid as the real key, other key material: the signature does not verify.
        RSAKey impostor = new RSAKey.Builder(TestIdentityProvider.newKey()).keyID(idp.current().getKeyID()).build();
        assertTrue(refusal(TestIdentityProvider.sign(idp.claims().build(), impostor)).contains("signature is wrong"));
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String[] parts = idp.sign(idp.claims().build()).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"clinician\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        refusal(tampered);
    }

    @Test
    void garbageIsRefusedWithAClearMessage() {
        assertTrue(refusal("not-a-token").contains("not a JWT"));
        assertTrue(refusal("").contains("not a JWT"));
    }

    @Test
    void aTokenWithoutTheLoginNameClaimIsRefused() throws Exception {
        String message = refusal(idp.sign(idp.claims().claim("preferred_username", null).build()));
        assertTrue(message.contains("no preferred_username claim"), message);
        for (String platformName : List.of("system:records", "dicom:CT_SCANNER", "anything:else")) {
            assertTrue(refusal(idp.sign(idp.claims().claim("preferred_username", platformName).build()))
                    .contains("not a login name"), platformName);
        }
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        assertEquals("dr.house", tokens.authenticate(idp.sign(idp.claims().build()), "10.1.2.3").name());
        int reads = idp.keyReads();
        idp.rotate();
        assertEquals("dr.house", tokens.authenticate(idp.sign(idp.claims().build()), "10.1.2.3").name(),
                "a kid not in the cached set makes the keys be read again");
        assertEquals(reads + 1, idp.keyReads());
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotTrusted() throws Exception {
        idp.announceIssuer("https://impostor.example");
        String message = refusal(idp.sign(idp.claims().build()));
        assertTrue(message.contains("names issuer 'https://impostor.example'"), message);
    }

    @Test
    void tokensWithoutSmartScopesAreRefusedWhenScopesAreRequired() throws Exception {
        tokens = authentication(true, "clinician=clinician");
        assertTrue(refusal(idp.sign(idp.claims().claim("scope", "openid profile").build()))
                .contains("no SMART on FHIR scope"));
        assertEquals(Set.of("user/*.read"), tokens.authenticate(idp.sign(idp.claims().build()), "10.1.2.3").scopes());
    }

    @Test
    void scopesAreReadFromScpListsToo() throws Exception {
        String token = idp.sign(idp.claims().claim("scope", null).claim("scp", List.of("user/Observation.rs", "openid"))
                .build());
        assertEquals(Set.of("user/Observation.rs"), tokens.authenticate(token, "10.1.2.3").scopes());
    }

    @Test
    void settingsWithMistakesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdentityProvider(
                "http://idp.example/realm", "panacea", Duration.ZERO, Duration.ofMinutes(1), HttpClient.newHttpClient()))
                .getMessage().contains("must be an https URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdentityProvider(
                "https://idp.example/realm", " ", Duration.ZERO, Duration.ofMinutes(1), HttpClient.newHttpClient()))
                .getMessage().contains("audience is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ClaimMapping("preferred_username", "roles", "Physicians=surgeon")).getMessage()
                .contains("names no Panacea role"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ClaimMapping("preferred_username", "roles", "clinician")).getMessage()
                .contains("is not value=role"));
    }

    @Test
    void anIdTokenMustNameTheClientAndCarryTheLoginsNonce() throws Exception {
        IdentityProvider provider = new IdentityProvider(idp.issuer(), "panacea", Duration.ofSeconds(30),
                Duration.ofMinutes(15), HttpClient.newHttpClient());
        String idToken = idp.sign(idp.claims().audience("panacea-web").claim("nonce", "n-1").build());
        assertEquals("f3c9-subject", provider.verifyIdToken(idToken, "panacea-web", "n-1").getSubject());
        String replayed = assertThrows(InvalidTokenException.class,
                () -> provider.verifyIdToken(idToken, "panacea-web", "n-2")).getMessage();
        assertTrue(replayed.startsWith("the ID token is refused"), replayed);
        String otherClient = assertThrows(InvalidTokenException.class,
                () -> provider.verifyIdToken(idToken, "another-app", "n-1")).getMessage();
        assertTrue(otherClient.contains("does not include 'another-app'"), otherClient);
        String noNonce = idp.sign(idp.claims().audience("panacea-web").build());
        assertThrows(InvalidTokenException.class, () -> provider.verifyIdToken(noNonce, "panacea-web", "n-1"));
    }
}

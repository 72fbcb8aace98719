package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.api.security.Role;
import org.panacea.api.security.WebSignOn;
import org.panacea.rest.http.PanaceaHttp;

class AuthenticatingContextTest {

    private final CallerAuthentication authentication = mock(CallerAuthentication.class);
    private AuthenticatingContext context;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    @BeforeEach
    void setUp() throws Exception {
        BundleContext bundleContext = mock(BundleContext.class);
        when(bundleContext.getBundle()).thenReturn(mock(Bundle.class));
        AuthenticatingContext.Config config = mock(AuthenticatingContext.Config.class);
        when(config.login_cache_seconds()).thenReturn(60);
        context = new AuthenticatingContext(authentication, config, bundleContext);
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                // blocking writes only
            }
        });
    }

    private static HttpServletRequest request(String authorization) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeader("Authorization")).thenReturn(authorization);
        when(request.getRemoteAddr()).thenReturn("10.9.8.7");
        return request;
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private void assertChallenged(String why) {
        verify(response).setStatus(401);
        assertNotCached();
        verify(response).setHeader(eq("WWW-Authenticate"), any());
        String json = body.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"resourceType\":\"OperationOutcome\""), json);
        assertTrue(json.contains(why), json);
    }

    /**
     * Behind a trusted balancer the login, the throttle and the caller see the client's address it forwarded; a
     * client reaching the node directly cannot put another address in their place with the header.
     */
    @Test
    void theClientsAddressComesFromATrustedBalancerOnly() throws Exception {
        AuthenticatingContext.Config config = mock(AuthenticatingContext.Config.class);
        when(config.login_cache_seconds()).thenReturn(0);
        when(config.trusted_proxies()).thenReturn("10.0.0.5");
        BundleContext bundleContext = mock(BundleContext.class);
        when(bundleContext.getBundle()).thenReturn(mock(Bundle.class));
        AuthenticatingContext behindBalancer = new AuthenticatingContext(authentication, config, bundleContext);
        Caller nurse = new Caller("nurse", java.util.Set.of(Role.NURSE), "192.0.2.44");
        when(authentication.authenticate(eq("nurse"), any(), any())).thenReturn(Optional.of(nurse));

        HttpServletRequest viaBalancer = request(basic("nurse:nurse"));
        when(viaBalancer.getRemoteAddr()).thenReturn("10.0.0.5");
        when(viaBalancer.getHeaders("X-Forwarded-For")).thenAnswer(call -> java.util.Collections.enumeration(
                java.util.List.of("203.0.113.1, 192.0.2.44")));
        assertTrue(behindBalancer.handleSecurity(viaBalancer, response));
        verify(authentication).authenticate(eq("nurse"), any(), eq("192.0.2.44"));
        verify(viaBalancer).setAttribute(PanaceaHttp.CLIENT_ADDRESS_ATTRIBUTE, "192.0.2.44");

        HttpServletRequest direct = request(basic("nurse:nurse"));
        when(direct.getHeaders("X-Forwarded-For")).thenAnswer(call -> java.util.Collections.enumeration(
                java.util.List.of("192.0.2.44")));
        assertTrue(behindBalancer.handleSecurity(direct, response));
        verify(authentication).authenticate(eq("nurse"), any(), eq("10.9.8.7"));
    }

    @Test
    void noCredentialsAreChallenged() throws Exception {
        assertFalse(context.handleSecurity(request(null), response));
        assertChallenged("authentication required");
    }

    @Test
    void onlyTheCapabilityStatementIsServedWithoutCredentialsAndOnlyByGet() throws Exception {
        assertTrue(context.handleSecurity(anonymous("GET", "/fhir/metadata"), response));
        verify(response, never()).setStatus(401);
        for (String[] refused : new String[][] { { "POST", "/fhir/metadata" }, { "GET", "/fhir/Patient" },
                { "GET", "/fhir/metadata/../Patient" }, { "GET", "/fhir/%6Detadata" }, { "GET", "/fhir/metadata/" },
                { "GET", "/api/plugins" } }) {
            assertFalse(context.handleSecurity(anonymous(refused[0], refused[1]), response), String.join(" ", refused));
        }
    }

    /**
     * The health answers are public for load balancers, at their two exact raw paths and by GET only: an outsider who
     * tries other methods, other paths near them, other spellings of them (encoded, with dots, slashes, path
     * parameters or another case) or a way through them to something else is asked for credentials.
     */
    @Test
    void onlyTheHealthAnswersAreServedWithoutCredentialsAtTheirExactPathsAndOnlyByGet() throws Exception {
        for (String path : new String[] { "/health/live", "/health/ready" }) {
            assertTrue(context.handleSecurity(anonymous("GET", path), response), path);
        }
        verify(response, never()).setStatus(401);
        String[][] refused = {
            { "HEAD", "/health/ready" }, { "POST", "/health/ready" }, { "PUT", "/health/ready" },
            { "DELETE", "/health/live" }, { "OPTIONS", "/health/ready" }, { "TRACE", "/health/live" },
            { "PATCH", "/health/ready" }, { "get", "/health/ready" },
            { "GET", "/health" }, { "GET", "/health/" }, { "GET", "/health/ready/" }, { "GET", "/health/live/" },
            { "GET", "/health/readyz" }, { "GET", "/health/ready.json" }, { "GET", "/healthy/ready" },
            { "GET", "/health/status" }, { "GET", "/health/ready/../../fhir/Patient" },
            { "GET", "/health/live/../../api/plugins" }, { "GET", "/health/ready%2F..%2F..%2Ffhir%2FPatient" },
            { "GET", "/health/%72eady" }, { "GET", "/health%2Fready" }, { "GET", "/%68ealth/live" },
            { "GET", "/health/ready%00" }, { "GET", "/health/ready;jsessionid=1" }, { "GET", "/health;x=1/ready" },
            { "GET", "/Health/Ready" }, { "GET", "/HEALTH/LIVE" }, { "GET", "//health/ready" },
            { "GET", "/health//ready" }, { "GET", "/health/./ready" }, { "GET", "/./health/ready" },
            { "GET", "/fhir/../health/ready" }, { "GET", "/api/../health/live" }, { "GET", "/health\\ready" },
            { "GET", "/health/ready " }, { "GET", " /health/ready" }, { "GET", "health/ready" },
            { "GET", "/fhir/Patient" }, { "GET", "/api/audit" }, { "GET", "" }, { "GET", "/" } };
        for (String[] attempt : refused) {
            assertFalse(context.handleSecurity(anonymous(attempt[0], attempt[1]), response), String.join(" ", attempt));
        }
        verify(response, times(refused.length)).setStatus(401);
        verify(authentication, never()).authenticate(anyString(), any(), anyString());
    }

    /**
     * The metrics are let through without credentials for Prometheus (whose address the metrics servlet then checks)
     * at their one exact path and by GET only; any other method or spelling, or a way through it, needs credentials.
     */
    @Test
    void theMetricsAreServedWithoutCredentialsAtTheirExactPathOnlyByGet() throws Exception {
        assertTrue(context.handleSecurity(anonymous("GET", "/metrics"), response));
        verify(response, never()).setStatus(401);
        String[][] refused = {
            { "POST", "/metrics" }, { "PUT", "/metrics" }, { "DELETE", "/metrics" }, { "HEAD", "/metrics" },
            { "GET", "/metrics/" }, { "GET", "/metrics/../fhir/Patient" }, { "GET", "/%6Detrics" },
            { "GET", "/metrics;x=1" }, { "GET", "/Metrics" }, { "GET", "//metrics" }, { "GET", "/fhir/../metrics" },
            { "GET", "/metrics%2F..%2Ffhir%2FPatient" }, { "GET", "/metricsx" } };
        for (String[] attempt : refused) {
            assertFalse(context.handleSecurity(anonymous(attempt[0], attempt[1]), response), String.join(" ", attempt));
        }
        verify(response, times(refused.length)).setStatus(401);
        verify(authentication, never()).authenticate(anyString(), any(), anyString());
    }

    @Test
    void aPublicPathUnderAnotherContextPathIsNotPublic() throws Exception {
        HttpServletRequest elsewhere = anonymous("GET", "/other/health/ready");
        when(elsewhere.getContextPath()).thenReturn("/other");
        assertTrue(context.handleSecurity(elsewhere, response), "the path below the context is what counts");
        HttpServletRequest outside = anonymous("GET", "/health/ready");
        when(outside.getContextPath()).thenReturn("/other");
        assertFalse(context.handleSecurity(outside, response), "a URI outside the context path is not public");
    }

    @Test
    void credentialsSentToAPublicPathAreCheckedAsAnywhereElse() throws Exception {
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7"))).thenReturn(Optional.empty());
        HttpServletRequest request = anonymous("GET", "/health/ready");
        when(request.getHeader("Authorization")).thenReturn(basic("nurse:wrong"));
        assertFalse(context.handleSecurity(request, response));
        assertChallenged("wrong");
    }

    private static HttpServletRequest anonymous(String method, String uri) {
        HttpServletRequest request = request(null);
        when(request.getMethod()).thenReturn(method);
        when(request.getRequestURI()).thenReturn(uri);
        when(request.getContextPath()).thenReturn("");
        return request;
    }

    @Test
    void malformedHeadersAreChallengedWithTheReason() throws Exception {
        assertFalse(context.handleSecurity(request("Basic ***"), response));
        assertChallenged("not valid Base64");
    }

    @Test
    void aHeaderWithoutAColonIsChallenged() throws Exception {
        assertFalse(context.handleSecurity(request(basic("justauser")), response));
        assertChallenged("no user:password pair");
        verify(authentication, never()).authenticate(anyString(), any(), anyString());
    }

    @Test
    void aRefusedLoginIsChallenged() throws Exception {
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7"))).thenReturn(Optional.empty());
        assertFalse(context.handleSecurity(request(basic("nurse:wrong")), response));
        assertChallenged("wrong");
    }

    @Test
    void aGoodLoginPutsTheCallerOnTheRequestAndIsRememberedAfterwards() throws Exception {
        Caller nurse = new Caller("nurse", Set.of(Role.NURSE), "10.9.8.7");
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7"))).thenReturn(Optional.of(nurse));
        HttpServletRequest first = request(basic("nurse:pa:ss"));
        assertTrue(context.handleSecurity(first, response));
        verify(first).setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, nurse);
        assertTrue(context.handleSecurity(request(basic("nurse:pa:ss")), response));
        verify(authentication, times(1)).authenticate(eq("nurse"), any(), anyString());
        assertEquals(0, body.size(), "nothing written for an authenticated request");
        assertNotCached();
    }

    /** Answers may hold patient data: never kept by a browser or proxy cache, never type-sniffed. */
    private void assertNotCached() {
        verify(response, org.mockito.Mockito.atLeastOnce()).setHeader("Cache-Control", "no-store");
        verify(response, org.mockito.Mockito.atLeastOnce()).setHeader("X-Content-Type-Options", "nosniff");
    }

    @Test
    void aScriptIsRefusedWithoutTheChallengeThatWouldOpenTheBrowsersDialog() throws Exception {
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7"))).thenReturn(Optional.empty());
        HttpServletRequest script = request(basic("nurse:wrong"));
        when(script.getHeader("X-Requested-With")).thenReturn("XMLHttpRequest");
        assertFalse(context.handleSecurity(script, response));
        verify(response).setStatus(401);
        verify(response, never()).setHeader(eq("WWW-Authenticate"), any());
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("user name or password is wrong"));

        HttpServletRequest anonymousScript = request(null);
        when(anonymousScript.getHeader("X-Requested-With")).thenReturn("xmlhttprequest");
        assertFalse(context.handleSecurity(anonymousScript, response));
        verify(response, never()).setHeader(eq("WWW-Authenticate"), any());
    }

    @Test
    void aThrottledLoginIsAnswered429WithRetryAfterAndNoChallenge() throws Exception {
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7")))
                .thenThrow(new LoginThrottledException("too many failed logins", Duration.ofMillis(7_200)));
        assertFalse(context.handleSecurity(request(basic("nurse:secret")), response));
        verify(response).setStatus(429);
        verify(response).setHeader("Retry-After", "8");
        verify(response, never()).setHeader(eq("WWW-Authenticate"), any());
        verify(response, never()).setStatus(401);
        String json = body.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"resourceType\":\"OperationOutcome\""), json);
        assertTrue(json.contains("\"code\":\"throttled\""), json);
        assertTrue(json.contains("try again in 8 s"), json);
    }

    @Test
    void aThrottledLoginIsNotRememberedAndTheNextRequestAsksTheRealmAgain() throws Exception {
        Caller nurse = new Caller("nurse", Set.of(Role.NURSE), "10.9.8.7");
        when(authentication.authenticate(eq("nurse"), any(), eq("10.9.8.7")))
                .thenThrow(new LoginThrottledException("too many failed logins", Duration.ofSeconds(2)))
                .thenReturn(Optional.of(nurse));
        assertFalse(context.handleSecurity(request(basic("nurse:secret")), response));
        HttpServletRequest later = request(basic("nurse:secret"));
        assertTrue(context.handleSecurity(later, response));
        verify(later).setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, nurse);
        verify(authentication, times(2)).authenticate(eq("nurse"), any(), anyString());
    }

    private String challenge() {
        org.mockito.ArgumentCaptor<String> value = org.mockito.ArgumentCaptor.forClass(String.class);
        verify(response).setHeader(eq("WWW-Authenticate"), value.capture());
        return value.getValue();
    }

    @Test
    void aBearerTokenTheSecurityBundleAcceptsGivesItsCaller() throws Exception {
        BearerTokenAuthentication tokens = mock(BearerTokenAuthentication.class);
        Caller caller = new Caller("dr.sso", Set.of(Role.CLINICIAN), "10.9.8.7", "sealed", Set.of("user/*.read"));
        when(tokens.authenticate("eyJ.good.token", "10.9.8.7")).thenReturn(caller);
        context.bearerTokens = tokens;
        HttpServletRequest request = request("Bearer eyJ.good.token");
        assertTrue(context.handleSecurity(request, response));
        verify(request).setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, caller);
        verify(authentication, never()).authenticate(anyString(), any(), anyString());
    }

    @Test
    void aRefusedBearerTokenIs401InvalidTokenWithTheReason() throws Exception {
        BearerTokenAuthentication tokens = mock(BearerTokenAuthentication.class);
        when(tokens.authenticate(anyString(), anyString()))
                .thenThrow(new InvalidTokenException("the bearer token's audience [\"billing\"] does not include 'x'"));
        context.bearerTokens = tokens;
        HttpServletRequest request = request("Bearer eyJ.wrong.audience");
        assertFalse(context.handleSecurity(request, response));
        verify(response).setStatus(401);
        assertEquals("Bearer realm=\"Panacea\", error=\"invalid_token\", error_description=\"the bearer token's "
                + "audience ['billing'] does not include 'x'\"", challenge(), "quotes cannot break out of the string");
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("does not include"));
        verify(request, never()).setAttribute(eq(PanaceaHttp.CALLER_ATTRIBUTE), any());
    }

    @Test
    void aBearerTokenWithoutSingleSignOnConfiguredIsRefused() throws Exception {
        assertFalse(context.handleSecurity(request("Bearer eyJ.any.token"), response));
        verify(response).setStatus(401);
        assertTrue(challenge().contains("error_description=\"single sign-on is not configured"));
    }

    private HttpServletRequest withSessionCookie(boolean script) {
        HttpServletRequest request = request(null);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/fhir/Observation");
        when(request.getContextPath()).thenReturn("");
        when(request.getCookies()).thenReturn(new javax.servlet.http.Cookie[] {
                new javax.servlet.http.Cookie(WebSignOnServlet.SESSION_COOKIE, "session-1") });
        if (script) {
            when(request.getHeader(AuthenticatingContext.REQUESTED_WITH)).thenReturn("XMLHttpRequest");
        }
        return request;
    }

    @Test
    void theWebSessionCookieCountsOnlyOnAScriptsRequest() throws Exception {
        WebSignOn signOn = mock(WebSignOn.class);
        Caller caller = new Caller("nurse.sso", Set.of(Role.NURSE), "10.9.8.7", "sealed");
        when(signOn.caller("session-1", "10.9.8.7")).thenReturn(Optional.of(caller));
        context.webSignOn = signOn;

        HttpServletRequest script = withSessionCookie(true);
        assertTrue(context.handleSecurity(script, response));
        verify(script).setAttribute(PanaceaHttp.CALLER_ATTRIBUTE, caller);

        // A form another site makes the browser post carries the cookie but cannot add the header.
        HttpServletRequest forged = withSessionCookie(false);
        assertFalse(context.handleSecurity(forged, response));
        verify(response).setStatus(401);
        verify(forged, never()).setAttribute(eq(PanaceaHttp.CALLER_ATTRIBUTE), any());
    }

    @Test
    void anEndedWebSessionIs401() throws Exception {
        WebSignOn signOn = mock(WebSignOn.class);
        when(signOn.caller(anyString(), anyString())).thenReturn(Optional.empty());
        context.webSignOn = signOn;
        assertFalse(context.handleSecurity(withSessionCookie(true), response));
        verify(response).setStatus(401);
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("single sign-on session ended"));
    }
}

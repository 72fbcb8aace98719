package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.panacea.api.security.InvalidTokenException;
import org.panacea.api.security.WebSignOn;

/** The web login's endpoints: the cookies they set, and the callbacks they refuse before asking the security bundle. */
class WebSignOnServletTest {

    private final WebSignOnServlet servlet = new WebSignOnServlet();
    private final WebSignOn signOn = mock(WebSignOn.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
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

    private static HttpServletRequest get(String pathInfo, Cookie... cookies) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn(WebSignOnServlet.START);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getScheme()).thenReturn("https");
        when(request.getServerName()).thenReturn("panacea.hospital.example");
        when(request.getServerPort()).thenReturn(443);
        when(request.getContextPath()).thenReturn("");
        when(request.isSecure()).thenReturn(true);
        when(request.getRemoteAddr()).thenReturn("10.2.3.4");
        when(request.getCookies()).thenReturn(cookies.length == 0 ? null : cookies);
        return request;
    }

    private List<String> setCookies() {
        ArgumentCaptor<String> values = ArgumentCaptor.forClass(String.class);
        verify(response, org.mockito.Mockito.atLeast(0)).addHeader(eq("Set-Cookie"), values.capture());
        return values.getAllValues();
    }

    private String redirect() throws Exception {
        ArgumentCaptor<String> location = ArgumentCaptor.forClass(String.class);
        verify(response).sendRedirect(location.capture());
        return location.getValue();
    }

    @Test
    void optionsSayWhetherSingleSignOnIsConfigured() throws Exception {
        servlet.doGet(get("/options"), response);
        assertEquals("{\"enabled\":false}", body.toString(StandardCharsets.UTF_8));
        body.reset();
        servlet.signOn = signOn;
        servlet.doGet(get("/options"), response);
        assertEquals("{\"enabled\":true}", body.toString(StandardCharsets.UTF_8));
    }

    @Test
    void startSendsTheBrowserToTheProviderAndBindsTheStateToIt() throws Exception {
        servlet.signOn = signOn;
        URI callback = URI.create("https://panacea.hospital.example/login/oidc/callback");
        when(signOn.begin(callback)).thenReturn(new WebSignOn.Authorization(
                URI.create("https://idp.example/authorize?state=s1"), "s1"));
        servlet.doGet(get(null), response);
        assertEquals("https://idp.example/authorize?state=s1", redirect());
        assertEquals(List.of("panacea_login_state=s1; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=600; Secure"),
                setCookies());
    }

    @Test
    void aCallbackWithoutThisBrowsersStateIsRefusedBeforeTheCodeIsExchanged() throws Exception {
        servlet.signOn = signOn;
        HttpServletRequest foreign = get("/callback", new Cookie(WebSignOnServlet.STATE_COOKIE, "mine"));
        when(foreign.getParameter("state")).thenReturn("someone-elses");
        when(foreign.getParameter("code")).thenReturn("c");
        servlet.doGet(foreign, response);
        assertTrue(redirect().startsWith("/ui/#/login?sso_error=this+login+was+not+started+in+this+browser"));
        verify(signOn, never()).complete(anyString(), anyString(), any(), anyString());
        assertTrue(setCookies().stream().noneMatch(c -> c.startsWith("panacea_session=")));
    }

    @Test
    void aCompletedCallbackSetsAStrictHttpOnlySessionCookie() throws Exception {
        servlet.signOn = signOn;
        HttpServletRequest back = get("/callback", new Cookie(WebSignOnServlet.STATE_COOKIE, "s1"));
        when(back.getParameter("state")).thenReturn("s1");
        when(back.getParameter("code")).thenReturn("c1");
        when(signOn.complete("c1", "s1", URI.create("https://panacea.hospital.example/login/oidc/callback"),
                "10.2.3.4")).thenReturn("session-id");
        servlet.doGet(back, response);
        assertEquals(WebSignOnServlet.AFTER_LOGIN, redirect());
        assertTrue(setCookies().contains("panacea_session=session-id; Path=/; HttpOnly; SameSite=Strict; Secure"),
                setCookies().toString());
        assertTrue(setCookies().contains("panacea_login_state=; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=0; "
                + "Secure"), "the state cookie is used up");
    }

    @Test
    void aRefusedLoginGoesBackToTheLoginPageWithTheReason() throws Exception {
        servlet.signOn = signOn;
        HttpServletRequest back = get("/callback", new Cookie(WebSignOnServlet.STATE_COOKIE, "s1"));
        when(back.getParameter("state")).thenReturn("s1");
        when(back.getParameter("code")).thenReturn("c1");
        when(signOn.complete(anyString(), anyString(), any(), anyString()))
                .thenThrow(new InvalidTokenException("the ID token's audience [x] does not include 'panacea-web'"));
        servlet.doGet(back, response);
        assertTrue(redirect().startsWith("/ui/#/login?sso_error=the+ID+token%27s+audience"));
        assertTrue(setCookies().stream().noneMatch(c -> c.startsWith("panacea_session=")));
    }
}

package org.panacea.ui.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFileServletTest {

    /** The real pages from the test class path (src/main/resources/web), looked up as the bundle would. */
    private final List<String> lookedUp = new ArrayList<>();
    private final StaticFileServlet servlet = new StaticFileServlet(path -> {
        lookedUp.add(path);
        return StaticFileServletTest.class.getClassLoader().getResource(path);
    }, "r1");
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
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
        return response;
    }

    private static HttpServletRequest get(String pathInfo) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getMethod()).thenReturn("GET");
        return request;
    }

    @Test
    void theFolderIsTheLoginPageWithAStrictContentSecurityPolicy() throws Exception {
        HttpServletResponse response = response();
        servlet.doGet(get("/"), response);
        verify(response).setStatus(200);
        verify(response).setContentType("text/html;charset=utf-8");
        verify(response).setHeader("Content-Security-Policy", StaticFileServlet.CONTENT_SECURITY_POLICY);
        verify(response).setHeader("X-Content-Type-Options", "nosniff");
        verify(response).setHeader("ETag", "\"r1\"");
        String html = body.toString(StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"js/app.js\" type=\"module\">"), html);
        assertTrue(StaticFileServlet.CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
    }

    @Test
    void filesAreServedByteForByteWithTheirMediaType() throws Exception {
        HttpServletResponse response = response();
        servlet.doGet(get("/js/pages/login.js"), response);
        verify(response).setContentType("text/javascript;charset=utf-8");
        try (InputStream original = getClass().getClassLoader().getResourceAsStream("web/js/pages/login.js")) {
            assertNotNull(original);
            assertArrayEquals(original.readAllBytes(), body.toByteArray());
        }
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        HttpServletRequest request = get("/css/app.css");
        when(request.getHeader("If-None-Match")).thenReturn("\"r1\"");
        HttpServletResponse response = response();
        servlet.doGet(request, response);
        verify(response).setStatus(304);
        assertEquals(0, body.size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "/../web/index.html", "/js/../../org/panacea/ui/internal/UiContext.class",
            "/nothing.html", "/js/app", "/index.html.bak", "/WEB-INF/web.xml", "/%2e%2e/secret.js", "//etc/passwd.js" })
    void anythingElseIsNotFoundAndNeverLookedUpOutsideTheWebFolder(String path) throws Exception {
        HttpServletResponse response = response();
        servlet.doGet(get(path), response);
        verify(response).sendError(eq(404), anyString());
        verify(response, never()).setStatus(200);
        assertTrue(lookedUp.stream().allMatch(p -> p.startsWith("web/") && !p.contains("..")), lookedUp.toString());
    }

    @Test
    void headSendsTheHeadersOnly() throws Exception {
        HttpServletResponse response = response();
        servlet.doHead(get("/img/panacea.svg"), response);
        verify(response).setStatus(200);
        verify(response).setContentType("image/svg+xml");
        assertEquals(0, body.size());
    }
}

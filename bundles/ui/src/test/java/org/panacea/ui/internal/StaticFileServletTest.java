package org.panacea.ui.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

class StaticFileServletTest {

    /** The real pages from the test class path (src/main/resources/web), looked up as the bundle would. */
    private final List<String> lookedUp = new ArrayList<>();
    private final StaticFileServlet servlet = new StaticFileServlet(path -> {
        lookedUp.add(path);
        return StaticFileServletTest.class.getClassLoader().getResource(path);
    }, "r1");
    private final FakeResponse answer = new FakeResponse();

    private static HttpServletRequest get(String pathInfo) {
        return FakeRequest.of("GET", pathInfo).build();
    }

    @Test
    void theFolderIsTheLoginPageWithAStrictContentSecurityPolicy() throws Exception {
        servlet.doGet(get("/"), answer.response());
        assertEquals(List.of(200), answer.statusesSet());
        assertEquals("text/html;charset=utf-8", answer.header("Content-Type"));
        assertEquals(List.of(StaticFileServlet.CONTENT_SECURITY_POLICY), answer.headers("Content-Security-Policy"));
        assertEquals(List.of("nosniff"), answer.headers("X-Content-Type-Options"));
        assertEquals(List.of("\"r1\""), answer.headers("ETag"));
        String html = answer.text();
        assertTrue(html.contains("<script src=\"js/app.js\" type=\"module\">"), html);
        assertTrue(StaticFileServlet.CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
    }

    @Test
    void filesAreServedByteForByteWithTheirMediaType() throws Exception {
        servlet.doGet(get("/js/pages/login.js"), answer.response());
        assertEquals("text/javascript;charset=utf-8", answer.header("Content-Type"));
        try (InputStream original = getClass().getClassLoader().getResourceAsStream("web/js/pages/login.js")) {
            assertNotNull(original);
            assertArrayEquals(original.readAllBytes(), answer.bytes());
        }
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        HttpServletRequest request = FakeRequest.of("GET", "/css/app.css").header("If-None-Match", "\"r1\"").build();
        servlet.doGet(request, answer.response());
        assertEquals(List.of(304), answer.statusesSet());
        assertEquals(0, answer.bytes().length);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/../web/index.html", "/js/../../org/panacea/ui/internal/UiContext.class",
            "/nothing.html", "/js/app", "/index.html.bak", "/WEB-INF/web.xml", "/%2e%2e/secret.js", "//etc/passwd.js" })
    void anythingElseIsNotFoundAndNeverLookedUpOutsideTheWebFolder(String path) throws Exception {
        servlet.doGet(get(path), answer.response());
        assertEquals(404, answer.sentErrors().get(0).status());
        assertNotNull(answer.sentErrors().get(0).message());
        assertEquals(1, answer.sentErrors().size());
        assertFalse(answer.statusesSet().contains(200));
        assertTrue(lookedUp.stream().allMatch(p -> p.startsWith("web/") && !p.contains("..")), lookedUp.toString());
    }

    @Test
    void headSendsTheHeadersOnly() throws Exception {
        servlet.doHead(get("/img/panacea.svg"), answer.response());
        assertEquals(List.of(200), answer.statusesSet());
        assertEquals("image/svg+xml", answer.header("Content-Type"));
        assertEquals(0, answer.bytes().length);
    }
}

package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

class HttpRequestMetricsTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final HttpRequestMetrics filter = new HttpRequestMetrics(metrics);

    @AfterEach
    void close() {
        metrics.close();
    }

    private void answer(String method, String uri, int status) throws Exception {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.of(method, uri).build(), response.response(),
                (req, res) -> ((HttpServletResponse) res).setStatus(status));
    }

    private static String count(String method, String route, int status) {
        return "panacea_http_server_requests_seconds_count{method=\"" + method + "\",route=\"" + route
                + "\",status=\"" + status + "\"} ";
    }

    @Test
    void requestsAreCountedByMethodRouteTemplateAndStatus() throws Exception {
        answer("GET", "/fhir/Patient/p-41", 200);
        answer("GET", "/fhir/Patient/p-42", 200);
        answer("GET", "/fhir/Patient/p-43", 404);
        answer("BREW", "/fhir/Patient/p-44", 405);
        String text = metrics.scrape();
        assertTrue(text.contains(count("GET", "/fhir/Patient/{id}", 200) + "2"), text);
        assertTrue(text.contains(count("GET", "/fhir/Patient/{id}", 404) + "1"), text);
        assertTrue(text.contains(count("OTHER", "/fhir/Patient/{id}", 405) + "1"), text);
        assertFalse(text.contains("p-4"), "no id in any label");
    }

    @Test
    void aFailureThatEscapesIsCountedAs500() {
        FakeResponse response = new FakeResponse();
        assertThrows(ServletException.class, () -> filter.doFilter(FakeRequest.of("POST", "/api/models/m/$predict")
                .build(), response.response(), (req, res) -> {
                    throw new ServletException("boom");
                }));
        assertTrue(metrics.scrape().contains(count("POST", "/api/models/{id}/$predict", 500) + "1"));
    }

    @Test
    void methodsOutsideTheStandardOnesAreOther() {
        assertEquals("GET", HttpRequestMetrics.method("GET"));
        assertEquals("OTHER", HttpRequestMetrics.method("get"));
        assertEquals("OTHER", HttpRequestMetrics.method("Brunner"));
        assertEquals("OTHER", HttpRequestMetrics.method(null));
    }
}

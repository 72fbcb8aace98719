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
    void madeUpPathsCannotGrowTheSeriesWithoutBound() throws Exception {
        // Every combination of known words is a template of its own: send more of them than the cap.
        String[] words = { "studies", "series", "instances", "frames", "metadata", "rendered", "bulkdata", "_history" };
        int sent = 0;
        for (String a : words) {
            for (String b : words) {
                for (String c : words) {
                    for (String d : words) {
                        answer("GET", "/dicomweb/" + a + "/" + b + "/" + c + "/" + d, 404);
                        sent++;
                    }
                }
            }
        }
        assertTrue(sent > HttpRequestMetrics.MAX_SERIES);
        String text = metrics.scrape();
        long series = text.lines().filter(line -> line.startsWith("panacea_http_server_requests_seconds_count")).count();
        assertTrue(series <= HttpRequestMetrics.MAX_SERIES + 1, series + " series");
        long counted = text.lines().filter(line -> line.startsWith("panacea_http_server_requests_seconds_count"))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertEquals(sent, counted, "every request is still counted");
        assertTrue(text.contains(count("GET", RouteTemplates.OTHER, 404)), "the rest under /{other}");
    }

    @Test
    void methodsOutsideTheStandardOnesAreOther() {
        assertEquals("GET", HttpRequestMetrics.method("GET"));
        assertEquals("OTHER", HttpRequestMetrics.method("get"));
        assertEquals("OTHER", HttpRequestMetrics.method("Brunner"));
        assertEquals("OTHER", HttpRequestMetrics.method(null));
    }
}

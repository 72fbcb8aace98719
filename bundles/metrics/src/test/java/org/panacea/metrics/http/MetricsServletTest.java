package org.panacea.metrics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.metrics.internal.MetricsConfig;
import org.panacea.metrics.internal.PrometheusMetrics;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

class MetricsServletTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private static MetricsConfig allowing(String... addresses) {
        return new MetricsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsConfig.class;
            }

            @Override
            public String[] allowed_addresses() {
                return addresses;
            }
        };
    }

    private FakeResponse get(MetricsServlet servlet, String from) throws Exception {
        FakeResponse response = new FakeResponse();
        servlet.doGet(FakeRequest.of("GET", null).servletPath("/metrics").remoteAddress(from).build(),
                response.response());
        return response;
    }

    @Test
    void anAllowedScraperGetsTheTextFormat() throws Exception {
        FakeResponse response = get(new MetricsServlet(metrics, allowing("127.0.0.1", "::1")), "127.0.0.1");
        assertEquals(200, response.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.header("Content-Type"));
        assertTrue(response.text().contains("# TYPE jvm_threads_live_threads gauge"), response.text());
    }

    @Test
    void anyOtherAddressGets403WithoutMetrics() throws Exception {
        // As the distribution's file writes it: one comma-separated value.
        FakeResponse response = get(new MetricsServlet(metrics, allowing("127.0.0.1, 10.0.0.0/8")), "192.168.1.9");
        assertEquals(403, response.status());
        assertTrue(response.text().contains("OperationOutcome"), response.text());
        assertTrue(response.text().contains("allowed.addresses"), response.text());
        assertFalse(response.text().contains("jvm_"), response.text());
        assertEquals(200, get(new MetricsServlet(metrics, allowing("127.0.0.1, 10.0.0.0/8")), "10.9.8.7").status());
    }
}

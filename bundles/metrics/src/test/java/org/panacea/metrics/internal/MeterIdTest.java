package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.metrics.MeterId;

/** The API's guard on names and labels (tested here, where the API is used: the api bundle has no tests). */
class MeterIdTest {

    @Test
    void codesAndTemplatesAreAccepted() {
        MeterId id = MeterId.of("panacea.http.server.requests", "Requests").with("route", "/fhir/Patient/{id}")
                .with("method", "GET");
        assertEquals(Map.of("route", "/fhir/Patient/{id}", "method", "GET"), id.labels());
    }

    @Test
    void freeTextIsRefusedInLabels() {
        MeterId id = MeterId.of("panacea.test", "Test");
        IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class,
                () -> id.with("patient", "Anna Brunner"));
        assertTrue(spaced.getMessage().contains("never data"), spaced.getMessage());
        assertThrows(IllegalArgumentException.class, () -> id.with("name", "M\u00fcller"));
        assertThrows(IllegalArgumentException.class, () -> id.with("quote", "a\"b"));
        assertThrows(IllegalArgumentException.class, () -> id.with("empty", ""));
        assertThrows(IllegalArgumentException.class, () -> id.with("long", "x".repeat(MeterId.MAX_VALUE_LENGTH + 1)));
    }

    @Test
    void namesFollowTheRules() {
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("Panacea.Test", "x"));
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("panacea_test", "x"));
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("panacea.test", " "));
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("panacea.test", "two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("panacea.test", "x").with("le", "1"));
        assertThrows(IllegalArgumentException.class, () -> MeterId.of("panacea.test", "x").with("Route", "1"));
    }
}

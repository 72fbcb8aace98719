package org.panacea.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTemplatesTest {

    @ParameterizedTest
    @CsvSource({
            "/fhir/Patient/8f14e45f-ceea-467f, /fhir/Patient/{id}",
            "/fhir/Patient, /fhir/Patient",
            "/fhir/Patient/abc/_history/3, /fhir/Patient/{id}/_history/{version}",
            "/fhir/Patient/abc/$everything, /fhir/Patient/{id}/$everything",
            "/fhir/Group/g1/$export, /fhir/Group/{id}/$export",
            "/fhir/$export-output/job7/Patient.ndjson, /fhir/$export-output/{job}/{file}",
            "/fhir/metadata, /fhir/metadata",
            "/fhir, /fhir",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/1/rendered, "
                    + "/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/rendered",
            "/dicomweb/studies/1.2.3/metadata, /dicomweb/studies/{study}/metadata",
            "/api/models/prediction.cha2ds2-vasc/$predict, /api/models/{id}/$predict",
            "/api/algorithms/imaging.otsu-threshold/$run, /api/algorithms/{id}/$run",
            "/api/analysis/cohort/survival, /api/analysis/cohort/survival",
            "/health/ready, /health/ready",
            "/metrics, /metrics",
            "/ui/js/chart.js, /ui",
            "/, /",
    })
    void knownRoutesBecomeTheirTemplates(String path, String template) {
        assertEquals(template, RouteTemplates.of(path));
    }

    @Test
    void wordsFromRequestsNeverReachTheTemplate() {
        // A FHIR type nobody stores, a surname in the type's place, an encoded name, a path outside the API.
        assertEquals("/fhir/{type}", RouteTemplates.of("/fhir/Brunner"));
        assertEquals("/fhir/{type}/{value}", RouteTemplates.of("/fhir/Brunner/Anna"));
        assertEquals("/fhir/Patient/{id}", RouteTemplates.of("/fhir/Patient/M%C3%BCller"));
        assertEquals("/fhir/Patient/{id}/{value}", RouteTemplates.of("/fhir/Patient/1/Brunner"));
        assertEquals(RouteTemplates.OTHER, RouteTemplates.of("/Brunner/Anna"));
        assertEquals(RouteTemplates.OTHER, RouteTemplates.of("/admin"));
        assertEquals("/fhir/Patient/{id}", RouteTemplates.of("/fhir/Patient/"));
    }

    @Test
    void deepPathsAreCut() {
        String deep = "/dicomweb" + "/x".repeat(50);
        String template = RouteTemplates.of(deep);
        assertEquals(RouteTemplates.MAX_SEGMENTS + 1, template.split("/").length - 1, template);
        assertTrue(template.endsWith("/{more}"), template);
    }

    @Test
    void everyTemplateUsesOnlyTheVocabulary() {
        Pattern vocabulary = Pattern.compile("/|/\\{other\\}|/ui|(/([A-Za-z_$][A-Za-z_$-]*|\\{[a-z]+\\}))+");
        for (String path : new String[] { "/fhir/Patient/123", "/fhir/Observation?code=x", "/dicomweb/studies/1.2",
                "/api/keys/k-1", "/api/plugins/x/y", "/fhir/Patient/a/_history/1/extra/more" }) {
            String template = RouteTemplates.of(path);
            assertTrue(vocabulary.matcher(template).matches(), template);
            assertFalse(template.matches(".*[0-9].*"), template);
        }
    }
}

package org.panacea.engine.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeModel;
import org.panacea.engine.fakes.InMemoryRecords;
import org.panacea.engine.internal.prediction.ModelRuns;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

import com.fasterxml.jackson.databind.JsonNode;

class ModelServletTest {

    private static final String PATIENT = "7353e17f-0cd5-5b0a-c736-92b9ca5f8366";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);
    private static final Callers CALLERS = new Callers();
    private static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "10.0.0.5");

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofMillis(100),
            Duration.ofSeconds(5)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 2, Duration.ZERO, 4),
            MemoryGuard.ofRuntime());
    private final InMemoryRecords records = InMemoryRecords.fromBundle("/fhir/synthea-lavern-subset.json", CLOCK);
    private final ModelServlet servlet = new ModelServlet(new ModelRuns(directory, runner, new RolePolicy(CALLERS, trail),
            records, trail, CLOCK));

    ModelServletTest() {
        FakeModel model = new FakeModel("prediction.fake-risk", "1.0.0", List.of(
                new ParameterSpec("age", ParameterType.DECIMAL, "age", "a", "http://loinc.org|30525-0", 18.0, 100.0,
                        null, List.of()),
                new ParameterSpec("ph_ecog", ParameterType.INTEGER, "ECOG status 0..4", "", "http://loinc.org|89247-1",
                        0.0, 4.0, null, List.of())),
                input -> new Prediction("death within a year", 0.125, "probability", "low", List.of(
                        new Contribution("age", input.value("age").orElseThrow(), 0.3, "age 27: +0.3 log-odds")),
                        List.of()));
        directory.models().add(model, model.properties());
    }

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    private HttpExchange predict(String body) throws Exception {
        return HttpExchange.send(servlet, CLINICIAN, "POST", "/prediction.fake-risk/$predict", "application/json",
                body);
    }

    @Test
    void theModelCardsShowInputsWithUnitsCodesTrainingAndValidation() throws Exception {
        HttpExchange exchange = HttpExchange.send(servlet, CLINICIAN, "GET", "/", null, null);

        assertEquals(200, exchange.status());
        JsonNode card = exchange.json().path(0);
        assertEquals("prediction.fake-risk", card.path("id").asText());
        assertEquals("tests only", card.path("intendedUse").asText());
        assertEquals("synthetic test data, 100 rows", card.path("trainingData").asText());
        assertEquals(0.75, card.path("validationMetrics").path("auc").asDouble());
        assertEquals("a", card.path("inputs").path(0).path("unit").asText());
        assertEquals("http://loinc.org|30525-0", card.path("inputs").path(0).path("code").asText());
        assertTrue(card.path("inputs").path(1).path("required").asBoolean());
    }

    @Test
    void aPredictionAnswersWithItsExplanationInputsAndRiskAssessment() throws Exception {
        HttpExchange exchange = predict("{\"patient\": \"Patient/" + PATIENT + "\", \"inputs\": {\"ph_ecog\": 1}}");

        assertEquals(200, exchange.status(), exchange.text());
        JsonNode answer = exchange.json();
        assertEquals(0.125, answer.path("prediction").path("value").asDouble());
        assertEquals("age 27: +0.3 log-odds", answer.path("explanation").path(0).path("explanation").asText());
        assertEquals(27.0, answer.path("inputs").path(0).path("value").asDouble());
        assertEquals("Patient/" + PATIENT, answer.path("inputs").path(0).path("reference").asText());
        assertEquals("request", answer.path("inputs").path(1).path("source").asText());
        assertEquals("RiskAssessment/" + records.created().get(0).id(), answer.path("riskAssessment").asText());
        assertEquals(64, answer.path("digests").path("input").asText().length());
    }

    @Test
    void failuresAreOperationOutcomesWithTheirStatus() throws Exception {
        HttpExchange missing = predict("{\"patient\": \"" + PATIENT + "\"}");
        assertEquals(422, missing.status());
        assertEquals("input 'ph_ecog' (a whole number from 0 to 4, code http://loinc.org|89247-1) is required but "
                + "not found: no Observation of http://loinc.org|89247-1 in the record; give it in the request",
                missing.diagnostics());

        HttpExchange badInput = predict("{\"patient\": \"" + PATIENT + "\", \"inputs\": {\"ph_ecog\": 7}}");
        assertEquals(400, badInput.status());
        assertEquals("input 'ph_ecog' must be a whole number from 0 to 4; got 7", badInput.diagnostics());

        HttpExchange nobody = predict("{\"patient\": \"nobody\", \"inputs\": {\"ph_ecog\": 1}}");
        assertEquals(404, nobody.status());
        assertEquals("Patient/nobody does not exist", nobody.diagnostics());

        assertEquals(404, HttpExchange.send(servlet, CLINICIAN, "POST", "/prediction.none/$predict",
                "application/json", "{\"patient\": \"" + PATIENT + "\"}").status());
        assertEquals(400, predict("{\"inputs\": {}}").status());
    }

    @Test
    void wrongMethodsAndPathsSayWhatTheEndpointsAre() throws Exception {
        HttpExchange notAModel = HttpExchange.send(servlet, CLINICIAN, "POST", "/prediction.fake-risk",
                "application/json", "{}");
        assertEquals(405, notAModel.status());
        assertEquals("GET", notAModel.header("Allow"));
        assertEquals("POST is not supported here; use GET (POST to /api/models/prediction.fake-risk/$predict asks it)",
                notAModel.diagnostics());

        HttpExchange getPredict = HttpExchange.send(servlet, CLINICIAN, "GET", "/prediction.fake-risk/$predict", null,
                null);
        assertEquals(405, getPredict.status());
        assertEquals("POST", getPredict.header("Allow"));

        HttpExchange run = HttpExchange.send(servlet, CLINICIAN, "POST", "/prediction.fake-risk/$run",
                "application/json", "{}");
        assertEquals(404, run.status());
        assertEquals("no endpoint at /api/models/prediction.fake-risk/$run: use GET /api/models, GET /api/models/{id} "
                + "or POST /api/models/{id}/$predict", run.diagnostics());

        HttpExchange unknown = HttpExchange.send(servlet, CLINICIAN, "GET", "/prediction.none", null, null);
        assertEquals(404, unknown.status());
        assertEquals("no prediction model 'prediction.none' is installed; GET /api/models lists those that are",
                unknown.diagnostics());
        assertEquals("1.0.0", HttpExchange.send(servlet, CLINICIAN, "GET", "/prediction.fake-risk/", null, null)
                .json().path(0).path("version").asText());
    }
}

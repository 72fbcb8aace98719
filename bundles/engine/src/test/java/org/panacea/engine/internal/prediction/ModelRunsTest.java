package org.panacea.engine.internal.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeModel;
import org.panacea.engine.fakes.InMemoryRecords;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRefusedException;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Model runs on a real patient history (Synthea, trimmed; reference values from Python on the original file, see
 * src/test/resources/fhir/README.md), with the RiskAssessment checked by the record's own validator.
 */
class ModelRunsTest {

    static final String PATIENT = "7353e17f-0cd5-5b0a-c736-92b9ca5f8366";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);
    static final Callers CALLERS = new Callers();
    static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "10.0.0.5");
    static final String LOINC = "http://loinc.org|";
    static final String SNOMED = "http://snomed.info/sct|";

    /** The inputs a model can declare, each found in the record another way. */
    static final List<ParameterSpec> INPUTS = List.of(
            input("age", ParameterType.DECIMAL, "age in years", "a", LOINC + "30525-0", 18.0, 100.0),
            input("sex", ParameterType.INTEGER, "sex: 1 male, 2 female", "", LOINC + "76689-9", 1.0, 2.0),
            input("weight", ParameterType.DECIMAL, "body weight", "kg", LOINC + "29463-7", 20.0, 300.0),
            input("systolic", ParameterType.DECIMAL, "systolic pressure", "mm[Hg]", LOINC + "8480-6", 50.0, 250.0),
            input("heart_rate", ParameterType.DECIMAL, "heart rate", "/min", LOINC + "8867-4", 20.0, 250.0),
            input("obesity", ParameterType.BOOLEAN, "obesity", "", SNOMED + "162864005", null, null),
            input("diabetes", ParameterType.BOOLEAN, "type 2 diabetes", "", SNOMED + "44054006", null, null),
            input("sinusitis", ParameterType.BOOLEAN, "viral sinusitis", "", SNOMED + "444814009", null, null),
            input("review", ParameterType.INTEGER, "medication review due", "", SNOMED + "314529007", 0.0, 1.0));

    /** What the record holds for {@link #INPUTS}, from Python on the original Synthea history. */
    static final Map<String, Double> FROM_RECORD = Map.of("age", 27.0, "sex", 1.0, "weight", 100.0, "systolic",
            104.0, "heart_rate", 98.0, "obesity", 1.0, "diabetes", 0.0, "sinusitis", 0.0, "review", 1.0);

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final RolePolicy policy = new RolePolicy(CALLERS, trail);
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofMillis(200),
            Duration.ofSeconds(5)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 4, Duration.ZERO, 4),
            MemoryGuard.ofRuntime());
    private final InMemoryRecords records = InMemoryRecords.fromBundle("/fhir/synthea-lavern-subset.json", CLOCK);
    private final ModelRuns runs = new ModelRuns(directory, runner, policy, records, trail, CLOCK);

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    static ParameterSpec input(String name, ParameterType type, String description, String unit, String code,
            Double minimum, Double maximum) {
        return new ParameterSpec(name, type, description, unit, code, minimum, maximum, null, List.of());
    }

    /** A logistic model: log-odds -4 + 0.02 per kg over 70 + 0.5 per condition, each explained. */
    static Prediction logistic(Map<String, Double> values) {
        List<Contribution> contributions = new ArrayList<>();
        double logOdds = -4;
        for (Map.Entry<String, Double> input : new TreeMap<>(values).entrySet()) {
            double contribution = input.getKey().equals("weight") ? 0.02 * (input.getValue() - 70)
                    : input.getKey().equals("obesity") ? 0.5 * input.getValue() : 0;
            logOdds += contribution;
            contributions.add(new Contribution(input.getKey(), input.getValue(), contribution,
                    input.getKey() + " " + input.getValue()));
        }
        return new Prediction("cardiovascular event in 10 years", 1 / (1 + Math.exp(-logOdds)), "probability",
                "low risk", contributions, List.of());
    }

    private FakeModel register(List<ParameterSpec> inputs, FakeModel.Behaviour behaviour) {
        FakeModel model = new FakeModel("prediction.fake-risk", "1.2.0", inputs, behaviour);
        directory.models().add(model, model.properties());
        return model;
    }

    private ModelRun run(Map<String, ?> inputs) {
        return runs.run(CLINICIAN, new ModelRequest("prediction.fake-risk", null, PATIENT, inputs, RawSource.JSON,
                null));
    }

    @Test
    void thePlatformsPatientCodesAndConditionCodeListsAreReadToo() {
        FakeModel model = register(List.of(
                input("age", ParameterType.DECIMAL, "age", "a", "urn:panacea:patient|age", 18.0, 100.0),
                input("female", ParameterType.BOOLEAN, "female", "", "urn:panacea:patient|female", null, null),
                input("metabolic", ParameterType.BOOLEAN, "diabetes or obesity", "", SNOMED + "44054006, "
                        + SNOMED + "162864005", null, null),
                input("sinus_or_diabetes", ParameterType.BOOLEAN, "neither is active", "", SNOMED + "444814009,"
                        + "http://hl7.org/fhir/sid/icd-10|E11.9", null, null)), input -> logistic(input.values()));
        run(Map.of());
        assertEquals(Map.of("age", 27.0, "female", 0.0, "metabolic", 1.0, "sinus_or_diabetes", 0.0),
                model.lastInput().values());
    }

    @Test
    void inputsAreReadFromTheRecordAndThePredictionIsStoredAsARiskAssessment() throws Exception {
        FakeModel model = register(INPUTS, input -> logistic(input.values()));

        ModelRun run = run(Map.of());

        assertEquals(FROM_RECORD, model.lastInput().values());
        Map<String, String> references = new TreeMap<>();
        run.inputs().forEach(input -> references.put(input.name(), input.reference()));
        assertEquals("Observation/5350a582-d710-1f39-ccd2-4ba3f6131b40", references.get("weight"));
        assertEquals("Observation/8eb826ad-a2e1-f7f6-1fe4-928903fdaea1", references.get("systolic"));
        assertEquals("Observation/9b59a8ab-2454-99f2-6ebd-34e4125a218c", references.get("heart_rate"));
        assertEquals("Condition/0a139b72-2450-a36f-4778-440376a922d6", references.get("obesity"));
        assertEquals("Condition/b0f6d8fb-2bed-d89a-454f-09674aab1650", references.get("review"));
        assertEquals("Patient/" + PATIENT, references.get("age"));
        assertEquals("", references.get("diabetes"));
        assertEquals("Patient.birthDate 1999-03-02 to today", run.inputs().get(0).source());

        StoredResource stored = records.created().get(0);
        assertEquals(stored.id(), run.riskAssessmentId());
        JsonNode risk = new ObjectMapper().readTree(stored.json());
        assertEquals("final", risk.path("status").asText());
        assertEquals("Patient/" + PATIENT, risk.path("subject").path("reference").asText());
        assertEquals("2026-11-21T08:00:00Z", risk.path("occurrenceDateTime").asText());
        JsonNode method = risk.path("method").path("coding").path(0);
        assertEquals("prediction.fake-risk", method.path("code").asText());
        assertEquals("1.2.0", method.path("version").asText());
        assertEquals(RiskAssessments.PLUGIN_SYSTEM, method.path("system").asText());
        assertEquals(run.prediction().value(), risk.path("prediction").path(0).path("probabilityDecimal")
                .asDouble());
        assertEquals("cardiovascular event in 10 years", risk.path("prediction").path(0).path("outcome")
                .path("text").asText());
        assertEquals(6, risk.path("basis").size(), "Patient, 3 Observations, 2 Conditions");
        String notes = risk.path("note").toString();
        assertTrue(notes.contains("weight = 100 kg (Observation 29463-7 2024-05-07T20:41:52+00:00)"), notes);
        assertTrue(notes.contains("Explanation (contribution of each input, in the model's scale): age +0.000"),
                notes);
        assertTrue(notes.contains("weight +0.6000 (weight 100.0)"), notes);
        assertTrue(notes.contains("validation auc 0.7500"), notes);

        AuditEvent event = trail.single();
        assertEquals(new AuditEvent("clinician", "clinician", AuditAction.MODEL_RUN, "prediction",
                "prediction.fake-risk", PATIENT, AuditOutcome.SUCCESS, "10.0.0.5", event.details()), event);
        // printf 'age=27.0\ndiabetes=0.0\nheart_rate=98.0\nobesity=1.0\nreview=1.0\nsex=1.0\nsinusitis=0.0\n
        //         systolic=104.0\nweight=100.0\n' | sha256sum
        assertEquals("3e4d854a1c50ddd899f2cc10b06b83abc2f125a19c3cf3fa0770dc7f6ab2f8b4", run.inputDigest());
        assertTrue(event.details().startsWith("plugin=prediction.fake-risk; version=1.2.0; inputs=age=27, "
                + "diabetes=0, heart_rate=98, obesity=1, review=1, sex=1, sinusitis=0, systolic=104, weight=100; "
                + "input.sha256=3e4d854a1c50ddd899f2cc10b06b83abc2f125a19c3cf3fa0770dc7f6ab2f8b4; output.sha256="
                + run.outputDigest() + "; duration.ms="), event.details());
        assertTrue(event.details().endsWith("; stored=RiskAssessment/" + stored.id()), event.details());
        assertTrue(records.callers().stream().allMatch(CLINICIAN::equals), "the record is read as the caller");
    }

    @Test
    void explicitInputsWinOverTheRecord() {
        FakeModel model = register(INPUTS, input -> logistic(input.values()));

        ModelRun run = run(Map.of("weight", 80, "diabetes", true));

        assertEquals(80.0, model.lastInput().values().get("weight"));
        assertEquals(1.0, model.lastInput().values().get("diabetes"));
        assertEquals("request", run.inputs().get(2).source());
    }

    @Test
    void aRequiredInputNeitherGivenNorInTheRecordIsNamedWithItsCode() {
        FakeModel model = register(List.of(INPUTS.get(0), input("ph_ecog", ParameterType.INTEGER, "ECOG", "",
                LOINC + "89247-1", 0.0, 4.0)), input -> logistic(input.values()));

        MissingInputsException e = assertThrows(MissingInputsException.class, () -> run(Map.of()));

        assertEquals(List.of("input 'ph_ecog' (a whole number from 0 to 4, code http://loinc.org|89247-1) is "
                + "required but not found: no Observation of http://loinc.org|89247-1 in the record; give it in the "
                + "request"), e.problems());
        assertNull(model.lastInput(), "the model never ran");
        assertEquals(AuditOutcome.FAILURE, trail.single().outcome());
        assertEquals("age", run(Map.of("ph_ecog", 1)).inputs().get(0).name(), "given, it runs");
    }

    @Test
    void aRecordValueOutsideTheModelsRangeIsNotPassedOn() {
        register(List.of(input("age", ParameterType.DECIMAL, "age", "a", LOINC + "30525-0", 40.0, 100.0)),
                input -> logistic(input.values()));

        MissingInputsException e = assertThrows(MissingInputsException.class, () -> run(Map.of()));

        assertEquals(List.of("the record gives 27 (Patient.birthDate 1999-03-02 to today), but input 'age' must be "
                + "a decimal number from 40 to 100 (unit a); got 27; give 'age' in the request to override it"),
                e.problems());
    }

    @Test
    void unitsAreNeverConvertedSilently() {
        register(List.of(input("weight", ParameterType.DECIMAL, "weight", "[lb_av]", LOINC + "29463-7", 40.0,
                700.0)), input -> logistic(input.values()));

        MissingInputsException e = assertThrows(MissingInputsException.class, () -> run(Map.of()));

        assertTrue(e.getMessage().endsWith("is required but not found: the record's Observations of "
                + "http://loinc.org|29463-7 are in kg, not [lb_av] (units are not converted); give it in the "
                + "request"), e.getMessage());
    }

    @Test
    void aDefaultFillsAnInputTheRecordLacks() {
        FakeModel model = register(List.of(new ParameterSpec("ph_ecog", ParameterType.INTEGER, "ECOG", "",
                LOINC + "89247-1", 0.0, 4.0, "1", List.of())), input -> logistic(input.values()));

        ModelRun run = run(Map.of());

        assertEquals(Map.of("ph_ecog", 1.0), model.lastInput().values());
        assertEquals("default", run.inputs().get(0).source());
    }

    @Test
    void anUnknownPatientIsNotFound() {
        register(INPUTS, input -> logistic(input.values()));

        assertEquals("Patient/nobody does not exist", assertThrows(ResourceNotFoundException.class,
                () -> runs.run(CLINICIAN, new ModelRequest("prediction.fake-risk", null, "Patient/nobody", Map.of(),
                        RawSource.JSON, null))).getMessage());
        assertEquals("patient: give the patient's id in the record (1 to 64 letters, digits, '-' or '.'); got "
                + "'a b'", assertThrows(IllegalArgumentException.class, () -> runs.run(CLINICIAN,
                        new ModelRequest("prediction.fake-risk", null, "a b", Map.of(), RawSource.JSON, null)))
                        .getMessage());
    }

    @Test
    void aCallerWhoMayRunButNotWriteGetsThePredictionUnstored() {
        policy.deny(Operation.CREATE);
        register(INPUTS, input -> logistic(input.values()));
        Caller nurse = CALLERS.user("nurse", Role.NURSE, "10.0.0.6");

        ModelRun run = runs.run(nurse, new ModelRequest("prediction.fake-risk", null, PATIENT, Map.of(),
                RawSource.JSON, null));

        assertNull(run.riskAssessmentId());
        assertEquals("not stored in the record: nurse may not CREATE RiskAssessment", run.notStored());
        assertEquals(List.of(), records.created());
        assertTrue(trail.single().details().endsWith("; stored=no"));
    }

    @Test
    void aValueThatIsNotAProbabilityIsStoredAsAQualitativeRisk() throws Exception {
        register(INPUTS.subList(0, 2), input -> new Prediction("overall survival", Double.NaN, "days",
                "the predicted curve stays above 50% through follow-up", List.of(), List.of(
                        new CurvePoint(5, 0.99, Double.NaN, Double.NaN))));

        ModelRun run = run(Map.of());

        JsonNode prediction = new ObjectMapper().readTree(records.created().get(0).json()).path("prediction").path(0);
        assertEquals("not reached", prediction.path("qualitativeRisk").path("text").asText());
        assertTrue(prediction.path("probabilityDecimal").isMissingNode());
        assertEquals("the predicted curve stays above 50% through follow-up", prediction.path("rationale").asText());
        assertEquals(run.riskAssessmentId(), records.created().get(0).id());
    }

    @Test
    void aModelThatRefusesTheInputsIsAFailure() {
        register(INPUTS, input -> {
            throw new PredictionException("weight 100 kg is outside the cohort's 40..90 kg");
        });

        PluginRefusedException e = assertThrows(PluginRefusedException.class, () -> run(Map.of()));

        assertEquals("prediction model prediction.fake-risk 1.2.0 refused the input: weight 100 kg is outside the "
                + "cohort's 40..90 kg", e.getMessage());
        assertEquals(AuditOutcome.FAILURE, trail.single().outcome());
        assertEquals(List.of(), records.created());
    }
}

package org.panacea.plugins.prediction.deterioration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;

/**
 * NEWS2 against the Royal College of Physicians' published charts (NEWS2 report, 2017): Chart 1 at both sides of
 * every band edge of every parameter and on both SpO2 scales, Charts 2-4 for the risk and response, and examples
 * worked by hand from Chart 1.
 */
class News2ModelTest {

    private final News2Model model = new News2Model();

    /** A well adult: every parameter in its 0-point band. */
    private static Map<String, Double> well() {
        Map<String, Double> v = new HashMap<>();
        v.put("respiration_rate", 16.0);
        v.put("spo2", 97.0);
        v.put("spo2_scale", 1.0);
        v.put("supplemental_oxygen", 0.0);
        v.put("systolic_bp", 120.0);
        v.put("pulse", 70.0);
        v.put("consciousness", 0.0);
        v.put("temperature", 37.0);
        return v;
    }

    private Prediction predict(Map<String, Double> values) throws PredictionException {
        return model.predict(new PredictionInput(values));
    }

    private Contribution contributionOf(Map<String, Double> values, String input) throws PredictionException {
        return predict(values).contributions().stream().filter(c -> c.input().equals(input)).findFirst()
                .orElseThrow();
    }

    @ParameterizedTest(name = "{0} = {1}: {2} points")
    @CsvSource({
            // respiration rate: <= 8: 3 | 9-11: 1 | 12-20: 0 | 21-24: 2 | >= 25: 3
            "respiration_rate, 0, 3", "respiration_rate, 8, 3", "respiration_rate, 9, 1", "respiration_rate, 11, 1",
            "respiration_rate, 12, 0", "respiration_rate, 20, 0", "respiration_rate, 21, 2",
            "respiration_rate, 24, 2", "respiration_rate, 25, 3", "respiration_rate, 80, 3",
            // systolic: <= 90: 3 | 91-100: 2 | 101-110: 1 | 111-219: 0 | >= 220: 3
            "systolic_bp, 20, 3", "systolic_bp, 90, 3", "systolic_bp, 91, 2", "systolic_bp, 100, 2",
            "systolic_bp, 101, 1", "systolic_bp, 110, 1", "systolic_bp, 111, 0", "systolic_bp, 219, 0",
            "systolic_bp, 220, 3", "systolic_bp, 300, 3",
            // pulse: <= 40: 3 | 41-50: 1 | 51-90: 0 | 91-110: 1 | 111-130: 2 | >= 131: 3
            "pulse, 0, 3", "pulse, 40, 3", "pulse, 41, 1", "pulse, 50, 1", "pulse, 51, 0", "pulse, 90, 0",
            "pulse, 91, 1", "pulse, 110, 1", "pulse, 111, 2", "pulse, 130, 2", "pulse, 131, 3", "pulse, 300, 3",
            // temperature: <= 35.0: 3 | 35.1-36.0: 1 | 36.1-38.0: 0 | 38.1-39.0: 1 | >= 39.1: 2
            "temperature, 25, 3", "temperature, 35.0, 3", "temperature, 35.1, 1", "temperature, 36.0, 1",
            "temperature, 36.1, 0", "temperature, 38.0, 0", "temperature, 38.1, 1", "temperature, 39.0, 1",
            "temperature, 39.1, 2", "temperature, 45, 2",
            // consciousness: alert 0 | new confusion, voice, pain, unresponsive 3
            "consciousness, 0, 0", "consciousness, 1, 3",
            // air 0 | oxygen 2
            "supplemental_oxygen, 0, 0", "supplemental_oxygen, 1, 2",
            // SpO2 scale 1: <= 91: 3 | 92-93: 2 | 94-95: 1 | >= 96: 0
            "spo2, 50, 3", "spo2, 91, 3", "spo2, 92, 2", "spo2, 93, 2", "spo2, 94, 1", "spo2, 95, 1", "spo2, 96, 0",
            "spo2, 100, 0" })
    void everyBandEdgeOfChart1(String input, double value, int points) throws PredictionException {
        Map<String, Double> values = well();
        values.put(input, value);
        Contribution c = contributionOf(values, input);
        assertEquals(points, c.contribution(), c.explanation());
        assertEquals(value, c.inputValue());
        assertTrue(c.explanation().endsWith(": " + points + (points == 1 ? " point" : " points")), c.explanation());
    }

    @ParameterizedTest(name = "SpO2 {0}% on scale 2, oxygen {1}: {2} points")
    @CsvSource({
            // <= 83: 3 | 84-85: 2 | 86-87: 1 | 88-92 or >= 93 on air: 0 | 93-94 on O2: 1 | 95-96 on O2: 2 | >= 97 on O2: 3
            "50, 0, 3", "83, 0, 3", "84, 0, 2", "85, 0, 2", "86, 0, 1", "87, 0, 1", "88, 0, 0", "92, 0, 0",
            "93, 0, 0", "97, 0, 0", "100, 0, 0",
            "83, 1, 3", "84, 1, 2", "85, 1, 2", "86, 1, 1", "87, 1, 1", "88, 1, 0", "92, 1, 0", "93, 1, 1",
            "94, 1, 1", "95, 1, 2", "96, 1, 2", "97, 1, 3", "100, 1, 3" })
    void everyBandEdgeOfSpo2Scale2(double spo2, double oxygen, int points) throws PredictionException {
        Map<String, Double> values = well();
        values.put("spo2_scale", 2.0);
        values.put("spo2", spo2);
        values.put("supplemental_oxygen", oxygen);
        Contribution c = contributionOf(values, "spo2");
        assertEquals(points, c.contribution(), c.explanation());
        assertTrue(c.explanation().contains("(scale 2)"), c.explanation());
        // oxygen scores its own 2 points on either scale
        assertEquals(oxygen == 1 ? 2 : 0, contributionOf(values, "supplemental_oxygen").contribution());
    }

    @Test
    void scale1IgnoresOxygenInTheSaturationBand() throws PredictionException {
        Map<String, Double> values = well();
        values.put("spo2", 97.0);
        values.put("supplemental_oxygen", 1.0);
        assertEquals(0, contributionOf(values, "spo2").contribution());
        assertEquals(2, predict(values).value());
    }

    @ParameterizedTest(name = "{0} = {1} is charted in the band of {2} points")
    @CsvSource({ "respiration_rate, 20.49, 0", "respiration_rate, 20.5, 2", "spo2, 95.5, 0", "spo2, 95.49, 1",
            "systolic_bp, 110.5, 0", "pulse, 90.5, 1", "temperature, 36.04, 1", "temperature, 36.05, 0",
            "temperature, 38.05, 1", "temperature, 35.04, 3" })
    void measuredValuesAreChartedToTheChartsPrecisionHalvesUp(String input, double value, int points)
            throws PredictionException {
        Map<String, Double> values = well();
        values.put(input, value);
        assertEquals(points, contributionOf(values, input).contribution());
    }

    @Test
    void aWellPatientScoresZeroAndStaysOnRoutineMonitoring() throws PredictionException {
        Prediction p = predict(well());
        assertEquals(0, p.value());
        assertEquals("clinical deterioration", p.outcome());
        assertEquals("points", p.unit());
        assertEquals(List.of("respiration_rate", "spo2", "supplemental_oxygen", "systolic_bp", "pulse",
                "consciousness", "temperature"), p.contributions().stream().map(Contribution::input).toList());
        assertTrue(p.interpretation().startsWith("NEWS2 0: low clinical risk. Monitoring: minimum 12-hourly."),
                p.interpretation());
        assertTrue(p.curve().isEmpty());
    }

    @Test
    void workedExampleLowRisk() throws PredictionException {
        // RR 22 (2), pulse 105 (1), temperature 38.5 (1): 4, no single 3 -> low, minimum 4-6-hourly
        Map<String, Double> v = well();
        v.put("respiration_rate", 22.0);
        v.put("pulse", 105.0);
        v.put("temperature", 38.5);
        Prediction p = predict(v);
        assertEquals(4, p.value());
        assertTrue(p.interpretation().startsWith("NEWS2 4: low clinical risk. Monitoring: minimum 4-6-hourly."),
                p.interpretation());
        assertTrue(p.interpretation().contains("inform the registered nurse"), p.interpretation());
    }

    @Test
    void workedExampleRedScoreAlone() throws PredictionException {
        // new confusion (3), everything else normal: 3, a single parameter at 3 -> low-medium, minimum 1-hourly
        Map<String, Double> v = well();
        v.put("consciousness", 1.0);
        Prediction p = predict(v);
        assertEquals(3, p.value());
        assertTrue(p.interpretation().startsWith("NEWS2 3 (a single parameter scores 3): low-medium clinical risk. "
                + "Monitoring: minimum 1-hourly. Response: urgent ward-based response"), p.interpretation());
        assertEquals("not alert, band CVPU: 3 points", p.contributions().get(5).explanation());
    }

    @Test
    void workedExampleMediumRisk() throws PredictionException {
        // RR 22 (2), SpO2 95 scale 1 (1), SBP 105 (1), pulse 95 (1): 5 -> medium, urgent response threshold
        Map<String, Double> v = well();
        v.put("respiration_rate", 22.0);
        v.put("spo2", 95.0);
        v.put("systolic_bp", 105.0);
        v.put("pulse", 95.0);
        Prediction p = predict(v);
        assertEquals(5, p.value());
        assertTrue(p.interpretation().startsWith("NEWS2 5: medium clinical risk. Monitoring: minimum 1-hourly. "
                + "Response: key threshold for urgent response"), p.interpretation());
        // a single 3 within a total of 5 or 6 is medium, not low-medium
        v = well();
        v.put("respiration_rate", 25.0);
        v.put("supplemental_oxygen", 1.0);
        assertTrue(predict(v).interpretation().contains(": medium clinical risk"));
    }

    @Test
    void workedExampleHighRisk() throws PredictionException {
        // RR 26 (3), SpO2 90 scale 1 (3) on oxygen (2), SBP 95 (2), pulse 120 (2), voice (3), 39.5 Cel (2): 17
        Map<String, Double> v = Map.of("respiration_rate", 26.0, "spo2", 90.0, "spo2_scale", 1.0,
                "supplemental_oxygen", 1.0, "systolic_bp", 95.0, "pulse", 120.0, "consciousness", 1.0,
                "temperature", 39.5);
        Prediction p = predict(v);
        assertEquals(17, p.value());
        assertEquals(List.of(3.0, 3.0, 2.0, 2.0, 2.0, 3.0, 2.0),
                p.contributions().stream().map(Contribution::contribution).toList());
        assertTrue(p.interpretation().contains("high clinical risk. Monitoring: continuous monitoring of vital signs"),
                p.interpretation());
        assertTrue(p.interpretation().contains("level 2 or 3"), p.interpretation());
        assertEquals("respiration rate 26/min, band >= 25: 3 points", p.contributions().get(0).explanation());
        assertEquals("SpO2 90%, band <= 91 (scale 1): 3 points", p.contributions().get(1).explanation());
        // seven exactly: the emergency threshold
        Map<String, Double> seven = well();
        seven.put("respiration_rate", 25.0);
        seven.put("supplemental_oxygen", 1.0);
        seven.put("systolic_bp", 95.0);
        assertEquals(7, predict(seven).value());
        assertTrue(predict(seven).interpretation().contains(": high clinical risk"));
    }

    @Test
    void workedExampleHypercapnicPatientOnTheTwoScales() throws PredictionException {
        // COPD with confirmed hypercapnic failure, SpO2 90% on oxygen: scale 2 gives 0 + 2, scale 1 would give 3 + 2
        Map<String, Double> v = well();
        v.put("spo2", 90.0);
        v.put("supplemental_oxygen", 1.0);
        v.put("spo2_scale", 2.0);
        assertEquals(2, predict(v).value());
        v.put("spo2_scale", 1.0);
        assertEquals(5, predict(v).value());
        v.remove("spo2_scale");
        assertEquals(5, predict(v).value(), "scale 1 is the default");
    }

    @Test
    void theHighestPossibleTotalIsTwenty() throws PredictionException {
        Map<String, Double> v = Map.of("respiration_rate", 5.0, "spo2", 80.0, "spo2_scale", 1.0,
                "supplemental_oxygen", 1.0, "systolic_bp", 80.0, "pulse", 150.0, "consciousness", 1.0,
                "temperature", 34.0);
        assertEquals(20, predict(v).value());
    }

    @Test
    void missingOrImpossibleInputsAreRefusedByName() {
        Map<String, Double> v = well();
        v.remove("pulse");
        PredictionException missing = assertThrows(PredictionException.class, () -> predict(v));
        assertTrue(missing.getMessage().contains("'pulse'"), missing.getMessage());

        Map<String, Double> scale = well();
        scale.put("spo2_scale", 3.0);
        PredictionException e = assertThrows(PredictionException.class, () -> predict(scale));
        assertTrue(e.getMessage().contains("'spo2_scale' is 3, outside 1..2"), e.getMessage());

        Map<String, Double> oxygen = well();
        oxygen.put("supplemental_oxygen", 0.5);
        e = assertThrows(PredictionException.class, () -> predict(oxygen));
        assertTrue(e.getMessage().contains("'supplemental_oxygen'"), e.getMessage());

        Map<String, Double> spo2 = well();
        spo2.put("spo2", 101.0);
        e = assertThrows(PredictionException.class, () -> predict(spo2));
        assertTrue(e.getMessage().contains("'spo2' is 101, outside 50..100"), e.getMessage());

        Map<String, Double> temperature = well();
        temperature.put("temperature", 98.6);
        e = assertThrows(PredictionException.class, () -> predict(temperature));
        assertTrue(e.getMessage().contains("'temperature'") && e.getMessage().contains("25..45"), e.getMessage());
    }

    @Test
    void describesItselfWithCodesUnitsAndPublishedMetrics() {
        ModelDescriptor d = model.descriptor();
        assertEquals("prediction.news2", d.plugin().id());
        assertEquals("1.0.0", d.plugin().version());
        Map<String, ParameterSpec> specs = new HashMap<>();
        d.plugin().parameters().forEach(p -> specs.put(p.name(), p));
        assertEquals("http://loinc.org|9279-1", specs.get("respiration_rate").code());
        assertEquals("http://loinc.org|59408-5", specs.get("spo2").code());
        assertEquals("http://loinc.org|8480-6", specs.get("systolic_bp").code());
        assertEquals("http://loinc.org|8867-4", specs.get("pulse").code());
        assertEquals("http://loinc.org|8310-5", specs.get("temperature").code());
        assertEquals("Cel", specs.get("temperature").unit());
        assertEquals("mm[Hg]", specs.get("systolic_bp").unit());
        // what the record does not hold must come with the request
        assertEquals("", specs.get("supplemental_oxygen").code());
        assertEquals("", specs.get("consciousness").code());
        assertEquals("1", specs.get("spo2_scale").defaultValue());
        for (ParameterSpec spec : d.plugin().parameters()) {
            assertTrue(spec.minimum() != null && spec.maximum() != null, spec.name() + " has a range");
            assertTrue(!spec.description().isBlank(), spec.name() + " is described");
        }
        assertTrue(d.trainingData().startsWith("Published score, not fitted here: Royal College of Physicians"));
        assertEquals(0.894, d.validationMetrics().get("auroc_death_24h_smith2013"));
        assertEquals(0.860, d.validationMetrics().get("auroc_death_24h_news2_t2rf_risk_pimentel2019"));
        assertTrue(d.plugin().intendedUse().contains("16 years"));
    }
}

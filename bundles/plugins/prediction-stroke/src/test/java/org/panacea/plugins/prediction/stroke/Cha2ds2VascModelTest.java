package org.panacea.plugins.prediction.stroke;

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
 * CHA2DS2-VASc against its published point table (Lip et al., Chest 2010), the annual stroke rates of Friberg et al.
 * (Eur Heart J 2012) and the ESC 2020 anticoagulation thresholds; examples worked by hand from the point table.
 */
class Cha2ds2VascModelTest {

    private final Cha2ds2VascModel model = new Cha2ds2VascModel();

    /** A man of 50 with none of the criteria. */
    private static Map<String, Double> none() {
        Map<String, Double> v = new HashMap<>();
        v.put("congestive_heart_failure", 0.0);
        v.put("hypertension", 0.0);
        v.put("age", 50.0);
        v.put("diabetes", 0.0);
        v.put("stroke_tia_thromboembolism", 0.0);
        v.put("vascular_disease", 0.0);
        v.put("female", 0.0);
        return v;
    }

    private Prediction predict(Map<String, Double> values) throws PredictionException {
        return model.predict(new PredictionInput(values));
    }

    @ParameterizedTest(name = "{0} alone: {1} points")
    @CsvSource({ "congestive_heart_failure, 1", "hypertension, 1", "diabetes, 1", "stroke_tia_thromboembolism, 2",
            "vascular_disease, 1", "female, 1" })
    void everyCriterionAloneScoresItsPublishedWeight(String criterion, int weight) throws PredictionException {
        Map<String, Double> v = none();
        v.put(criterion, 1.0);
        Prediction p = predict(v);
        assertEquals(weight, p.value());
        Contribution c = p.contributions().stream().filter(x -> x.input().equals(criterion)).findFirst().orElseThrow();
        assertEquals(weight, c.contribution());
        assertEquals(1, c.inputValue());
        assertTrue(c.explanation().endsWith(weight + (weight == 1 ? " point" : " points")), c.explanation());
        assertEquals(weight, p.contributions().stream().mapToDouble(Contribution::contribution).sum());
    }

    @ParameterizedTest(name = "age {0}: {1} points")
    @CsvSource({ "18, 0", "64, 0", "64.99, 0", "65, 1", "70, 1", "74, 1", "74.99, 1", "75, 2", "90, 2", "120, 2" })
    void ageScoresAtItsTwoPublishedEdges(double age, int points) throws PredictionException {
        Map<String, Double> v = none();
        v.put("age", age);
        Prediction p = predict(v);
        assertEquals(points, p.value());
        Contribution c = p.contributions().get(2);
        assertEquals("age", c.input());
        assertEquals(points, c.contribution());
        assertTrue(c.explanation().startsWith(points == 2 ? "A2: age " : "A: age "), c.explanation());
    }

    @Test
    void theContributionsExplainEveryPoint() throws PredictionException {
        Map<String, Double> v = none();
        v.put("age", 78.0);
        v.put("stroke_tia_thromboembolism", 1.0);
        Prediction p = predict(v);
        assertEquals(List.of("congestive_heart_failure", "hypertension", "age", "diabetes",
                "stroke_tia_thromboembolism", "vascular_disease", "female"),
                p.contributions().stream().map(Contribution::input).toList());
        assertEquals("A2: age 78 years (75 or more): 2 points", p.contributions().get(2).explanation());
        assertEquals("S2: prior stroke, TIA or thromboembolism present: 2 points",
                p.contributions().get(4).explanation());
        assertEquals("C: congestive heart failure absent: 0 points", p.contributions().get(0).explanation());
        assertEquals("Sc: sex category male: 0 points", p.contributions().get(6).explanation());
    }

    @ParameterizedTest(name = "score {0}: ischaemic stroke {1}%/year, stroke/TIA/embolism {2}%/year")
    @CsvSource({ "0, 0.2, 0.3", "1, 0.6, 0.9", "2, 2.2, 2.9", "3, 3.2, 4.6", "4, 4.8, 6.7", "5, 7.2, 10.0",
            "6, 9.7, 13.6", "7, 11.2, 15.7", "8, 10.8, 15.2", "9, 12.2, 17.4" })
    void annualRatesAreFriberg2012s(int score, double ischaemic, double any) {
        // Friberg, Rosenqvist, Lip, Eur Heart J 2012;33:1500-1510: patients without anticoagulation
        assertEquals(ischaemic, StrokeRates.ischaemicStroke(score));
        assertEquals(any, StrokeRates.strokeTiaOrEmbolism(score));
    }

    @ParameterizedTest(name = "score {0}, female {1}: {2}")
    @CsvSource({ "0, false, NOT_INDICATED", "1, false, CONSIDER", "2, false, RECOMMENDED", "5, false, RECOMMENDED",
            "1, true, NOT_INDICATED", "2, true, CONSIDER", "3, true, RECOMMENDED", "9, true, RECOMMENDED" })
    void esc2020ThresholdsDependOnSex(int score, boolean female, Anticoagulation expected) {
        assertEquals(expected, Anticoagulation.forScore(score, female));
    }

    @Test
    void workedExampleSeventyTwoYearOldWomanWithHypertension() throws PredictionException {
        // 65-74 (1) + hypertension (1) + female (1) = 3: 3.2 %/year; a woman at 3: OAC recommended
        Map<String, Double> v = none();
        v.put("age", 72.0);
        v.put("hypertension", 1.0);
        v.put("female", 1.0);
        Prediction p = predict(v);
        assertEquals(3, p.value());
        assertEquals("points", p.unit());
        assertEquals("stroke in atrial fibrillation", p.outcome());
        assertTrue(p.interpretation().startsWith("CHA2DS2-VASc 3 (woman): annual rate without anticoagulation 3.2% "
                + "for ischaemic stroke, 4.6% for stroke, TIA or systemic embolism (Friberg 2012"), p.interpretation());
        assertTrue(p.interpretation().contains("OAC is recommended (class I)"), p.interpretation());
    }

    @Test
    void workedExampleYoungWomanWithoutRiskFactors() throws PredictionException {
        // female sex alone (1): low risk, no antithrombotic therapy
        Map<String, Double> v = none();
        v.put("age", 45.0);
        v.put("female", 1.0);
        Prediction p = predict(v);
        assertEquals(1, p.value());
        assertTrue(p.interpretation().contains("0.6% for ischaemic stroke"), p.interpretation());
        assertTrue(p.interpretation().contains("no antithrombotic therapy"), p.interpretation());
    }

    @Test
    void workedExampleSixtySixYearOldMan() throws PredictionException {
        // 65-74 (1): a man at 1: consider OAC
        Map<String, Double> v = none();
        v.put("age", 66.0);
        Prediction p = predict(v);
        assertEquals(1, p.value());
        assertTrue(p.interpretation().contains("CHA2DS2-VASc 1 (man)"), p.interpretation());
        assertTrue(p.interpretation().contains("OAC should be considered (class IIa)"), p.interpretation());
    }

    @Test
    void workedExampleEightyYearOldManAfterTiaWithDiabetes() throws PredictionException {
        // >= 75 (2) + prior TIA (2) + diabetes (1) = 5: 7.2 %/year ischaemic stroke, 10.0 % stroke/TIA/embolism
        Map<String, Double> v = none();
        v.put("age", 80.0);
        v.put("stroke_tia_thromboembolism", 1.0);
        v.put("diabetes", 1.0);
        Prediction p = predict(v);
        assertEquals(5, p.value());
        assertTrue(p.interpretation().contains("7.2% for ischaemic stroke, 10.0% for stroke"), p.interpretation());
    }

    @Test
    void everyCriterionTogetherScoresTheMaximumOfNine() throws PredictionException {
        Map<String, Double> v = Map.of("congestive_heart_failure", 1.0, "hypertension", 1.0, "age", 82.0,
                "diabetes", 1.0, "stroke_tia_thromboembolism", 1.0, "vascular_disease", 1.0, "female", 1.0);
        Prediction p = predict(v);
        assertEquals(9, p.value());
        assertTrue(p.interpretation().contains("12.2% for ischaemic stroke, 17.4% for stroke"), p.interpretation());
    }

    @Test
    void missingOrImpossibleInputsAreRefusedByName() {
        Map<String, Double> v = none();
        v.remove("diabetes");
        PredictionException e = assertThrows(PredictionException.class, () -> predict(v));
        assertTrue(e.getMessage().contains("'diabetes'"), e.getMessage());
        Map<String, Double> half = none();
        half.put("hypertension", 0.5);
        e = assertThrows(PredictionException.class, () -> predict(half));
        assertTrue(e.getMessage().contains("'hypertension' must be a whole number (1 yes, 0 no)"), e.getMessage());
        Map<String, Double> young = none();
        young.put("age", 12.0);
        e = assertThrows(PredictionException.class, () -> predict(young));
        assertTrue(e.getMessage().contains("'age' is 12, outside 18..120"), e.getMessage());
        Map<String, Double> two = none();
        two.put("female", 2.0);
        e = assertThrows(PredictionException.class, () -> predict(two));
        assertTrue(e.getMessage().contains("'female'"), e.getMessage());
    }

    @Test
    void inputsSayWhereTheRecordHoldsThem() {
        ModelDescriptor d = model.descriptor();
        assertEquals("prediction.cha2ds2-vasc", d.plugin().id());
        Map<String, String> codes = new HashMap<>();
        for (ParameterSpec p : d.plugin().parameters()) {
            codes.put(p.name(), p.code());
        }
        assertEquals("urn:panacea:patient|age", codes.get("age"));
        assertEquals("urn:panacea:patient|female", codes.get("female"));
        // the demo data's SNOMED CT codes, each with its ICD-10 alternatives, as "system|code, system|code"
        assertTrue(codes.get("congestive_heart_failure").startsWith("http://snomed.info/sct|84114007, "));
        assertTrue(codes.get("congestive_heart_failure").contains("http://hl7.org/fhir/sid/icd-10|I50.9"));
        assertTrue(codes.get("hypertension").startsWith("http://snomed.info/sct|38341003"));
        assertTrue(codes.get("diabetes").startsWith("http://snomed.info/sct|44054006"));
        assertTrue(codes.get("stroke_tia_thromboembolism").startsWith("http://snomed.info/sct|230690007"));
        assertTrue(codes.get("vascular_disease").startsWith("http://snomed.info/sct|22298006"));
        for (String list : codes.values()) {
            for (String code : list.split(",")) {
                assertTrue(code.strip().matches("(http://snomed\\.info/sct|http://hl7\\.org/fhir/sid/icd-10"
                        + "|urn:panacea:patient)\\|[A-Za-z0-9.]+"), code);
            }
        }
        assertTrue(d.trainingData().startsWith("Published score, not fitted here"));
        assertTrue(d.trainingData().contains("Friberg"));
        assertEquals(0.644, d.validationMetrics().get("c_statistic_ischaemic_stroke_pooled_vanderendt2022"));
    }
}

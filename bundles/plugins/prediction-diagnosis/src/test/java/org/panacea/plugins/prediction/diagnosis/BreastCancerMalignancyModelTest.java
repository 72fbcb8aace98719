package org.panacea.plugins.prediction.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;

class BreastCancerMalignancyModelTest {

    private static final List<String> INPUTS = List.of("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9");

    // the data set's first row, ID 1000025 (benign): V1..V9
    private static final double[] FIRST_ROW = { 5, 1, 1, 1, 2, 1, 3, 1, 1 };
    // logit_biopsy.fitted_first5[0], = logit_biopsy_fitted.csv row 1
    private static final double FIRST_FITTED = 0.0160465813601082;
    // logit_biopsy_fitted.csv row 2, ID 1002945 (benign): V1..V9 5,4,4,5,7,10,3,2,1
    private static final double[] SECOND_ROW = { 5, 4, 4, 5, 7, 10, 3, 2, 1 };
    private static final double SECOND_FITTED = 0.908808622415828;
    // logit_biopsy.coef["(Intercept)"]
    private static final double INTERCEPT = -10.103942243323;

    private final BreastCancerMalignancyModel model = activated();

    private static BreastCancerMalignancyModel activated() {
        BreastCancerMalignancyModel model = new BreastCancerMalignancyModel();
        model.activate();
        return model;
    }

    private static Map<String, Double> values(double[] x) {
        Map<String, Double> values = new HashMap<>();
        for (int j = 0; j < x.length; j++) {
            values.put(INPUTS.get(j), x[j]);
        }
        return values;
    }

    private static PredictionInput mass(double[] x) {
        return new PredictionInput(values(x));
    }

    @Test
    void describesItsTrainingDataAndAuc() {
        ModelDescriptor d = model.descriptor();
        assertEquals("prediction.diagnosis.breast-malignancy", d.plugin().id());
        assertEquals("1.0.0", d.plugin().version());
        assertEquals("Wisconsin breast cancer cytology (R MASS::biopsy), 683 complete cases, 239 malignant",
                d.trainingData());
        // logit_biopsy.train_auc
        assertEquals(0.996324776659505, d.validationMetrics().get("auc"), 1e-9);
        assertEquals(Map.of("auc", d.validationMetrics().get("auc")), d.validationMetrics());
        List<ParameterSpec> parameters = d.plugin().parameters();
        assertEquals(INPUTS, parameters.stream().map(ParameterSpec::name).toList());
        for (ParameterSpec p : parameters) {
            assertEquals(ParameterType.INTEGER, p.type());
            assertEquals(1.0, p.minimum());
            assertEquals(10.0, p.maximum());
            assertTrue(p.required());
        }
        assertTrue(parameters.get(0).description().startsWith("clump thickness"));
        assertTrue(parameters.get(5).description().startsWith("bare nuclei"));
        assertTrue(parameters.get(8).description().startsWith("mitoses"));
    }

    @Test
    void predictsRsFittedProbability() throws Exception {
        Prediction p = model.predict(mass(FIRST_ROW));
        assertEquals("malignancy", p.outcome());
        assertEquals("probability", p.unit());
        assertEquals(FIRST_FITTED, p.value(), 1e-6);
        assertTrue(p.curve().isEmpty());
        assertTrue(p.interpretation().contains("0.016"), p.interpretation());
        Prediction q = model.predict(mass(SECOND_ROW));
        assertEquals(SECOND_FITTED, q.value(), 1e-6);
        assertTrue(q.interpretation().contains("0.909"), q.interpretation());
        double[] worst = { 10, 10, 10, 10, 10, 10, 10, 10, 10 };
        double v = model.predict(mass(worst)).value();
        assertTrue(v > 0.99 && v <= 1, "worst " + v);
    }

    @Test
    void contributionsAndInterceptAddUpToTheLogOdds() throws Exception {
        Prediction p = model.predict(mass(SECOND_ROW));
        assertEquals(INPUTS, p.contributions().stream().map(Contribution::input).toList());
        double sum = p.contributions().stream().mapToDouble(Contribution::contribution).sum();
        double logit = Math.log(p.value() / (1 - p.value()));
        assertEquals(logit, model.intercept() + sum, 1e-9);
        assertEquals(INTERCEPT, model.intercept(), 1e-6 * Math.abs(INTERCEPT));
        // logit_biopsy.coef.V6 * 10
        Contribution bareNuclei = p.contributions().get(5);
        assertEquals(10, bareNuclei.inputValue());
        assertEquals(0.383024572408632 * 10, bareNuclei.contribution(), 1e-5);
        assertTrue(bareNuclei.explanation().contains("V6 (bare nuclei) 10"), bareNuclei.explanation());
    }

    @Test
    void aMissingInputIsNamed() {
        Map<String, Double> values = values(FIRST_ROW);
        values.remove("V6");
        PredictionException e = assertThrows(PredictionException.class,
                () -> model.predict(new PredictionInput(values)));
        assertTrue(e.getMessage().contains("'V6'"), e.getMessage());
        values.put("V6", Double.NaN);
        PredictionException nan = assertThrows(PredictionException.class,
                () -> model.predict(new PredictionInput(values)));
        assertTrue(nan.getMessage().contains("'V6'"), nan.getMessage());
    }

    @Test
    void anInputOutOfRangeIsNamed() {
        double[] x = FIRST_ROW.clone();
        x[2] = 11;
        PredictionException e = assertThrows(PredictionException.class, () -> model.predict(mass(x)));
        assertTrue(e.getMessage().contains("'V3'"), e.getMessage());
        x[2] = 0;
        PredictionException zero = assertThrows(PredictionException.class, () -> model.predict(mass(x)));
        assertTrue(zero.getMessage().contains("'V3'"), zero.getMessage());
        x[2] = 1;
        x[8] = 2.5;
        PredictionException f = assertThrows(PredictionException.class, () -> model.predict(mass(x)));
        assertTrue(f.getMessage().contains("'V9'"), f.getMessage());
    }
}

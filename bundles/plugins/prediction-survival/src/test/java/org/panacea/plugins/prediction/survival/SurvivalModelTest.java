package org.panacea.plugins.prediction.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;

class SurvivalModelTest {

    // cox_lung_efron.coef and .means
    private static final double[] COEF = { 0.0110667645600735, -0.552612395703631, 0.463728475370428 };
    private static final double[] MEANS = { 62.4581497797357, 1.39647577092511, 0.951541850220264 };

    private final SurvivalModel model = activated();

    private static SurvivalModel activated() {
        SurvivalModel model = new SurvivalModel();
        model.activate();
        return model;
    }

    private static PredictionInput patient(double age, double sex, double ecog) {
        return new PredictionInput(Map.of("age", age, "sex", sex, "ph_ecog", ecog));
    }

    @Test
    void describesItsTrainingDataAndConcordance() {
        ModelDescriptor d = model.descriptor();
        assertEquals("prediction.survival.lung-cox", d.plugin().id());
        assertEquals("1.0.0", d.plugin().version());
        assertEquals("NCCTG advanced lung cancer (R survival::lung), 227 complete cases, 164 deaths",
                d.trainingData());
        // cox_lung_efron.concordance
        assertEquals(0.637135493000455, d.validationMetrics().get("concordance"), 1e-12);
        assertEquals(List.of("age", "sex", "ph_ecog"), d.plugin().parameters().stream().map(p -> p.name()).toList());
    }

    @Test
    void predictsAFallingCurveAndItsMedian() throws Exception {
        Prediction p = model.predict(patient(70, 1, 2));
        List<CurvePoint> curve = p.curve();
        assertFalse(curve.isEmpty());
        assertTrue(curve.get(0).value() <= 1);
        for (int k = 1; k < curve.size(); k++) {
            assertTrue(curve.get(k).value() <= curve.get(k - 1).value(), "falls at " + curve.get(k).time());
            assertTrue(curve.get(k).time() > curve.get(k - 1).time());
        }
        assertEquals("d", p.unit());
        double median = p.value();
        CurvePoint first = curve.stream().filter(c -> c.value() <= 0.5).findFirst().orElseThrow();
        assertEquals(first.time(), median);
        // a 70-year-old man with ECOG 2 fares worse than the cohort's median of 310 days
        assertTrue(median < 310, "median " + median);
        assertTrue(model.predict(patient(50, 2, 0)).value() > 310);
    }

    @Test
    void contributionsAddUpToTheLinearPredictorMinusItsMean() throws Exception {
        double[] x = { 70, 1, 2 };
        Prediction p = model.predict(patient(x[0], x[1], x[2]));
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            expected += COEF[j] * (x[j] - MEANS[j]);
        }
        double sum = p.contributions().stream().mapToDouble(Contribution::contribution).sum();
        assertEquals(expected, sum, 1e-6);
        assertEquals(List.of("age", "sex", "ph_ecog"), p.contributions().stream().map(Contribution::input).toList());
        assertTrue(p.contributions().get(2).explanation().contains("ph_ecog 2"), p.contributions().get(2).explanation());
        // S(t|x) = exp(-H0(t) exp(sum)) at the first event time, H0(5) from cox_lung_efron.basehaz_centered_head
        assertEquals(Math.exp(-0.00396302246470663 * Math.exp(expected)), p.curve().get(0).value(), 1e-8);
    }

    @Test
    void aMissingInputIsNamed() {
        PredictionException e = assertThrows(PredictionException.class,
                () -> model.predict(new PredictionInput(Map.of("age", 60.0, "sex", 1.0))));
        assertTrue(e.getMessage().contains("'ph_ecog'"), e.getMessage());
    }

    @Test
    void anInputOutOfRangeIsNamed() {
        PredictionException e = assertThrows(PredictionException.class, () -> model.predict(patient(60, 3, 1)));
        assertTrue(e.getMessage().contains("'sex'"), e.getMessage());
        PredictionException f = assertThrows(PredictionException.class, () -> model.predict(patient(60, 1, 1.5)));
        assertTrue(f.getMessage().contains("'ph_ecog'"), f.getMessage());
    }
}

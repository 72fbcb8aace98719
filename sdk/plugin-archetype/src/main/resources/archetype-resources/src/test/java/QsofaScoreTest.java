package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;

/**
 * The score against its published definition (Singer et al., JAMA 2016;315(8):801-810, Box 4): respiratory rate
 * >= 22/min, altered mentation (GCS < 15), systolic blood pressure <= 100 mm Hg, one point each; checked on each
 * side of every cut-off and on all eight combinations.
 */
class QsofaScoreTest {

    private final QsofaScore model = new QsofaScore();

    private static PredictionInput patient(double rate, double systolic, double glasgow) {
        return new PredictionInput(Map.of("respiratory_rate", rate, "systolic_pressure", systolic,
                "glasgow_coma_scale", glasgow));
    }

    private double score(double rate, double systolic, double glasgow) throws PredictionException {
        return model.predict(patient(rate, systolic, glasgow)).value();
    }

    @Test
    void eachCriterionScoresExactlyAtItsPublishedCutOff() throws Exception {
        assertEquals(0, score(21, 101, 15));
        assertEquals(1, score(22, 101, 15));
        assertEquals(1, score(21, 100, 15));
        assertEquals(1, score(21, 101, 14));
        assertEquals(0, score(21.9, 100.1, 15));
    }

    @Test
    void everyCombinationOfCriteriaAddsUpAndIsExplained() throws Exception {
        for (int mask = 0; mask < 8; mask++) {
            boolean fast = (mask & 1) != 0;
            boolean low = (mask & 2) != 0;
            boolean confused = (mask & 4) != 0;
            Prediction prediction = model.predict(patient(fast ? 30 : 16, low ? 85 : 130, confused ? 13 : 15));
            assertEquals(Integer.bitCount(mask), prediction.value());
            assertEquals("points", prediction.unit());
            assertEquals(3, prediction.contributions().size());
            double explained = prediction.contributions().stream().mapToDouble(Contribution::contribution).sum();
            assertEquals(prediction.value(), explained, "the contributions add up to the score");
            assertEquals(Integer.bitCount(mask) >= 2, prediction.interpretation().contains("higher risk"),
                    prediction.interpretation());
        }
    }

    @Test
    void refusesMissingOrImplausibleInputsNamingThem() {
        PredictionException missing = assertThrows(PredictionException.class, () -> model.predict(
                new PredictionInput(Map.of("respiratory_rate", 20.0, "systolic_pressure", 120.0))));
        assertTrue(missing.getMessage().contains("glasgow_coma_scale"), missing.getMessage());
        PredictionException implausible = assertThrows(PredictionException.class,
                () -> model.predict(patient(20, 120, 2)));
        assertTrue(implausible.getMessage().contains("glasgow_coma_scale")
                && implausible.getMessage().contains("3.0 to 15.0"), implausible.getMessage());
    }
}

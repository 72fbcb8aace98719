package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.CsvTable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Checked against R 4.2.2's {@code glm(class ~ V1 + ... + V9, binomial, MASS::biopsy)} on the 683 complete cases
 * (JSON key logit_biopsy), values copied at full precision, and its per-row fitted probabilities
 * (logit_biopsy_fitted.csv).
 */
class LogisticRegressionTest {

    private static final double RELATIVE = 1e-6;
    /**
     * R's standard errors (and so its z values) come from the weights at the start of its 8th and last Fisher
     * scoring iteration, stopped at a relative deviance change of 1e-8; at the maximum likelihood estimate this
     * class converges to (1e-12) they differ from R's by up to 1.6e-5 relative (intercept). An independent numpy
     * check replaying R's iterations reproduces R's SEs to 3e-14, and the exact MLE's SEs to the figures asserted.
     */
    private static final double RELATIVE_SE = 2e-5;

    // logit_biopsy.coef: (Intercept), V1..V9
    private static final double[] COEF = { -10.103942243323, 0.535014068075587, -0.00627971684423038,
            0.322706495746473, 0.330636915299499, 0.0966354170982306, 0.383024572408632, 0.44718791995587,
            0.213030681597177, 0.534835631040543 };
    // logit_biopsy.se
    private static final double[] SE = { 1.17487744041635, 0.14201743327585, 0.209077391207985, 0.230600652052691,
            0.123450889253152, 0.156592357889231, 0.0938432725852356, 0.171382379666008, 0.112873475573187,
            0.328773893383373 };
    // logit_biopsy.z
    private static final double[] Z = { -8.5999968130654, 3.76724220213441, -0.0300353701944916, 1.39941709996872,
            2.67828702814353, 0.61711451568146, 4.081534689242, 2.60929928051738, 1.88734049798128,
            1.62675821226744 };
    // logit_biopsy.deviance, .null_deviance, .aic, .loglik
    private static final double DEVIANCE = 102.888191162019;
    private static final double NULL_DEVIANCE = 884.350188910622;
    private static final double AIC = 122.888191162019;
    private static final double LOGLIK = -51.4440955810096;

    private static void assertRelative(double expected, double actual, String what) {
        assertRelative(expected, actual, RELATIVE, what);
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.abs(expected) * relative, what);
    }

    @Test
    void biopsyEqualsR() {
        LogisticRegression logit = Reference.fit();
        // logit_biopsy.n
        assertEquals(683, logit.observations());
        assertEquals(239, logit.positives());
        assertEquals(List.of("(Intercept)", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9"), logit.names());
        for (int j = 0; j < COEF.length; j++) {
            String name = logit.names().get(j);
            assertRelative(COEF[j], logit.coefficients()[j], "coef " + name);
            assertRelative(SE[j], logit.standardError(j), RELATIVE_SE, "se " + name);
            assertRelative(Z[j], logit.zValue(j), RELATIVE_SE, "z " + name);
        }
        assertRelative(DEVIANCE, logit.deviance(), "deviance");
        assertRelative(NULL_DEVIANCE, logit.nullDeviance(), "null deviance");
        assertRelative(AIC, logit.aic(), "AIC");
        assertRelative(LOGLIK, logit.logLikelihood(), "log-likelihood");
        // logit_biopsy.iter: R needs 8 Fisher scoring iterations to its 1e-8; 1e-12 may take a few more
        assertTrue(logit.iterations() <= 12, logit.iterations() + " iterations");
    }

    @Test
    void everyFittedProbabilityEqualsR() {
        LogisticRegression logit = Reference.fit();
        CsvTable reference = Reference.fitted();
        double[] expected = reference.column("fitted_p");
        String[] classes = reference.text("class");
        boolean[] malignant = Reference.biopsy().malignant();
        double[] fitted = logit.fitted();
        assertEquals(683, expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(classes[i].equals("malignant"), malignant[i], "class of row " + i);
        }
        assertArrayEquals(expected, fitted, 1e-6);
        double[] linear = reference.column("linear_predictor");
        double[][] x = Reference.biopsy().x();
        for (int i = 0; i < linear.length; i++) {
            assertEquals(linear[i], logit.linearPredictor(x[i]), 1e-6 * Math.max(1, Math.abs(linear[i])), "row " + i);
            assertEquals(fitted[i], logit.probability(x[i]), 1e-15, "row " + i);
        }
    }

    @Test
    void aSmallFitByHand() {
        // y ~ x on x = 0, 1, 2, 3 and y = 0, 1, 0, 1: the MLE has a closed form only through its score equations;
        // check them: sum (y - p) = 0 and sum x (y - p) = 0
        double[][] x = { { 0 }, { 1 }, { 2 }, { 3 } };
        boolean[] y = { false, true, false, true };
        LogisticRegression logit = LogisticRegression.fit(List.of("x"), x, y);
        double[] p = logit.fitted();
        double s0 = 0;
        double s1 = 0;
        for (int i = 0; i < 4; i++) {
            s0 += (y[i] ? 1 : 0) - p[i];
            s1 += x[i][0] * ((y[i] ? 1 : 0) - p[i]);
        }
        assertEquals(0, s0, 1e-12);
        assertEquals(0, s1, 1e-12);
        assertEquals(logit.deviance() + 4, logit.aic(), 1e-12);
        // intercept-only deviance of 2 of 4: -2 * 4 * log(1/2)
        assertEquals(8 * Math.log(2), logit.nullDeviance(), 1e-12);
    }

    @Test
    void refusesDegenerateData() {
        assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(List.of("x"), new double[][] { { 1 }, { 2 } }, new boolean[] { true, true }));
        IllegalArgumentException separated = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(List.of("x"), new double[][] { { 1 }, { 2 }, { 3 }, { 4 } },
                        new boolean[] { false, false, true, true }));
        assertTrue(separated.getMessage().contains("separated"), separated.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(List.of("x"), new double[][] { { 1 }, { Double.NaN } },
                        new boolean[] { false, true }));
        assertTrue(missing.getMessage().contains("'x'"), missing.getMessage());
    }
}

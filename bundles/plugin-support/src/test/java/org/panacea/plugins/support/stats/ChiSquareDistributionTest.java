package org.panacea.plugins.support.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erfc against published values (Abramowitz and Stegun table 7.1, R's 2 * pnorm(-x * sqrt(2))). */
class ChiSquareDistributionTest {

    @Test
    void erfcHasFifteenDigitsAcrossCodysThreeIntervals() {
        assertRelative(1, ChiSquareDistribution.erfc(0), 1e-15);
        assertRelative(0.4795001221869535, ChiSquareDistribution.erfc(0.5), 1e-14);
        assertRelative(0.15729920705028513, ChiSquareDistribution.erfc(1), 1e-14);
        assertRelative(0.004677734981047266, ChiSquareDistribution.erfc(2), 1e-14);
        assertRelative(1.5374597944280349e-12, ChiSquareDistribution.erfc(5), 1e-14);
        assertRelative(1.8427007929497148, ChiSquareDistribution.erfc(-1), 1e-14);
    }

    @Test
    void chiSquareTailsMatchR() {
        // pchisq(3.841458820694124, 1, lower.tail = FALSE) = 0.05; pchisq(5.991464547107979, 2, ...) = 0.05
        assertRelative(0.05, ChiSquareDistribution.survival(3.841458820694124, 1), 1e-12);
        assertRelative(0.05, ChiSquareDistribution.survival(5.991464547107979, 2), 1e-12);
        // cox_lung_efron.lr_test: 30.5006687731566 on 3 df, p = 1.0828176991987e-06
        assertRelative(1.0828176991987e-06, ChiSquareDistribution.survival(30.5006687731566, 3), 1e-12);
        assertEquals(1, ChiSquareDistribution.survival(0, 4));
    }

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, Math.abs(expected) * tolerance);
    }
}

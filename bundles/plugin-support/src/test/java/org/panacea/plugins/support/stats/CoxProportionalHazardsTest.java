package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.CsvTable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Checked against R survival 3.5-3's {@code coxph(Surv(time, status) ~ age + sex + ph.ecog, lung)} (JSON keys
 * cox_lung_efron and cox_lung_breslow), values copied at full precision.
 */
class CoxProportionalHazardsTest {

    private static final double RELATIVE = 1e-6;

    static CoxProportionalHazards fit(CoxProportionalHazards.Ties ties) {
        CsvTable lung = Lung.data();
        double[] age = lung.column("age");
        double[] sex = lung.column("sex");
        double[] ecog = lung.column("ph.ecog");
        double[][] x = new double[age.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] { age[i], sex[i], ecog[i] };
        }
        return CoxProportionalHazards.fit(List.of("age", "sex", "ph.ecog"), x, Lung.time(), Lung.death(), ties);
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
    }

    private static void assertFit(CoxProportionalHazards cox, double[] coef, double[] se, double loglikNull,
            double loglik, double lr) {
        assertEquals(227, cox.subjects());
        assertEquals(1, cox.dropped());
        assertEquals(164, cox.events());
        for (int j = 0; j < 3; j++) {
            assertRelative(coef[j], cox.coefficients()[j], "coef " + cox.names().get(j));
            assertRelative(se[j], cox.standardError(j), "se " + cox.names().get(j));
            assertRelative(Math.exp(coef[j]), cox.hazardRatio(j), "exp(coef) " + cox.names().get(j));
        }
        assertRelative(loglikNull, cox.logLikelihoodNull(), "loglik at 0");
        assertRelative(loglik, cox.logLikelihood(), "loglik at the fit");
        assertRelative(lr, cox.likelihoodRatio(), "likelihood ratio");
        assertTrue(cox.iterations() <= 5, cox.iterations() + " iterations");
    }

    @Test
    void efronEqualsR() {
        CoxProportionalHazards cox = fit(CoxProportionalHazards.Ties.EFRON);
        // cox_lung_efron: coef, se, loglik_null, loglik_fitted, lr_test
        assertFit(cox, new double[] { 0.0110667645600735, -0.552612395703631, 0.463728475370428 },
                new double[] { 0.00926741101370053, 0.167739053787264, 0.113577266161997 },
                -744.48045576144, -729.230121374862, 30.5006687731566);
        assertRelative(1.0828176991987e-06, cox.likelihoodRatioPValue(), "LR p");
        // cox_lung_efron.vcov[0][2]
        assertRelative(-0.000182172978664395, cox.covariance()[0][2], "vcov age, ph.ecog");
        // cox_lung_efron.means
        assertRelative(62.4581497797357, cox.means()[0], "mean age");
        assertRelative(1.39647577092511, cox.means()[1], "mean sex");
        assertRelative(0.951541850220264, cox.means()[2], "mean ph.ecog");
    }

    @Test
    void breslowEqualsR() {
        // cox_lung_breslow
        CoxProportionalHazards cox = fit(CoxProportionalHazards.Ties.BRESLOW);
        assertFit(cox, new double[] { 0.0110411363494885, -0.551889569787597, 0.462947040590164 },
                new double[] { 0.00926677011353555, 0.167742448021018, 0.113574052061301 },
                -744.692819266161, -729.488705176774, 30.4082281787737);
    }

    @Test
    void hazardRatioLimitsUseTheNormalQuantile() {
        CoxProportionalHazards cox = fit(CoxProportionalHazards.Ties.EFRON);
        // exp(-0.552612395703631 -+ 1.959964 * 0.167739053787264), as R's summary(fit) prints: 0.4142, 0.7994
        assertEquals(0.4142, cox.hazardRatioLower(1), 5e-5);
        assertEquals(0.7994, cox.hazardRatioUpper(1), 5e-5);
    }

    @Test
    void concordanceCountsEqualRs() {
        // cox_lung_efron.concordance_counts: 12544, 7117, tied.x 126, tied.y 28, tied.xy 0; concordance 0.637135493000455
        CoxProportionalHazards.Concordance c = fit(CoxProportionalHazards.Ties.EFRON).concordance();
        assertEquals(new CoxProportionalHazards.Concordance(12544, 7117, 126, 28, 0), c);
        assertEquals(0.637135493000455, c.value(), 1e-12);
    }

    @Test
    void centredBaselineHazardEqualsRsBasehaz() {
        // cox_lung_efron.basehaz_centered_head (survfit.coxph on an Efron fit uses Efron's increments at ties)
        double[] times = { 5, 11, 12, 13, 15, 26, 30, 31, 53, 54 };
        double[] hazard = { 0.00396302246470663, 0.015948084107083, 0.0199927964586316, 0.028188935595367,
                0.0323335877495884, 0.0364930817373697, 0.0406923116659029, 0.04493159404655, 0.0534719662770757,
                0.0577813567525031 };
        CoxProportionalHazards cox = fit(CoxProportionalHazards.Ties.EFRON);
        for (int k = 0; k < times.length; k++) {
            assertEquals(times[k], cox.eventTimes()[k]);
            assertRelative(hazard[k], cox.baselineCumulativeHazard()[k], "H0 at " + times[k]);
        }
    }

    @Test
    void concordanceEqualsCountingEveryPair() {
        // ties in time, in risk and in both: the one-pass count must equal the definition, pair by pair
        Random random = new Random(17);
        int n = 400;
        double[][] x = new double[n][];
        double[] time = new double[n];
        boolean[] event = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] { random.nextInt(3), random.nextInt(2) };
            time[i] = 1 + random.nextInt(40) + x[i][0] * 5;
            event[i] = random.nextDouble() < 0.7;
        }
        CoxProportionalHazards cox = CoxProportionalHazards.fit(List.of("a", "b"), x, time, event,
                CoxProportionalHazards.Ties.EFRON);
        double[] risk = new double[n];
        for (int i = 0; i < n; i++) {
            risk[i] = cox.centredLinearPredictor(x[i]);
        }
        long concordant = 0;
        long discordant = 0;
        long tiedX = 0;
        long tiedY = 0;
        long tiedXY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j || !event[i]) {
                    continue;
                }
                if (time[j] == time[i] && event[j]) {
                    if (j > i) {
                        if (risk[i] == risk[j]) {
                            tiedXY++;
                        } else {
                            tiedY++;
                        }
                    }
                } else if (time[j] >= time[i]) {
                    if (risk[i] > risk[j]) {
                        concordant++;
                    } else if (risk[i] < risk[j]) {
                        discordant++;
                    } else {
                        tiedX++;
                    }
                }
            }
        }
        assertEquals(new CoxProportionalHazards.Concordance(concordant, discordant, tiedX, tiedY, tiedXY),
                cox.concordance());
        assertTrue(tiedX > 0 && tiedY > 0 && tiedXY > 0, "the data must exercise every kind of tie");
    }

    @Test
    void waldStatisticsFollowFromTheCoefficients() {
        CoxProportionalHazards cox = fit(CoxProportionalHazards.Ties.EFRON);
        // summary(coxph(...)) for sex: z = -3.294, Pr(>|z|) = 0.000986 (R prints 3 significant digits)
        assertEquals(-0.552612395703631 / 0.167739053787264, cox.zValue(1), 1e-6);
        assertEquals(0.000986, cox.pValue(1), 5e-7);
    }

    @Test
    void collinearCovariatesAreRefused() {
        double[][] x = { { 1, 2 }, { 2, 4 }, { 3, 6 }, { 4, 8 } };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxProportionalHazards.fit(List.of("a", "b"), x, new double[] { 1, 2, 3, 4 },
                        new boolean[] { true, true, false, true }, CoxProportionalHazards.Ties.EFRON));
        assertTrue(e.getMessage().contains("collinear"), e.getMessage());
    }
}

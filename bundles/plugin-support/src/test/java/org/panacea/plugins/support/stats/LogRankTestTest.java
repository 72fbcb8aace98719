package org.panacea.plugins.support.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Checked against R survival 3.5-3's survdiff(Surv(time, status) ~ sex, lung) (JSON key logrank_lung_sex). */
class LogRankTestTest {

    private static final double RELATIVE = 1e-6;

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
    }

    @Test
    void bySexEqualsR() {
        LogRankTest test = LogRankTest.of(Lung.time(), Lung.death(), Lung.sexStrata());
        assertEquals(List.of("sex=1", "sex=2"), test.groups());
        assertEquals(112, test.observed()[0]);
        assertEquals(53, test.observed()[1]);
        assertRelative(91.5817390295728, test.expected()[0], "expected sex=1");
        assertRelative(73.4182609704272, test.expected()[1], "expected sex=2");
        assertRelative(40.3714339796426, test.variance()[0][0], "variance");
        assertRelative(-40.3714339796426, test.variance()[0][1], "covariance");
        assertRelative(10.3267419548856, test.chiSquare(), "chisq");
        assertEquals(1, test.df());
        assertRelative(0.00131116452035549, test.pValue(), "p");
    }

    @Test
    void threeGroupsHaveTwoDegreesOfFreedom() {
        double[] ecog = Lung.data().column("ph.ecog");
        double[] time = Lung.time();
        boolean[] death = Lung.death();
        int n = 0;
        for (double e : ecog) {
            n += Double.isNaN(e) || e == 3 ? 0 : 1;
        }
        double[] t = new double[n];
        boolean[] d = new boolean[n];
        String[] g = new String[n];
        for (int i = 0, k = 0; i < ecog.length; i++) {
            if (!Double.isNaN(ecog[i]) && ecog[i] != 3) {
                t[k] = time[i];
                d[k] = death[i];
                g[k++] = "ecog=" + (int) ecog[i];
            }
        }
        LogRankTest test = LogRankTest.of(t, d, g);
        assertEquals(2, test.df());
        assertEquals(Math.exp(-test.chiSquare() / 2), test.pValue(), 1e-15);
    }

    @Test
    void oneGroupIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogRankTest.of(new double[] { 1, 2 }, new boolean[] { true, true }, new String[] { "a", "a" }));
        assertEquals(true, e.getMessage().contains("two groups"));
    }
}

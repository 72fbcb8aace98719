package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.CsvTable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Checked against R survival 3.5-3's survfit on the lung data (see the test resources' README). */
class KaplanMeierTest {

    private static final double EXACT = 1e-9;

    private final Map<String, KaplanMeier> bySex = KaplanMeier.byStratum(Lung.time(), Lung.death(), Lung.sexStrata());

    @Test
    void theFullTablesEqualRsForEachSex() {
        assertTableEquals("km_lung_sex1_full.csv", bySex.get("sex=1"));
        assertTableEquals("km_lung_sex2_full.csv", bySex.get("sex=2"));
    }

    private static void assertTableEquals(String reference, KaplanMeier km) {
        CsvTable r = Lung.table(reference);
        List<KaplanMeier.Step> steps = km.steps();
        assertEquals(r.rows(), steps.size(), reference + ": rows");
        double[] time = r.column("time");
        double[] nRisk = r.column("n_risk");
        double[] nEvent = r.column("n_event");
        double[] nCensor = r.column("n_censor");
        double[] surv = r.column("surv");
        double[] se = r.column("std_err_logS");
        double[] lower = r.column("lower");
        double[] upper = r.column("upper");
        double[] cumhaz = r.column("cumhaz");
        for (int i = 0; i < steps.size(); i++) {
            KaplanMeier.Step s = steps.get(i);
            String at = reference + " row " + (i + 1) + " (t = " + time[i] + ")";
            assertEquals(time[i], s.time(), 0, at);
            assertEquals(nRisk[i], s.atRisk(), 0, at);
            assertEquals(nEvent[i], s.events(), 0, at);
            assertEquals(nCensor[i], s.censored(), 0, at);
            assertEquals(surv[i], s.survival(), EXACT, at);
            assertEquals(se[i], s.stdErrLogSurvival(), EXACT, at);
            assertEquals(lower[i], s.lower(), EXACT, at);
            assertEquals(upper[i], s.upper(), EXACT, at);
            assertEquals(cumhaz[i], s.cumulativeHazard(), EXACT, at);
        }
    }

    @Test
    void mediansAndTheirLimitsAreRsExactly() {
        // km_lung_sex.table: sex=1 median 270 (212, 310); sex=2 median 426 (348, 550)
        assertEquals(new KaplanMeier.Median(270, 212, 310), bySex.get("sex=1").median());
        assertEquals(new KaplanMeier.Median(426, 348, 550), bySex.get("sex=2").median());
        // km_lung_all: median 310 (285, 363), where S is exactly 0.5 on a flat step
        KaplanMeier all = KaplanMeier.fit(Lung.time(), Lung.death());
        assertEquals(new KaplanMeier.Median(310, 285, 363), all.median());
        assertEquals(228, all.subjects());
        assertEquals(165, all.events());
    }

    @Test
    void survivalAtOneYearIsRs() {
        // km_lung_sex.at_365
        assertEquals(0.336087834639379, bySex.get("sex=1").survivalAt(365), EXACT);
        assertEquals(0.526463030185906, bySex.get("sex=2").survivalAt(365), EXACT);
        assertEquals(1, bySex.get("sex=1").survivalAt(0));
    }

    @Test
    void aFlatStepAtExactlyOneHalfTakesTheMidpointToTheNextDrop() {
        // four subjects: S = 0.75, 0.5 (at 2, then censored at 3), 0 at 4 -> R prints median 3
        KaplanMeier km = KaplanMeier.fit(new double[] { 1, 2, 3, 4 }, new boolean[] { true, true, false, true });
        assertEquals(3, km.median().time());
    }
}

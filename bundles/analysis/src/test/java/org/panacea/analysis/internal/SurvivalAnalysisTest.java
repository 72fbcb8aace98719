package org.panacea.analysis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whatever data it is given, a survival analysis computes nothing that a caller limited to aggregates sees from a
 * group too small to show: not the curves, not the log-rank test, not the Cox model.
 */
class SurvivalAnalysisTest {

    private static final SurvivalRequest BY_SEX = SurvivalRequest.of(Map.of("time", "time", "event", "status",
            "event-value", "2", "group", "sex", "covariates", "age"));

    /** The lung table, with {@code extra} subjects of a third group appended: young, dying at once. */
    private static SurvivalData lungWithGroupOf(int extra) {
        SurvivalData lung = SurvivalData.fromTable(LungCohort.table(BY_SEX.columns()), BY_SEX);
        int n = lung.subjects();
        double[] time = Arrays.copyOf(lung.time(), n + extra);
        boolean[] event = Arrays.copyOf(lung.event(), n + extra);
        String[] group = Arrays.copyOf(lung.group(), n + extra);
        double[][] covariates = Arrays.copyOf(lung.covariates(), n + extra);
        for (int i = n; i < n + extra; i++) {
            time[i] = 5 + i - n;
            event[i] = true;
            group[i] = "3";
            covariates[i] = new double[] { 20 };
        }
        return new SurvivalData(time, event, group, "sex", List.of("age"), covariates, n + extra, 0);
    }

    private static JsonNode report(SurvivalData data, Disclosure disclosure) {
        return SurvivalReport.json(SurvivalAnalysis.run(data, Ties.EFRON, disclosure, true), true);
    }

    @Test
    void aHiddenGroupIsLeftOutOfTheCoxModelAndTheLogRankTest() {
        JsonNode hidden = report(lungWithGroupOf(3), Disclosure.AGGREGATE_ONLY);
        JsonNode lungOnly = report(lungWithGroupOf(0), Disclosure.AGGREGATE_ONLY);
        assertEquals(lungOnly.path("cox"), hidden.path("cox"));
        assertEquals(lungOnly.path("logRank"), hidden.path("logRank"));
        assertEquals(228, hidden.path("cox").path("subjects").asInt());
        JsonNode third = hidden.path("kaplanMeier").path("groups").get(2);
        assertEquals("sex=3", third.path("label").asText());
        assertEquals("<5", third.path("subjects").asText());
        // shown in full to a caller who may see it, and then it moves the fit
        JsonNode full = report(lungWithGroupOf(3), Disclosure.FULL);
        assertEquals(231, full.path("cox").path("subjects").asInt());
        assertNotEquals(lungOnly.path("cox").path("coefficients").get(0).path("mean"),
                full.path("cox").path("coefficients").get(0).path("mean"));
        // five are enough to be shown, and to count
        assertEquals(233, report(lungWithGroupOf(5), Disclosure.AGGREGATE_ONLY).path("cox").path("subjects").asInt());
    }

    @Test
    void subjectsWithoutAGroupCountInTheCoxModelOnlyWhenTheyAreEnoughToShow() {
        SurvivalData lung = lungWithGroupOf(0);
        String[] group = lung.group().clone();
        group[0] = null;
        group[1] = null;
        SurvivalData twoWithout = new SurvivalData(lung.time(), lung.event(), group, "sex", List.of("age"),
                lung.covariates(), lung.rowsRead(), 0);
        JsonNode report = report(twoWithout, Disclosure.AGGREGATE_ONLY);
        assertEquals(226, report.path("cox").path("subjects").asInt());
        assertEquals("<5", report.path("kaplanMeier").path("droppedMissingGroup").asText());
        assertEquals(228, report(twoWithout, Disclosure.FULL).path("cox").path("subjects").asInt());
    }
}

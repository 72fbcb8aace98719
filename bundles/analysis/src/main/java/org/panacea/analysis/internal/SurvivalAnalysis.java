package org.panacea.analysis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;
import org.panacea.plugins.support.stats.KaplanMeier;
import org.panacea.plugins.support.stats.LogRankTest;

/**
 * Kaplan-Meier curves by group, the log-rank test across the groups and a Cox model on the covariates, as R's
 * {@code survfit}, {@code survdiff} and {@code coxph} compute them (each leaves out only the rows missing what it
 * needs). Groups the caller may not see are left out of the log-rank test and of the Cox model too, and so are the
 * subjects without a group when they are too few to show: no figure of the result is computed from them.
 */
public final class SurvivalAnalysis {

    /** The label of the one curve of ungrouped data. */
    public static final String ALL = "all";

    private SurvivalAnalysis() {
    }

    /**
     * @param strict {@code true}: a Cox model that cannot be fitted (no event, collinear covariates, no convergence)
     *               fails the analysis; {@code false}: the result says why and keeps the rest
     * @throws IllegalArgumentException when there is no subject, or (strict) the Cox model cannot be fitted
     */
    public static SurvivalResult run(SurvivalData data, Ties ties, Disclosure disclosure, boolean strict) {
        if (data.subjects() == 0) {
            throw new IllegalArgumentException("no row has both a follow-up time and an event flag");
        }
        List<Integer> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < data.subjects(); i++) {
            if (data.group() == null) {
                rows.add(i);
                labels.add(ALL);
            } else if (data.group()[i] != null) {
                rows.add(i);
                labels.add(data.groupName() + "=" + data.group()[i]);
            }
        }
        Map<String, KaplanMeier> curves = new TreeMap<>();
        Map<String, Integer> hidden = new TreeMap<>();
        LogRankTest logRank = null;
        String logRankNote = data.group() == null ? "no group to compare" : null;
        if (!rows.isEmpty()) {
            KaplanMeier.byStratum(select(data.time(), rows), select(data.event(), rows),
                    labels.toArray(String[]::new)).forEach((label, curve) -> {
                        if (disclosure.hides(curve.subjects())) {
                            hidden.put(label, curve.subjects());
                        } else {
                            curves.put(label, curve);
                        }
                    });
        }
        if (data.group() != null) {
            List<Integer> shown = new ArrayList<>();
            List<String> shownLabels = new ArrayList<>();
            for (int k = 0; k < rows.size(); k++) {
                if (curves.containsKey(labels.get(k))) {
                    shown.add(rows.get(k));
                    shownLabels.add(labels.get(k));
                }
            }
            if (curves.size() < 2) {
                logRankNote = "the log-rank test needs two groups or more" + (hidden.isEmpty() ? ""
                        : " of at least " + disclosure.minimumGroupSize() + " subjects");
            } else {
                logRank = LogRankTest.of(select(data.time(), shown), select(data.event(), shown),
                        shownLabels.toArray(String[]::new));
            }
        }
        int withoutGroup = data.subjects() - rows.size();
        List<Integer> shownSubjects = new ArrayList<>();
        for (int i = 0; i < data.subjects(); i++) {
            boolean shown = data.group() == null ? curves.containsKey(ALL)
                    : data.group()[i] == null ? !disclosure.hides(withoutGroup)
                            : curves.containsKey(data.groupName() + "=" + data.group()[i]);
            if (shown) {
                shownSubjects.add(i);
            }
        }
        CoxProportionalHazards cox = null;
        String coxNote = null;
        if (data.covariateNames().isEmpty()) {
            coxNote = "no covariates";
        } else if (shownSubjects.isEmpty()) {
            coxNote = "no group has " + disclosure.minimumGroupSize() + " subjects or more";
        } else {
            try {
                cox = CoxProportionalHazards.fit(data.covariateNames(), select(data.covariates(), shownSubjects),
                        select(data.time(), shownSubjects), select(data.event(), shownSubjects), ties);
                if (disclosure.hides(cox.subjects())) {
                    cox = null;
                    coxNote = "fewer than " + disclosure.minimumGroupSize() + " subjects have every covariate";
                }
            } catch (IllegalArgumentException e) {
                if (strict) {
                    throw new IllegalArgumentException("Cox model: " + e.getMessage(), e);
                }
                coxNote = e.getMessage();
            }
        }
        return new SurvivalResult(data, disclosure, curves, hidden, withoutGroup, logRank,
                logRankNote, cox, coxNote);
    }

    private static double[] select(double[] values, List<Integer> rows) {
        double[] selected = new double[rows.size()];
        for (int k = 0; k < selected.length; k++) {
            selected[k] = values[rows.get(k)];
        }
        return selected;
    }

    private static double[][] select(double[][] values, List<Integer> rows) {
        if (rows.size() == values.length) {
            return values;
        }
        double[][] selected = new double[rows.size()][];
        for (int k = 0; k < selected.length; k++) {
            selected[k] = values[rows.get(k)];
        }
        return selected;
    }

    private static boolean[] select(boolean[] values, List<Integer> rows) {
        boolean[] selected = new boolean[rows.size()];
        for (int k = 0; k < selected.length; k++) {
            selected[k] = values[rows.get(k)];
        }
        return selected;
    }
}

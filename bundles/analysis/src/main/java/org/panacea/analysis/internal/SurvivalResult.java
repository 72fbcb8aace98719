package org.panacea.analysis.internal;

import java.util.Map;

import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.KaplanMeier;
import org.panacea.plugins.support.stats.LogRankTest;

/**
 * A survival analysis done: the curves that may be shown, the groups too small to show, the log-rank test and the
 * Cox fit, each absent with a reason when it could not or may not be made.
 *
 * @param data          what was analysed
 * @param disclosure    what the caller may see of small numbers
 * @param curves        Kaplan-Meier curves by group label ({@code sex=1}, or {@code all}), in label order
 * @param hiddenGroups  the sizes of groups too small to show, by label
 * @param withoutGroup  subjects left out of the curves for a missing group
 * @param logRank       the log-rank test across the shown groups, or {@code null}
 * @param logRankNote   why there is no log-rank test, or {@code null}
 * @param cox           the Cox fit, or {@code null}
 * @param coxNote       why there is no Cox fit, or {@code null}
 */
public record SurvivalResult(SurvivalData data, Disclosure disclosure, Map<String, KaplanMeier> curves,
        Map<String, Integer> hiddenGroups, int withoutGroup, LogRankTest logRank, String logRankNote,
        CoxProportionalHazards cox, String coxNote) {

    public SurvivalResult {
        curves = Map.copyOf(curves);
        hiddenGroups = Map.copyOf(hiddenGroups);
    }
}

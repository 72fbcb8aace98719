package org.panacea.analysis.internal;

import java.util.List;
import java.util.Map;

import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.KaplanMeier;
import org.panacea.plugins.support.stats.LogRankTest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A survival result as JSON: per group the Kaplan-Meier median with its 95% confidence limits (log transform, as
 * R's {@code survfit}) and optionally the curve; the log-rank test; the Cox model's coefficients, standard errors,
 * Wald z and p, hazard ratios with 95% limits, concordance and log-likelihoods. Counts the caller may not see read
 * {@code "<5"}; curves stop where fewer than the minimum group size remain at risk.
 */
public final class SurvivalReport {

    private SurvivalReport() {
    }

    public static ObjectNode json(SurvivalResult result, boolean withCurves) {
        Disclosure disclosure = result.disclosure();
        SurvivalData data = result.data();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode rows = root.putObject("rows");
        Json.count(rows, "read", data.rowsRead(), disclosure);
        Json.count(rows, "analysed", data.subjects(), disclosure);
        Json.count(rows, "droppedMissingTimeOrEvent", data.dropped(), disclosure);
        root.set("kaplanMeier", curves(result, withCurves));
        if (result.logRank() != null) {
            root.set("logRank", logRank(result.logRank(), disclosure));
        } else if (data.group() != null) {
            root.putObject("logRank").put("note", result.logRankNote());
        }
        if (result.cox() != null) {
            root.set("cox", cox(result.cox(), disclosure));
        } else if (!data.covariateNames().isEmpty()) {
            root.putObject("cox").put("note", result.coxNote());
        }
        return root;
    }

    private static ObjectNode curves(SurvivalResult result, boolean withCurves) {
        Disclosure disclosure = result.disclosure();
        ObjectNode km = Json.MAPPER.createObjectNode();
        if (result.data().groupName() == null) {
            km.putNull("group");
        } else {
            km.put("group", result.data().groupName());
            Json.count(km, "droppedMissingGroup", result.withoutGroup(), disclosure);
        }
        km.put("confidence", "95% pointwise, log transform (R survfit conf.type = \"log\")");
        ArrayNode groups = km.putArray("groups");
        for (Map.Entry<String, KaplanMeier> entry : result.curves().entrySet()) {
            KaplanMeier curve = entry.getValue();
            ObjectNode group = groups.addObject();
            group.put("label", entry.getKey());
            Json.count(group, "subjects", curve.subjects(), disclosure);
            Json.count(group, "events", curve.events(), disclosure);
            KaplanMeier.Median median = curve.median();
            ObjectNode m = group.putObject("median");
            Json.number(m, "time", median.time());
            Json.number(m, "lower", median.lower());
            Json.number(m, "upper", median.upper());
            if (withCurves) {
                ArrayNode steps = group.putArray("curve");
                for (KaplanMeier.Step step : curve.steps()) {
                    if (step.atRisk() < disclosure.minimumGroupSize()) {
                        group.put("curveEndsWhereFewerAtRiskThan", disclosure.minimumGroupSize());
                        break;
                    }
                    ObjectNode s = steps.addObject();
                    s.put("time", step.time());
                    s.put("atRisk", step.atRisk());
                    s.put("events", step.events());
                    s.put("censored", step.censored());
                    Json.number(s, "survival", step.survival());
                    Json.number(s, "stdErrLogSurvival", step.stdErrLogSurvival());
                    Json.number(s, "lower", step.lower());
                    Json.number(s, "upper", step.upper());
                }
            }
        }
        result.hiddenGroups().forEach((label, size) -> {
            ObjectNode group = groups.addObject();
            group.put("label", label);
            group.put("subjects", disclosure.hiddenCount());
            group.put("hidden", "fewer than " + disclosure.minimumGroupSize() + " subjects");
        });
        return km;
    }

    private static ObjectNode logRank(LogRankTest test, Disclosure disclosure) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode groups = node.putArray("groups");
        List<String> labels = test.groups();
        for (int g = 0; g < labels.size(); g++) {
            ObjectNode group = groups.addObject();
            group.put("label", labels.get(g));
            Json.count(group, "observed", Math.round(test.observed()[g]), disclosure);
            group.put("expected", test.expected()[g]);
        }
        node.put("chiSquare", test.chiSquare());
        node.put("df", test.df());
        Json.number(node, "p", test.pValue());
        return node;
    }

    private static ObjectNode cox(CoxProportionalHazards cox, Disclosure disclosure) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("ties", cox.ties().name().toLowerCase(java.util.Locale.ROOT));
        Json.count(node, "subjects", cox.subjects(), disclosure);
        Json.count(node, "events", cox.events(), disclosure);
        Json.count(node, "droppedMissingCovariate", cox.dropped(), disclosure);
        node.put("iterations", cox.iterations());
        ArrayNode coefficients = node.putArray("coefficients");
        double[] coef = cox.coefficients();
        double[] means = cox.means();
        for (int j = 0; j < coef.length; j++) {
            ObjectNode c = coefficients.addObject();
            c.put("name", cox.names().get(j));
            c.put("coef", coef[j]);
            Json.number(c, "se", cox.standardError(j));
            Json.number(c, "z", cox.zValue(j));
            Json.number(c, "p", cox.pValue(j));
            Json.number(c, "hazardRatio", cox.hazardRatio(j));
            Json.number(c, "hazardRatioLower", cox.hazardRatioLower(j));
            Json.number(c, "hazardRatioUpper", cox.hazardRatioUpper(j));
            c.put("mean", means[j]);
        }
        CoxProportionalHazards.Concordance concordance = cox.concordance();
        ObjectNode c = node.putObject("concordance");
        Json.number(c, "value", concordance.value());
        c.put("concordant", concordance.concordant());
        c.put("discordant", concordance.discordant());
        c.put("tiedRisk", concordance.tiedX());
        c.put("tiedTime", concordance.tiedY());
        c.put("tiedBoth", concordance.tiedXY());
        ObjectNode logLikelihood = node.putObject("logLikelihood");
        logLikelihood.put("null", cox.logLikelihoodNull());
        logLikelihood.put("fitted", cox.logLikelihood());
        ObjectNode lr = node.putObject("likelihoodRatio");
        lr.put("statistic", cox.likelihoodRatio());
        lr.put("df", coef.length);
        Json.number(lr, "p", cox.likelihoodRatioPValue());
        return node;
    }
}

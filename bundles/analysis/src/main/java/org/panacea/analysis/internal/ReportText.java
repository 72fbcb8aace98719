package org.panacea.analysis.internal;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A survival report (the JSON of {@link SurvivalReport}, with a cohort section when it has one) as console text:
 * medians per group, the log-rank test and the Cox table, in the manner of R's printouts. Rendered from the JSON so
 * that the console shows exactly what the caller may see, nothing more.
 */
public final class ReportText {

    private ReportText() {
    }

    public static String survival(JsonNode report) {
        StringBuilder out = new StringBuilder();
        JsonNode cohort = report.path("cohort");
        if (!cohort.isMissingNode()) {
            line(out, "Cohort: Condition %s, follow-up in %s", cohort.path("condition").asText(),
                    cohort.path("followUp").asText());
            StringBuilder excluded = new StringBuilder();
            cohort.path("excluded").fields().forEachRemaining(e -> {
                if (!e.getValue().asText().equals("0")) {
                    excluded.append(excluded.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(e.getValue().asText());
                }
            });
            JsonNode total = cohort.path("patientsWithCondition");
            line(out, "  %s; excluded: %s; %s analysed%s", total.isNumber() ? total.asText()
                    + " patients with the condition" : "patients with the condition: " + total.asText()
                            + " (it would reveal excluded patients too few to show)",
                    excluded.length() == 0 ? "none" : excluded,
                    value(cohort.path("analysed")), cohort.path("aggregateOnly").asBoolean()
                            ? " (aggregates of at least " + cohort.path("minimumGroupSize").asInt() + ")" : "");
        }
        JsonNode rows = report.path("rows");
        line(out, "Rows: %s read, %s analysed, %s without time or event", value(rows.path("read")),
                value(rows.path("analysed")), value(rows.path("droppedMissingTimeOrEvent")));
        JsonNode km = report.path("kaplanMeier");
        line(out, "Kaplan-Meier%s; median survival with 95%% CI", km.path("group").isNull() ? ""
                : " by " + km.path("group").asText() + " (" + value(km.path("droppedMissingGroup"))
                        + " without a group)");
        line(out, "  %-24s %9s %8s %10s %10s %10s", "group", "subjects", "events", "median", "lower", "upper");
        for (JsonNode group : km.path("groups")) {
            if (group.has("hidden")) {
                line(out, "  %-24s %9s  %s", group.path("label").asText(), value(group.path("subjects")),
                        group.path("hidden").asText());
                continue;
            }
            JsonNode median = group.path("median");
            line(out, "  %-24s %9s %8s %10s %10s %10s", group.path("label").asText(), value(group.path("subjects")),
                    value(group.path("events")), value(median.path("time")), value(median.path("lower")),
                    value(median.path("upper")));
        }
        JsonNode logRank = report.path("logRank");
        if (logRank.has("chiSquare")) {
            line(out, "Log-rank: chi-square %s on %d df, p = %s", value(logRank.path("chiSquare")),
                    logRank.path("df").asInt(), value(logRank.path("p")));
        } else if (logRank.has("note")) {
            line(out, "Log-rank: %s", logRank.path("note").asText());
        }
        JsonNode cox = report.path("cox");
        if (cox.has("coefficients")) {
            line(out, "Cox proportional hazards (%s ties): %s subjects, %s events, %s without every covariate",
                    cox.path("ties").asText(), value(cox.path("subjects")), value(cox.path("events")),
                    value(cox.path("droppedMissingCovariate")));
            line(out, "  %-16s %11s %11s %9s %9s %9s %11s", "covariate", "coef", "se", "HR", "lower", "upper", "p");
            for (JsonNode c : cox.path("coefficients")) {
                line(out, "  %-16s %11s %11s %9s %9s %9s %11s", c.path("name").asText(), value(c.path("coef")),
                        value(c.path("se")), value(c.path("hazardRatio")), value(c.path("hazardRatioLower")),
                        value(c.path("hazardRatioUpper")), value(c.path("p")));
            }
            line(out, "  concordance %s; log-likelihood %s (null) -> %s; likelihood ratio %s on %d df, p = %s",
                    value(cox.path("concordance").path("value")), value(cox.path("logLikelihood").path("null")),
                    value(cox.path("logLikelihood").path("fitted")), value(cox.path("likelihoodRatio")
                            .path("statistic")), cox.path("likelihoodRatio").path("df").asInt(),
                    value(cox.path("likelihoodRatio").path("p")));
        } else if (cox.has("note")) {
            line(out, "Cox: %s", cox.path("note").asText());
        }
        return out.toString();
    }

    /** A number to four significant digits (whole numbers as they are), a text as it is, a null as {@code NA}. */
    private static String value(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "NA";
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        if (node.isNumber()) {
            double v = node.asDouble();
            return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v)
                    : String.format(Locale.ROOT, "%.4g", v);
        }
        return node.asText();
    }

    private static void line(StringBuilder out, String format, Object... arguments) {
        out.append(String.format(Locale.ROOT, format, arguments)).append(System.lineSeparator());
    }
}

package org.panacea.analysis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;

/**
 * What a survival analysis of a table is asked for: the columns of the follow-up time, of the event and its value
 * meaning "the event happened", of the group to compare by Kaplan-Meier and log-rank, and of the Cox covariates.
 *
 * @param time       the follow-up time column (any unit; the curve is in the same unit)
 * @param event      the event column, two-valued
 * @param eventValue the event column's value that means the event happened
 * @param group      the grouping column, or {@code null} for one curve over all rows
 * @param covariates the Cox model's covariates (numeric columns); empty for no Cox model
 * @param ties       how the Cox partial likelihood handles tied event times
 * @param curve      whether to send each Kaplan-Meier curve step by step, besides its median
 */
public record SurvivalRequest(String time, String event, String eventValue, String group, List<String> covariates,
        Ties ties, boolean curve) {

    static final Set<String> PARAMETERS = Set.of("time", "event", "event-value", "group", "covariates", "ties",
            "curve");

    public SurvivalRequest {
        covariates = List.copyOf(covariates);
    }

    /**
     * From query parameters {@code time}, {@code event}, {@code event-value} (default 1), {@code group},
     * {@code covariates} (comma-separated), {@code ties} ({@code efron}, the default, or {@code breslow}) and
     * {@code curve} ({@code true}, the default, or {@code false}).
     *
     * @throws IllegalArgumentException naming a missing, unknown or malformed parameter
     */
    public static SurvivalRequest of(Map<String, String> parameters) {
        Parameters.refuseUnknown(parameters, PARAMETERS);
        return new SurvivalRequest(Parameters.required(parameters, "time", "the follow-up time column"),
                Parameters.required(parameters, "event", "the event column"),
                parameters.getOrDefault("event-value", "1"),
                Parameters.optional(parameters, "group"),
                Parameters.list(parameters.get("covariates")),
                ties(parameters.getOrDefault("ties", "efron")),
                Parameters.flag(parameters, "curve", true));
    }

    static Ties ties(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "efron" -> Ties.EFRON;
            case "breslow" -> Ties.BRESLOW;
            default -> throw new IllegalArgumentException("ties must be efron or breslow, was '" + name + "'");
        };
    }

    /** Every column the analysis reads, each once. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>(List.of(time, event));
        if (group != null) {
            columns.add(group);
        }
        columns.addAll(covariates);
        return columns.stream().distinct().toList();
    }
}

package org.panacea.analysis.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a logistic regression of a table is asked for.
 *
 * @param outcome    the outcome column, two-valued
 * @param positive   the outcome's value modelled as 1
 * @param covariates the covariates (numeric columns), at least one
 */
public record LogisticRequest(String outcome, String positive, List<String> covariates) {

    static final Set<String> PARAMETERS = Set.of("outcome", "positive", "covariates");

    public LogisticRequest {
        covariates = List.copyOf(covariates);
        if (covariates.isEmpty()) {
            throw new IllegalArgumentException("parameter 'covariates' is required: the comma-separated covariate "
                    + "columns");
        }
    }

    /**
     * From query parameters {@code outcome}, {@code positive} (default 1) and {@code covariates} (comma-separated).
     *
     * @throws IllegalArgumentException naming a missing or unknown parameter
     */
    public static LogisticRequest of(Map<String, String> parameters) {
        Parameters.refuseUnknown(parameters, PARAMETERS);
        return new LogisticRequest(Parameters.required(parameters, "outcome", "the outcome column"),
                parameters.getOrDefault("positive", "1").strip(), Parameters.list(parameters.get("covariates")));
    }

    /** Every column the analysis reads, each once. */
    public List<String> columns() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(outcome), covariates.stream()).distinct()
                .toList();
    }
}

package org.panacea.engine.internal.parameters;

import java.util.List;

import org.panacea.rest.http.HttpProblem;

/**
 * A request's parameters (or model inputs) do not fit the plugin's schema; each problem names the parameter, the type,
 * range and unit it takes, and what was given. Nothing was run. HTTP answers 400, one issue per problem.
 */
public class InvalidParametersException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InvalidParametersException(List<String> problems) {
        super(400, "invalid", String.join("; ", problems), Issue.each("invalid", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one sentence each; never empty. */
    public List<String> problems() {
        return problems;
    }
}

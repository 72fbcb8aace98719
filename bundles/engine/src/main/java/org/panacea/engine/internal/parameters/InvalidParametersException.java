package org.panacea.engine.internal.parameters;

import java.util.List;

/**
 * A request's parameters (or model inputs) do not fit the plugin's schema; each problem names the parameter, the type,
 * range and unit it takes, and what was given. Nothing was run. HTTP maps it to 400.
 */
public class InvalidParametersException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InvalidParametersException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one sentence each; never empty. */
    public List<String> problems() {
        return problems;
    }
}

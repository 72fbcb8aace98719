package org.panacea.engine.internal.prediction;

import java.util.List;

import org.panacea.rest.http.HttpProblem;

/**
 * The model cannot run for this patient: inputs it requires are neither in the request nor in the record, or the
 * record's values are outside what the model accepts. Each problem names the input, its code and what to do. Nothing
 * was run. HTTP answers 422, one issue per problem.
 */
public class MissingInputsException extends HttpProblem {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public MissingInputsException(List<String> problems) {
        super(422, "processing", String.join("; ", problems), Issue.each("processing", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one sentence each; never empty. */
    public List<String> problems() {
        return problems;
    }
}

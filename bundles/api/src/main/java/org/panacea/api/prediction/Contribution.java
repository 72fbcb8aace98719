package org.panacea.api.prediction;

import java.util.Objects;

/**
 * How much one input moved a prediction, so a clinician can see why.
 *
 * @param input        input name
 * @param inputValue   the value used
 * @param contribution its effect on the prediction, in the prediction's scale (points of a score, log-odds, log hazard)
 * @param explanation  in words ({@code "respiration rate 25/min: 3 points"})
 */
public record Contribution(String input, double inputValue, double contribution, String explanation) {

    public Contribution {
        Objects.requireNonNull(input, "input");
        explanation = Objects.requireNonNullElse(explanation, "");
    }
}

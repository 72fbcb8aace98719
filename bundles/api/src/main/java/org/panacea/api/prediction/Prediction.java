package org.panacea.api.prediction;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer for one patient, with its explanation. Stored as a FHIR {@code RiskAssessment}.
 *
 * @param outcome        what is predicted ({@code malignancy}, {@code clinical deterioration}, {@code survival})
 * @param value          the prediction: a probability in [0, 1] or a score
 * @param unit           {@code probability}, {@code points}, ...
 * @param interpretation what it means and implies ({@code "high risk: urgent clinical review"})
 * @param contributions  per-input explanation; the inputs that drove the value
 * @param curve          a predicted curve over time, empty when the model predicts a single value
 */
public record Prediction(String outcome, double value, String unit, String interpretation,
        List<Contribution> contributions, List<CurvePoint> curve) {

    public Prediction {
        Objects.requireNonNull(outcome, "outcome");
        unit = Objects.requireNonNullElse(unit, "");
        interpretation = Objects.requireNonNullElse(interpretation, "");
        contributions = List.copyOf(contributions);
        curve = List.copyOf(curve);
    }
}

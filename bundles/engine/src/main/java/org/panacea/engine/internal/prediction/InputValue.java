package org.panacea.engine.internal.prediction;

import java.util.Objects;

/**
 * One model input as it went into a prediction, and where it came from.
 *
 * @param name      the input's name in the model's schema
 * @param value     the number passed to the model
 * @param unit      its unit (the model's), empty when unitless
 * @param source    in words: {@code request}, {@code default}, {@code Patient.birthDate 1999-03-02},
 *                  {@code Observation 2024-05-07T20:41:52+00:00}, {@code Condition (active)}
 * @param reference the record resource it was read from ({@code Observation/abc}), or empty
 */
public record InputValue(String name, double value, String unit, String source, String reference) {

    public InputValue {
        Objects.requireNonNull(name, "name");
        unit = Objects.requireNonNullElse(unit, "");
        source = Objects.requireNonNullElse(source, "");
        reference = Objects.requireNonNullElse(reference, "");
    }
}

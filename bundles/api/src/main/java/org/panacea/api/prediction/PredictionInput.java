package org.panacea.api.prediction;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * A model's inputs for one patient, by input name, in the units its descriptor states. Booleans are 1 and 0; coded
 * categories are the numbers the descriptor lists. No names or identifiers: models never need to know who.
 *
 * @param values input values; an input the record does not hold is absent
 */
public record PredictionInput(Map<String, Double> values) {

    public PredictionInput {
        values = Map.copyOf(values);
    }

    /** The value of input {@code name}, or empty when the record holds none. */
    public OptionalDouble value(String name) {
        Double value = values.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}

package org.panacea.plugins.support;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;

/** Checks a model's inputs against its own {@link ParameterSpec}s, with messages that name the input. */
public final class ModelInputs {

    private ModelInputs() {
    }

    /**
     * The value of input {@code spec}, checked: present, within the spec's range, whole when the spec is an
     * {@link ParameterType#INTEGER}.
     *
     * @throws PredictionException naming the input and what is wrong with it
     */
    public static double required(PredictionInput input, ParameterSpec spec) throws PredictionException {
        var value = input.value(spec.name());
        if (value.isEmpty() || Double.isNaN(value.getAsDouble())) {
            throw new PredictionException("missing input '" + spec.name() + "' (" + spec.description() + ")");
        }
        double v = value.getAsDouble();
        if (v < spec.minimum() || v > spec.maximum()) {
            throw new PredictionException("input '" + spec.name() + "' is " + format(v) + ", outside "
                    + format(spec.minimum()) + ".." + format(spec.maximum()) + " (" + spec.description() + ")");
        }
        if (spec.type() == ParameterType.INTEGER && v != Math.rint(v)) {
            throw new PredictionException("input '" + spec.name() + "' must be a whole number, was " + v);
        }
        return v;
    }

    /** A number as a person writes it: {@code 3}, not {@code 3.0}. */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

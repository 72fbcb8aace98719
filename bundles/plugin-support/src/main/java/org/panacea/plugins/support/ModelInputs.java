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
     * The value of input {@code spec}, checked: present, within the spec's range (a bound that is {@code null} is
     * open), whole when the spec is an {@link ParameterType#INTEGER} or a {@link ParameterType#BOOLEAN} (1 or 0).
     *
     * @throws PredictionException naming the input and what is wrong with it
     */
    public static double required(PredictionInput input, ParameterSpec spec) throws PredictionException {
        var value = input.value(spec.name());
        if (value.isEmpty() || Double.isNaN(value.getAsDouble())) {
            throw new PredictionException("missing input '" + spec.name() + "' (" + spec.description() + ")");
        }
        return checked(spec, value.getAsDouble());
    }

    /**
     * Like {@link #required}, but an absent input takes the spec's default value.
     *
     * @throws PredictionException when the input is absent and the spec has no default, or it is out of range
     */
    public static double orDefault(PredictionInput input, ParameterSpec spec) throws PredictionException {
        var value = input.value(spec.name());
        if ((value.isEmpty() || Double.isNaN(value.getAsDouble())) && spec.defaultValue() != null) {
            return checked(spec, Double.parseDouble(spec.defaultValue()));
        }
        return required(input, spec);
    }

    private static double checked(ParameterSpec spec, double v) throws PredictionException {
        boolean belowMinimum = spec.minimum() != null && v < spec.minimum();
        boolean aboveMaximum = spec.maximum() != null && v > spec.maximum();
        if (belowMinimum || aboveMaximum || Double.isInfinite(v)) {
            throw new PredictionException("input '" + spec.name() + "' is " + format(v) + ", outside "
                    + (spec.minimum() == null ? "" : format(spec.minimum())) + ".."
                    + (spec.maximum() == null ? "" : format(spec.maximum())) + " (" + spec.description() + ")");
        }
        if ((spec.type() == ParameterType.INTEGER || spec.type() == ParameterType.BOOLEAN) && v != Math.rint(v)) {
            throw new PredictionException("input '" + spec.name() + "' must be a whole number"
                    + (spec.type() == ParameterType.BOOLEAN ? " (1 yes, 0 no)" : "") + ", was " + v);
        }
        return v;
    }

    /** A number as a person writes it: {@code 3}, not {@code 3.0}. */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

package org.panacea.plugins.imaging.enhancement;

import java.util.List;

import org.panacea.api.imaging.AlgorithmException;

/** Parameter checks whose messages name the parameter, the allowed range and the value given. */
final class Checks {

    private Checks() {
    }

    /** {@code value} within {@code [minimum, maximum]}; NaN is refused. */
    static double range(String name, double value, double minimum, double maximum) throws AlgorithmException {
        if (!(value >= minimum && value <= maximum)) {
            throw new AlgorithmException(name + " must be between " + format(minimum) + " and " + format(maximum)
                    + ", was " + format(value));
        }
        return value;
    }

    /** A whole-number parameter within {@code [minimum, maximum]}. */
    static int range(String name, int value, int minimum, int maximum) throws AlgorithmException {
        if (value < minimum || value > maximum) {
            throw new AlgorithmException(name + " must be between " + minimum + " and " + maximum + ", was " + value);
        }
        return value;
    }

    /** One of {@code choices}. */
    static String choice(String name, String value, List<String> choices) throws AlgorithmException {
        if (!choices.contains(value)) {
            throw new AlgorithmException(name + " must be one of " + String.join(", ", choices) + ", was '" + value
                    + "'");
        }
        return value;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}

package org.panacea.engine.internal.parameters;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.engine.internal.run.PluginCrashedException;

/**
 * Checks raw request values against a plugin's {@link ParameterSpec}s before the plugin sees them, and turns them into
 * the types {@link Parameters} promises: DECIMAL a {@link Double}, INTEGER an {@link Integer}, BOOLEAN a
 * {@link Boolean}, CHOICE and TEXT a {@link String}. Every problem of a request is reported at once, each naming the
 * parameter, its type, range and unit, and what was given. Stateless.
 */
public final class ParameterValidator {

    /** Longest TEXT value accepted. */
    static final int MAX_TEXT = 4096;

    private ParameterValidator() {
    }

    /**
     * The algorithm parameters of a request, validated, with defaults filled in.
     *
     * @param raw values by name, as read from JSON or console text; {@code null} for none
     * @throws InvalidParametersException listing unknown names, wrong types, values out of range or not among the
     *                                    choices, and required parameters left out
     */
    public static Parameters validate(PluginDescriptor plugin, Map<String, ?> raw, RawSource source) {
        Map<String, ?> given = raw == null ? Map.of() : raw;
        List<String> problems = new ArrayList<>(unknownNames(plugin, given, "parameter"));
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParameterSpec spec : plugin.parameters()) {
            if (given.containsKey(spec.name())) {
                try {
                    values.put(spec.name(), convert(spec, given.get(spec.name()), source, "parameter"));
                } catch (Problem problem) {
                    problems.add(problem.getMessage());
                }
            } else if (spec.required()) {
                problems.add("parameter '" + spec.name() + "' is required: " + expectation(spec));
            } else {
                values.put(spec.name(), typedDefault(plugin, spec));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return new Parameters(values);
    }

    /**
     * The model inputs a request gives explicitly, validated against the model's input specs and turned into the
     * numbers a {@code PredictionInput} holds: booleans 1 and 0, a CHOICE its numeric code. Inputs left out are not
     * filled in here: the record and the defaults supply them later.
     *
     * @throws InvalidParametersException listing unknown names, wrong types and values out of range
     */
    public static Map<String, Double> explicitInputs(PluginDescriptor model, Map<String, ?> raw, RawSource source) {
        Map<String, ?> given = raw == null ? Map.of() : raw;
        List<String> problems = new ArrayList<>(unknownNames(model, given, "input"));
        Map<String, Double> values = new TreeMap<>();
        for (ParameterSpec spec : model.parameters()) {
            if (given.containsKey(spec.name())) {
                try {
                    values.put(spec.name(), modelValue(spec, convert(spec, given.get(spec.name()), source, "input")));
                } catch (Problem problem) {
                    problems.add(problem.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return values;
    }

    /** The default of a model input as a number, or empty when it has none (or none a model can take). */
    public static Optional<Double> modelDefault(PluginDescriptor model, ParameterSpec spec) {
        if (spec.required()) {
            return Optional.empty();
        }
        try {
            return Optional.of(modelValue(spec, typedDefault(model, spec)));
        } catch (Problem problem) {
            return Optional.empty();
        }
    }

    /**
     * Why the model input value {@code value} (a number, as in a {@code PredictionInput}) does not fit {@code spec},
     * or empty when it does: a number in range for DECIMAL and INTEGER (whole), 0 or 1 for BOOLEAN, one of the
     * numeric choices for CHOICE.
     */
    public static Optional<String> modelValueProblem(ParameterSpec spec, double value) {
        Object raw = switch (spec.type()) {
            case BOOLEAN -> value == 1 ? Boolean.TRUE : value == 0 ? Boolean.FALSE : value;
            case CHOICE -> format(value);
            default -> value;
        };
        try {
            convert(spec, raw, RawSource.JSON, "input");
            return Optional.empty();
        } catch (Problem problem) {
            return Optional.of(problem.getMessage());
        }
    }

    /**
     * What a parameter takes, in words: {@code a decimal number from 0.1 to 50 (unit mm)}, {@code one of reflect,
     * nearest}.
     */
    public static String expectation(ParameterSpec spec) {
        String kind = switch (spec.type()) {
            case DECIMAL -> "a decimal number" + range(spec);
            case INTEGER -> "a whole number" + range(spec);
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", spec.choices());
            case TEXT -> "text of at most " + MAX_TEXT + " characters";
        };
        return kind + (spec.unit().isEmpty() ? "" : " (unit " + spec.unit() + ")");
    }

    /**
     * The default of {@code spec} in its type, {@code null} for a required parameter.
     *
     * @throws PluginCrashedException when the plugin declares a default its own spec refuses (a plugin defect)
     */
    public static Object typedDefault(PluginDescriptor plugin, ParameterSpec spec) {
        if (spec.required()) {
            return null;
        }
        try {
            return convert(spec, spec.defaultValue(), RawSource.TEXT, "parameter");
        } catch (Problem problem) {
            throw new PluginCrashedException(plugin.id() + " " + plugin.version() + " declares a default its own "
                    + "schema refuses: " + problem.getMessage());
        }
    }

    /** A number in the plain notation people write: {@code 2}, {@code 0.1}, {@code -1024}. */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static List<String> unknownNames(PluginDescriptor plugin, Map<String, ?> given, String noun) {
        List<String> problems = new ArrayList<>();
        List<String> known = plugin.parameters().stream().map(ParameterSpec::name).toList();
        for (String name : new TreeMap<>(given).keySet()) {
            if (!known.contains(name)) {
                problems.add("unknown " + noun + " '" + name + "': " + plugin.id() + " takes "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        return problems;
    }

    private static Object convert(ParameterSpec spec, Object raw, RawSource source, String noun) throws Problem {
        String prefix = noun + " '" + spec.name() + "' must be " + expectation(spec) + "; got ";
        switch (spec.type()) {
            case DECIMAL: {
                double value = number(raw, source, prefix);
                checkRange(spec, value, prefix);
                return value;
            }
            case INTEGER: {
                double value = number(raw, source, prefix);
                if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                    throw new Problem(prefix + described(raw));
                }
                checkRange(spec, value, prefix);
                return (int) value;
            }
            case BOOLEAN: {
                if (raw instanceof Boolean flag) {
                    return flag;
                }
                if (source == RawSource.TEXT && raw instanceof String text
                        && (text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false"))) {
                    return Boolean.valueOf(text.strip().toLowerCase(Locale.ROOT));
                }
                throw new Problem(prefix + described(raw));
            }
            case CHOICE: {
                if (raw instanceof String text && spec.choices().contains(text)) {
                    return text;
                }
                if (source == RawSource.TEXT && raw instanceof Number number
                        && spec.choices().contains(format(number.doubleValue()))) {
                    return format(number.doubleValue());
                }
                throw new Problem(prefix + described(raw));
            }
            case TEXT: {
                if (raw instanceof String text && text.length() <= MAX_TEXT) {
                    return text;
                }
                throw new Problem(prefix + described(raw));
            }
            default:
                throw new IllegalStateException("no rule for " + spec.type());
        }
    }

    private static double number(Object raw, RawSource source, String prefix) throws Problem {
        double value;
        if (raw instanceof Number number) {
            value = raw instanceof BigInteger big && big.bitLength() > 63 ? Double.POSITIVE_INFINITY
                    : number.doubleValue();
        } else if (source == RawSource.TEXT && raw instanceof String text) {
            try {
                value = new BigDecimal(text.strip()).doubleValue();
            } catch (NumberFormatException e) {
                throw new Problem(prefix + described(raw));
            }
        } else {
            throw new Problem(prefix + described(raw));
        }
        if (!Double.isFinite(value)) {
            throw new Problem(prefix + described(raw));
        }
        return value;
    }

    private static void checkRange(ParameterSpec spec, double value, String prefix) throws Problem {
        if ((spec.minimum() != null && value < spec.minimum()) || (spec.maximum() != null && value > spec.maximum())) {
            throw new Problem(prefix + format(value));
        }
    }

    private static double modelValue(ParameterSpec spec, Object typed) throws Problem {
        if (typed instanceof Number number) {
            return number.doubleValue();
        }
        if (typed instanceof Boolean flag) {
            return flag ? 1 : 0;
        }
        try {
            return Double.parseDouble(typed.toString());
        } catch (NumberFormatException e) {
            throw new Problem("input '" + spec.name() + "' is " + spec.type().name().toLowerCase(Locale.ROOT)
                    + " '" + typed + "', which a model cannot take: model inputs are numbers");
        }
    }

    private static String range(ParameterSpec spec) {
        if (spec.minimum() != null && spec.maximum() != null) {
            return " from " + format(spec.minimum()) + " to " + format(spec.maximum());
        }
        if (spec.minimum() != null) {
            return " of at least " + format(spec.minimum());
        }
        if (spec.maximum() != null) {
            return " of at most " + format(spec.maximum());
        }
        return "";
    }

    private static String described(Object raw) {
        if (raw == null) {
            return "null (leave a parameter out to use its default)";
        }
        if (raw instanceof String text) {
            return "text \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (raw instanceof Number number) {
            return Double.isFinite(number.doubleValue()) ? format(number.doubleValue()) : number.toString();
        }
        if (raw instanceof Boolean) {
            return raw.toString();
        }
        if (raw instanceof Map) {
            return "an object";
        }
        if (raw instanceof List) {
            return "a list";
        }
        return raw.getClass().getSimpleName();
    }

    /** One problem with one value; checked, so that every path reports it. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }
}

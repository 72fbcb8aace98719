package org.panacea.sdk.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;

/**
 * What a valid parameter schema is, as the engine uses it to check requests before the plugin sees them: unique
 * names, a description for each, bounds only where they mean something, defaults of the right type inside the
 * bounds, choices that are distinct and hold the default. Model inputs are numbers (booleans 1/0), each with a
 * UCUM unit when numeric and, when the record holds it, codes written {@code system|code}. Each method returns the
 * problems found, empty when there are none.
 */
public final class ParameterSchemaRules {

    private ParameterSchemaRules() {
    }

    /** Problems of an imaging algorithm's parameters. */
    public static List<String> algorithmParameters(List<ParameterSpec> specs) {
        List<String> problems = common(specs);
        for (ParameterSpec spec : specs) {
            if (!spec.code().isEmpty()) {
                problems.add(spec.name() + ": code is for model inputs found in the record; an algorithm parameter "
                        + "leaves it empty (was '" + spec.code() + "')");
            }
        }
        return problems;
    }

    /** Problems of a prediction model's inputs. */
    public static List<String> modelInputs(List<ParameterSpec> specs) {
        List<String> problems = common(specs);
        if (specs.isEmpty()) {
            problems.add("a model takes at least one input");
        }
        for (ParameterSpec spec : specs) {
            String name = spec.name();
            if (spec.type() == ParameterType.TEXT) {
                problems.add(name + ": model inputs are numbers (PredictionInput holds doubles); TEXT cannot be given");
            }
            if (spec.type() == ParameterType.CHOICE) {
                for (String choice : spec.choices()) {
                    if (number(choice) == null) {
                        problems.add(name + ": a coded category of a model input is a number, '" + choice + "' is not");
                    }
                }
            }
            if ((spec.type() == ParameterType.DECIMAL || spec.type() == ParameterType.INTEGER)
                    && spec.unit().isBlank()) {
                problems.add(name + ": a numeric model input states its UCUM unit ('1' or '{score}' when unitless)");
            }
            if (!spec.code().isEmpty()) {
                for (String code : spec.code().split(",")) {
                    String[] parts = code.strip().split("\\|", -1);
                    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                        problems.add(name + ": code '" + code.strip() + "' is not 'system|code' "
                                + "(e.g. http://loinc.org|8867-4)");
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> common(List<ParameterSpec> specs) {
        List<String> problems = new ArrayList<>();
        if (specs == null) {
            problems.add("parameters: null");
            return problems;
        }
        Set<String> names = new HashSet<>();
        for (ParameterSpec spec : specs) {
            String name = spec.name();
            if (!names.add(name)) {
                problems.add(name + ": the name is used twice");
            }
            if (spec.description().isBlank()) {
                problems.add(name + ": no description (say what it means, its unit and its effect)");
            }
            switch (spec.type()) {
                case INTEGER:
                case DECIMAL:
                    numeric(spec, problems);
                    break;
                case BOOLEAN:
                    bool(spec, problems);
                    break;
                case CHOICE:
                    choice(spec, problems);
                    break;
                case TEXT:
                    noBounds(spec, problems);
                    noChoices(spec, problems);
                    break;
                default:
                    problems.add(name + ": unknown type " + spec.type());
            }
        }
        return problems;
    }

    private static void numeric(ParameterSpec spec, List<String> problems) {
        String name = spec.name();
        noChoices(spec, problems);
        for (Double bound : new Double[] { spec.minimum(), spec.maximum() }) {
            if (bound != null && !Double.isFinite(bound)) {
                problems.add(name + ": bound " + bound + " is not finite (leave it null for no bound)");
            }
            if (bound != null && spec.type() == ParameterType.INTEGER && Double.isFinite(bound)
                    && bound != Math.rint(bound)) {
                problems.add(name + ": an INTEGER bound must be a whole number, was " + bound);
            }
        }
        if (spec.minimum() == null || spec.maximum() == null) {
            problems.add(name + ": state both minimum and maximum, so that a request outside the range the plugin "
                    + "was built for is refused before it runs");
        }
        if (spec.defaultValue() == null) {
            return;
        }
        Double value = number(spec.defaultValue());
        if (value == null || !Double.isFinite(value)) {
            problems.add(name + ": default '" + spec.defaultValue() + "' is not a finite number");
            return;
        }
        if (spec.type() == ParameterType.INTEGER && value != Math.rint(value)) {
            problems.add(name + ": default '" + spec.defaultValue() + "' of an INTEGER parameter is not a whole number");
        }
        if ((spec.minimum() != null && value < spec.minimum()) || (spec.maximum() != null && value > spec.maximum())) {
            problems.add(name + ": default " + spec.defaultValue() + " is outside its range [" + spec.minimum() + ", "
                    + spec.maximum() + "]");
        }
    }

    private static void bool(ParameterSpec spec, List<String> problems) {
        String name = spec.name();
        noChoices(spec, problems);
        // Models write booleans as 1 and 0 and may state that as the range; anything else is a mistake.
        boolean zeroOne = (spec.minimum() == null || spec.minimum() == 0.0)
                && (spec.maximum() == null || spec.maximum() == 1.0);
        if (!zeroOne) {
            problems.add(name + ": a BOOLEAN ranges over 0 and 1 at most, was [" + spec.minimum() + ", "
                    + spec.maximum() + "]");
        }
        String value = spec.defaultValue();
        if (value != null && !value.equals("true") && !value.equals("false") && !value.equals("1")
                && !value.equals("0") && !value.equals("1.0") && !value.equals("0.0")) {
            problems.add(name + ": default '" + value + "' of a BOOLEAN is not true/false (or 1/0)");
        }
    }

    private static void choice(ParameterSpec spec, List<String> problems) {
        String name = spec.name();
        noBounds(spec, problems);
        Set<String> distinct = new HashSet<>();
        for (String choice : spec.choices()) {
            if (choice == null || choice.isBlank()) {
                problems.add(name + ": a choice is blank");
            } else if (!distinct.add(choice)) {
                problems.add(name + ": choice '" + choice + "' is listed twice");
            }
        }
        if (spec.defaultValue() != null && !spec.choices().contains(spec.defaultValue())) {
            problems.add(name + ": default '" + spec.defaultValue() + "' is not one of its choices " + spec.choices());
        }
    }

    private static void noBounds(ParameterSpec spec, List<String> problems) {
        if (spec.minimum() != null || spec.maximum() != null) {
            problems.add(spec.name() + ": a " + spec.type() + " takes no minimum or maximum");
        }
    }

    private static void noChoices(ParameterSpec spec, List<String> problems) {
        if (!spec.choices().isEmpty()) {
            problems.add(spec.name() + ": only a CHOICE lists choices");
        }
    }

    static Double number(String text) {
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }
}

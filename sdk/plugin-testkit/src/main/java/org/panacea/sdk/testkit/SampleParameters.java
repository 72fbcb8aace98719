package org.panacea.sdk.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.PredictionInput;

/**
 * Values a plugin receives, made from its own schema the way the engine makes them: validated and typed
 * ({@code Double} for DECIMAL, {@code Integer} for INTEGER, {@code Boolean}, {@code String}), defaults filled in.
 * A base set (each default, or the middle of the range when there is none) and one variant per bound and per
 * choice, so every end of every range is called once.
 */
public final class SampleParameters {

    private SampleParameters() {
    }

    /** The base set and its variants for an algorithm; the base set first. */
    public static List<Parameters> of(PluginDescriptor descriptor) {
        Map<String, Object> base = new LinkedHashMap<>();
        for (ParameterSpec spec : descriptor.parameters()) {
            base.put(spec.name(), typed(spec, baseValue(spec)));
        }
        Set<Map<String, Object>> sets = new LinkedHashSet<>();
        sets.add(base);
        for (ParameterSpec spec : descriptor.parameters()) {
            for (String value : variants(spec)) {
                Map<String, Object> variant = new LinkedHashMap<>(base);
                variant.put(spec.name(), typed(spec, value));
                sets.add(variant);
            }
        }
        List<Parameters> parameters = new ArrayList<>();
        for (Map<String, Object> set : sets) {
            parameters.add(new Parameters(set));
        }
        return parameters;
    }

    /** The base inputs and their variants for a model: every input present, one at a bound in each variant. */
    public static List<PredictionInput> inputs(ModelDescriptor model) {
        Map<String, Double> base = new LinkedHashMap<>();
        for (ParameterSpec spec : model.plugin().parameters()) {
            Double value = number(spec, baseValue(spec));
            if (value != null) {
                base.put(spec.name(), value);
            }
        }
        Set<Map<String, Double>> sets = new LinkedHashSet<>();
        sets.add(base);
        for (ParameterSpec spec : model.plugin().parameters()) {
            for (String value : variants(spec)) {
                Double number = number(spec, value);
                if (number != null) {
                    Map<String, Double> variant = new LinkedHashMap<>(base);
                    variant.put(spec.name(), number);
                    sets.add(variant);
                }
            }
        }
        List<PredictionInput> inputs = new ArrayList<>();
        for (Map<String, Double> set : sets) {
            inputs.add(new PredictionInput(set));
        }
        return inputs;
    }

    /** The default, or a value inside the range when the parameter is required. */
    static String baseValue(ParameterSpec spec) {
        if (spec.defaultValue() != null) {
            return spec.defaultValue();
        }
        switch (spec.type()) {
            case BOOLEAN:
                return "false";
            case CHOICE:
                return spec.choices().get(0);
            case TEXT:
                return "";
            default:
                return String.valueOf(middle(spec));
        }
    }

    private static double middle(ParameterSpec spec) {
        Double min = spec.minimum();
        Double max = spec.maximum();
        double value;
        if (min != null && max != null) {
            value = min + (max - min) / 2;
        } else if (min != null) {
            value = min;
        } else if (max != null) {
            value = max;
        } else {
            value = 1;
        }
        return spec.type() == org.panacea.api.plugin.ParameterType.INTEGER ? Math.floor(value) : value;
    }

    private static List<String> variants(ParameterSpec spec) {
        List<String> values = new ArrayList<>();
        switch (spec.type()) {
            case INTEGER:
            case DECIMAL:
                if (spec.minimum() != null) {
                    values.add(String.valueOf(spec.minimum()));
                }
                if (spec.maximum() != null) {
                    values.add(String.valueOf(spec.maximum()));
                }
                break;
            case BOOLEAN:
                values.add("true");
                values.add("false");
                break;
            case CHOICE:
                values.addAll(spec.choices());
                break;
            default:
                break;
        }
        return values;
    }

    /** The value as the engine hands it to an algorithm. */
    static Object typed(ParameterSpec spec, String value) {
        switch (spec.type()) {
            case INTEGER:
                return (int) Math.round(parse(spec, value));
            case DECIMAL:
                return parse(spec, value);
            case BOOLEAN:
                return value.equals("true") || value.startsWith("1");
            default:
                return value;
        }
    }

    private static double parse(ParameterSpec spec, String value) {
        Double number = ParameterSchemaRules.number(value);
        if (number == null) {
            throw new AssertionError(spec.name() + ": '" + value + "' is not a number, so no request could give it "
                    + "(see ParameterSchemaRules)");
        }
        return number;
    }

    /** The value as the engine hands it to a model: a number, booleans as 1 and 0; {@code null} for text. */
    static Double number(ParameterSpec spec, String value) {
        if (spec.type() == org.panacea.api.plugin.ParameterType.BOOLEAN) {
            return value.equals("true") || value.startsWith("1") ? 1.0 : 0.0;
        }
        Double number = ParameterSchemaRules.number(value);
        if (number == null) {
            return null;
        }
        return spec.type() == org.panacea.api.plugin.ParameterType.INTEGER ? (double) Math.round(number) : number;
    }
}

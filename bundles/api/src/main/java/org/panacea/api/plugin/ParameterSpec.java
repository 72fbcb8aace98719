package org.panacea.api.plugin;

import java.util.List;
import java.util.Objects;

/**
 * Describes one parameter of an algorithm or one input of a model, so that the platform can validate a
 * request before the plugin sees it and show the parameter in its pages and console.
 *
 * @param name         the key used in requests; letters, digits, {@code -} and {@code _} only
 * @param type         the kind of value
 * @param description  what the parameter means, for people
 * @param unit         the UCUM unit of a numeric value ({@code mm}, {@code [hnsf'U]}, {@code mm[Hg]}), empty when unitless
 * @param code         the code that identifies a model input in the record ({@code http://loinc.org|8867-4}),
 *                     empty for algorithm parameters
 * @param minimum      the smallest allowed numeric value, inclusive, or {@code null} for no bound
 * @param maximum      the largest allowed numeric value, inclusive, or {@code null} for no bound
 * @param defaultValue the value used when a request leaves the parameter out, or {@code null} when it is required
 * @param choices      the allowed values of a {@link ParameterType#CHOICE} parameter; empty otherwise
 */
public record ParameterSpec(String name, ParameterType type, String description, String unit, String code,
        Double minimum, Double maximum, String defaultValue, List<String> choices) {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("parameter name '" + name + "' may hold only letters, digits, '-' and '_'");
        }
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        unit = unit == null ? "" : unit;
        code = code == null ? "" : code;
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (minimum != null && maximum != null && minimum > maximum) {
            throw new IllegalArgumentException("parameter '" + name + "': minimum " + minimum + " > maximum " + maximum);
        }
        if (type == ParameterType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "' is a CHOICE but lists no choices");
        }
    }

    /** A required real-valued parameter with a range and a unit. */
    public static ParameterSpec decimal(String name, String description, String unit, Double minimum, Double maximum,
            Double defaultValue) {
        return new ParameterSpec(name, ParameterType.DECIMAL, description, unit, "", minimum, maximum,
                defaultValue == null ? null : defaultValue.toString(), List.of());
    }

    /** A whole-number parameter with a range. */
    public static ParameterSpec integer(String name, String description, Integer minimum, Integer maximum,
            Integer defaultValue) {
        return new ParameterSpec(name, ParameterType.INTEGER, description, "",  "",
                minimum == null ? null : minimum.doubleValue(), maximum == null ? null : maximum.doubleValue(),
                defaultValue == null ? null : defaultValue.toString(), List.of());
    }

    /** A parameter that takes one of a fixed set of values. */
    public static ParameterSpec choice(String name, String description, String defaultValue, List<String> choices) {
        return new ParameterSpec(name, ParameterType.CHOICE, description, "", "", null, null, defaultValue, choices);
    }

    /** {@code true} when a request must give this parameter. */
    public boolean required() {
        return defaultValue == null;
    }
}

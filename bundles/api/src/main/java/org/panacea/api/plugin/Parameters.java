package org.panacea.api.plugin;

import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Parameter values after the platform has validated them against the plugin's {@link ParameterSpec}s and filled
 * in defaults. A plugin receives only validated values: a {@link ParameterType#DECIMAL} is a {@link Double}, an
 * {@link ParameterType#INTEGER} an {@link Integer}, a {@link ParameterType#BOOLEAN} a {@link Boolean}, the others
 * {@link String}s.
 *
 * @param values validated values by parameter name; immutable
 */
public record Parameters(Map<String, Object> values) {

    public Parameters {
        values = Map.copyOf(values);
    }

    /** No parameters. */
    public static Parameters none() {
        return new Parameters(Map.of());
    }

    /** The value of a {@link ParameterType#DECIMAL} or {@link ParameterType#INTEGER} parameter. */
    public double decimal(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** The value of an {@link ParameterType#INTEGER} parameter. */
    public int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    /** The value of a {@link ParameterType#BOOLEAN} parameter. */
    public boolean flag(String name) {
        return (Boolean) get(name);
    }

    /** The value of a {@link ParameterType#CHOICE} or {@link ParameterType#TEXT} parameter. */
    public String text(String name) {
        return get(name).toString();
    }

    private Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new NoSuchElementException("no value for parameter '" + name + "'");
        }
        return value;
    }
}

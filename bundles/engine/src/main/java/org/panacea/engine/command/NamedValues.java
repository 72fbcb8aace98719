package org.panacea.engine.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trailing arguments of a run command: {@code name=value} pairs as raw text values by name, for the parameter
 * validator to read, and the command's own options where they follow them. Karaf's shell reads options only before
 * the first argument, so {@code imaging:run ALGORITHM UID sigma=2 --frame 1} leaves {@code --frame 1} here.
 *
 * @param values  the {@code name=value} pairs
 * @param options values of the options found among them ({@code --frame} to {@code 1}), by option name
 */
record NamedValues(Map<String, Object> values, Map<String, String> options) {

    /**
     * @param optionNames the options ({@code --frame}) that may appear, as {@code --frame 1} or {@code --frame=1}
     * @throws IllegalArgumentException naming the argument that is not {@code name=value}, repeats a name, or is an
     *                                  option without its value
     */
    static NamedValues parse(List<String> arguments, Set<String> optionNames) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (arguments == null) {
            return new NamedValues(values, options);
        }
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            int equals = argument.indexOf('=');
            String option = equals < 0 ? argument : argument.substring(0, equals);
            if (optionNames.contains(option)) {
                if (equals >= 0) {
                    options.put(option, argument.substring(equals + 1));
                } else if (i + 1 < arguments.size()) {
                    options.put(option, arguments.get(++i));
                } else {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                continue;
            }
            if (equals < 1 || argument.startsWith("-")) {
                throw new IllegalArgumentException("'" + argument + "' is not name=value (e.g. sigma=2)");
            }
            String name = argument.substring(0, equals).strip();
            if (values.put(name, argument.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("'" + name + "' is given twice");
            }
        }
        return new NamedValues(values, options);
    }

    /** An option's value as a whole number, or {@code fallback} when it was not given here. */
    Integer integer(String option, Integer fallback) {
        String value = options.get(option);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number; got '" + value + "'");
        }
    }

    /** An option's value, or {@code fallback} when it was not given here. */
    String text(String option, String fallback) {
        return options.getOrDefault(option, fallback);
    }
}

package org.panacea.analysis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading an analysis request's parameters, with messages that name the parameter. */
final class Parameters {

    private Parameters() {
    }

    static void refuseUnknown(Map<String, String> parameters, Set<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'; this analysis takes "
                        + new TreeSet<>(known));
            }
        }
    }

    static String required(Map<String, String> parameters, String name, String meaning) {
        String value = optional(parameters, name);
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is required: " + meaning);
        }
        return value;
    }

    /** The value stripped, or {@code null} when absent or blank. */
    static String optional(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A comma-separated list, stripped, blanks left out; empty for {@code null}. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }

    static boolean flag(Map<String, String> parameters, String name, boolean byDefault) {
        String value = optional(parameters, name);
        if (value == null) {
            return byDefault;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("parameter '" + name + "' must be true or false, was '"
                    + value + "'");
        };
    }
}

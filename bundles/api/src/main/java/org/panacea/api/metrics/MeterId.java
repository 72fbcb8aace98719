package org.panacea.api.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The identity of one time series: a name, what it means, and its labels.
 *
 * <p>The name is lower case words joined by dots ({@code panacea.audit.append}); the exposition turns the dots into
 * underscores and adds the unit and type suffixes ({@code panacea_audit_append_seconds_count}). Label names are
 * lower case words joined by underscores. Label values are short codes from a fixed vocabulary that the calling code
 * chooses (a route template such as {@code /fhir/Patient/{id}}, an outcome such as {@code error}): at most
 * {@value #MAX_VALUE_LENGTH} characters of letters, digits and {@code _ . : / { } $ -}. That excludes spaces and most of
 * what free text holds, but not an identifier: never put a value taken from a request, a record or a user into a
 * label.
 *
 * @param name   the metric's name
 * @param help   what it measures, one line, for the exposition's HELP line
 * @param labels label names to values; copied, sorted by name
 * @throws IllegalArgumentException when the name, a label name or a label value breaks the rules above, or the help is
 *                                  blank or spans lines
 */
public record MeterId(String name, String help, Map<String, String> labels) {

    /** The longest label value accepted. */
    public static final int MAX_VALUE_LENGTH = 100;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.:/{}$-]{1," + MAX_VALUE_LENGTH + "}");

    public MeterId {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' is not lower case words joined by dots");
        }
        if (help == null || help.isBlank() || help.contains("\n") || help.contains("\r")) {
            throw new IllegalArgumentException("metric " + name + " needs a one-line help text");
        }
        labels = Map.copyOf(new TreeMap<>(labels == null ? Map.of() : labels));
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!LABEL_NAME.matcher(label.getKey()).matches() || "le".equals(label.getKey())) {
                throw new IllegalArgumentException("label name '" + label.getKey() + "' of metric " + name
                        + " is not lower case words joined by underscores (and not the reserved 'le')");
            }
            if (!LABEL_VALUE.matcher(label.getValue()).matches()) {
                throw new IllegalArgumentException("label " + label.getKey() + " of metric " + name
                        + " must be 1 to " + MAX_VALUE_LENGTH
                        + " letters, digits or _ . : / { } $ - (a code, never data)");
            }
        }
    }

    /** A series without labels. */
    public static MeterId of(String name, String help) {
        return new MeterId(name, help, Map.of());
    }

    /** The same metric with one more label. */
    public MeterId with(String label, String value) {
        Map<String, String> more = new TreeMap<>(labels);
        more.put(label, value);
        return new MeterId(name, help, more);
    }
}

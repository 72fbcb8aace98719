package org.panacea.itests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4, written from the format's rules (no
 * Prometheus Java library parses it): metric and label names, {@code # HELP} (escapes {@code \\} and {@code \n}) and
 * {@code # TYPE} lines (at most one each per family, TYPE before the family's first sample), label values in double
 * quotes with the escapes {@code \\}, {@code \"} and {@code \n}, values as Go floats ({@code NaN}, {@code +Inf},
 * {@code -Inf}), an optional integer timestamp, the samples of a family grouped together, no sample twice. For a
 * histogram: every sample is {@code _bucket} with an {@code le} label, {@code _sum} or {@code _count}; per label set
 * the buckets are non-decreasing as {@code le} grows, end with {@code le="+Inf"}, and that bucket equals
 * {@code _count}. For a summary: {@code quantile} samples, {@code _sum} and {@code _count}. Counters are never
 * negative. Anything else throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One metric family: its name, type, help and samples in the order read. */
    record Family(String name, String type, String help, List<Sample> samples) {

        /** The samples named {@code name} whose labels include every entry of {@code labels}. */
        List<Sample> find(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name)
                    && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        }
    }

    private PrometheusText() {
    }

    /** Parses {@code text} into its families by name. */
    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> types = new TreeMap<>();
        Map<String, String> helps = new TreeMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> seenSamples = new HashSet<>();
        String current = null;
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        String[] lines = text.split("\n", -1);
        for (int number = 1; number <= lines.length - 1; number++) {
            String line = lines[number - 1];
            String where = "line " + number + " '" + line + "': ";
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                boolean meta = parts.length >= 3 && parts[0].equals("#")
                        && (parts[1].equals("HELP") || parts[1].equals("TYPE"));
                if (!meta) {
                    continue; // a comment
                }
                String name = parts[2];
                if (!METRIC_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(where + "invalid metric name");
                }
                if (closed.contains(name) || name.equals(current) && parts[1].equals("TYPE")
                        && families.containsKey(name) && !families.get(name).samples().isEmpty()) {
                    throw new IllegalArgumentException(where + "metadata after the family's samples");
                }
                if (parts[1].equals("TYPE")) {
                    if (parts.length != 4 || !TYPES.contains(parts[3])) {
                        throw new IllegalArgumentException(where + "unknown type");
                    }
                    if (types.put(name, parts[3]) != null) {
                        throw new IllegalArgumentException(where + "second TYPE line");
                    }
                } else {
                    if (helps.put(name, parts.length == 4 ? unescapeHelp(parts[3], where) : "") != null) {
                        throw new IllegalArgumentException(where + "second HELP line");
                    }
                }
                if (current != null && !current.equals(name)) {
                    closed.add(current);
                }
                current = name;
                continue;
            }
            Sample sample = sample(line, where);
            String family = familyOf(sample.name(), types);
            if (closed.contains(family)) {
                throw new IllegalArgumentException(where + "family " + family + " is not grouped together");
            }
            if (current != null && !current.equals(family)) {
                closed.add(current);
            }
            current = family;
            if (!seenSamples.add(sample.name() + sample.labels())) {
                throw new IllegalArgumentException(where + "the same sample twice");
            }
            String type = types.getOrDefault(family, "untyped");
            checkSampleOfType(sample, family, type, where);
            families.computeIfAbsent(family, name -> new Family(name, type, helps.get(name), new ArrayList<>()))
                    .samples().add(sample);
        }
        families.values().forEach(PrometheusText::checkFamily);
        return families;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return sample;
    }

    private static void checkSampleOfType(Sample sample, String family, String type, String where) {
        switch (type) {
            case "histogram" -> {
                if (sample.name().equals(family + "_bucket") != sample.labels().containsKey("le")
                        || sample.name().equals(family)) {
                    throw new IllegalArgumentException(where + "a histogram has _bucket{le}, _sum and _count only");
                }
                if (sample.labels().containsKey("le")) {
                    number(sample.labels().get("le"), where);
                }
            }
            case "summary" -> {
                if (sample.name().equals(family) != sample.labels().containsKey("quantile")) {
                    throw new IllegalArgumentException(where + "a summary has {quantile}, _sum and _count only");
                }
            }
            case "counter" -> {
                if (sample.value() < 0 || Double.isNaN(sample.value())) {
                    throw new IllegalArgumentException(where + "a counter is never negative");
                }
            }
            default -> {
                if (sample.labels().containsKey("le") || sample.labels().containsKey("quantile")) {
                    throw new IllegalArgumentException(where + "le and quantile belong to histograms and summaries");
                }
            }
        }
    }

    /** Per label set of a histogram: buckets non-decreasing with le, ending at +Inf equal to _count. */
    private static void checkFamily(Family family) {
        if (!family.type().equals("histogram")) {
            return;
        }
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample sample : family.samples()) {
            Map<String, String> series = new TreeMap<>(sample.labels());
            String le = series.remove("le");
            if (le != null) {
                if (buckets.computeIfAbsent(series, s -> new TreeMap<>()).put(number(le, family.name()),
                        sample.value()) != null) {
                    throw new IllegalArgumentException(family.name() + " " + series + ": le=" + le + " twice");
                }
            } else if (sample.name().endsWith("_count")) {
                counts.put(series, sample.value());
            }
        }
        if (!buckets.keySet().equals(counts.keySet())) {
            throw new IllegalArgumentException(family.name() + ": series with buckets " + buckets.keySet()
                    + " but counts " + counts.keySet());
        }
        buckets.forEach((series, byBound) -> {
            double previous = 0;
            for (var bucket : byBound.entrySet()) {
                if (bucket.getValue() < previous) {
                    throw new IllegalArgumentException(family.name() + " " + series + ": bucket le=" + bucket.getKey()
                            + " holds " + bucket.getValue() + ", fewer than the one below (" + previous + ")");
                }
                previous = bucket.getValue();
            }
            if (byBound.lastKey() != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(family.name() + " " + series + ": no le=\"+Inf\" bucket");
            }
            if (byBound.lastEntry().getValue().doubleValue() != counts.get(series).doubleValue()) {
                throw new IllegalArgumentException(family.name() + " " + series + ": the +Inf bucket "
                        + byBound.lastEntry().getValue() + " is not _count " + counts.get(series));
            }
        });
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "invalid metric name");
        }
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int equals = line.indexOf('=', i);
                if (equals < 0) {
                    throw new IllegalArgumentException(where + "label without '='");
                }
                String label = line.substring(i, equals);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException(where + "invalid or reserved label name '" + label + "'");
                }
                i = equals + 1;
                if (i >= line.length() || line.charAt(i) != '"') {
                    throw new IllegalArgumentException(where + "label value not in double quotes");
                }
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char escaped = i < line.length() ? line.charAt(i++) : ' ';
                        switch (escaped) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException(where + "invalid escape in a label value");
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException(where + "label " + label + " twice");
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + "no value");
        }
        String[] rest = line.substring(i).trim().split(" +");
        if (rest.length > 2) {
            throw new IllegalArgumentException(where + "more than a value and a timestamp");
        }
        double value = number(rest[0], where);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
            throw new IllegalArgumentException(where + "the timestamp is not an integer");
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static double number(String text, String where) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException(where + "'" + text + "' is not a number");
                }
                return Double.parseDouble(text);
        }
    }

    private static String unescapeHelp(String help, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = ++i < help.length() ? help.charAt(i) : ' ';
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> throw new IllegalArgumentException(where + "invalid escape in HELP");
            }
        }
        return out.toString();
    }
}

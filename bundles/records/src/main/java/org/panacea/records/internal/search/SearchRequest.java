package org.panacea.records.internal.search;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.panacea.records.internal.fhir.DateBuckets;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.fhir.ValueParameters;

/**
 * A FHIR search as Panacea understands it, parsed from the request's parameters. Whatever it does not understand
 * (an unknown parameter, prefix, modifier or value) is refused with a message saying so: a clinical system must
 * never answer a query it did not understand with an empty list.
 *
 * @param type        the resource type searched
 * @param criteria    conditions that must all hold (a repeated parameter is two conditions)
 * @param includes    {@code _include}: resources the matches refer to
 * @param revincludes {@code _revinclude}: resources that refer to the matches
 * @param sort        the order, or null for newest change first
 * @param count       page size
 * @param offset      matches to skip (the API's offset; HTTP clients follow next links instead)
 * @param summary     {@code _summary}
 * @param elements    {@code _elements}: the top-level elements to return, empty for all
 */
public record SearchRequest(String type, List<Criterion> criteria, List<Include> includes, List<Include> revincludes,
        Sort sort, int count, int offset, Summary summary, Set<String> elements) {

    /** Largest page. */
    public static final int MAX_COUNT = 1000;

    /** FHIR's comparison prefixes. */
    public enum Prefix {
        EQ, NE, LT, LE, GT, GE, SA, EB, AP
    }

    /** {@code _summary}: none (false), count only, or without narrative (data). */
    public enum Summary {
        NONE, COUNT, DATA
    }

    /** One condition; its values are alternatives. */
    public sealed interface Criterion permits Ids, Patients, Tokens, Dates, Quantities, LastUpdated {
        /** The parameter name, for messages and the audit trail. */
        String name();
    }

    /** {@code _id}. */
    public record Ids(String name, List<String> ids) implements Criterion {
    }

    /** {@code patient} / {@code subject}: the clear patient column. */
    public record Patients(String name, List<String> patientIds) implements Criterion {
    }

    /** A token, string or reference parameter: exact values. */
    public record Tokens(String name, List<String> values) implements Criterion {
    }

    /** A date with a prefix. */
    public record DateValue(Prefix prefix, DateBuckets.Range range) {

        /** The interval of instants a matching value lies wholly within (for NE: the one it must not). */
        public Instant[] interval(Instant now) {
            Instant start = range.start();
            Instant end = range.end();
            return switch (prefix) {
                case EQ, NE -> new Instant[] { start, end };
                case LT, EB -> new Instant[] { DateBuckets.FLOOR, start };
                case LE -> new Instant[] { DateBuckets.FLOOR, end };
                case GT, SA -> new Instant[] { end, DateBuckets.CEILING };
                case GE -> new Instant[] { start, DateBuckets.CEILING };
                case AP -> {
                    // Approximately: within a tenth of the distance from now, and at least a day either side.
                    long gap = Math.abs(now.toEpochMilli() - start.toEpochMilli()) / 10;
                    long margin = Math.max(gap, 86_400_000L);
                    yield new Instant[] { start.minusMillis(margin), end.plusMillis(margin) };
                }
            };
        }

        /** Whether {@code value} satisfies this condition. */
        public boolean matches(DateBuckets.Range value, Instant now) {
            Instant[] interval = interval(now);
            boolean within = value.within(interval[0], interval[1]);
            return prefix == Prefix.NE ? !within : within;
        }
    }

    /** A date parameter; {@code negated} when its values are {@code ne} (all of them). */
    public record Dates(String name, List<DateValue> values, boolean negated) implements Criterion {
    }

    /** {@code _lastUpdated}, answered from the clear storage-time column. */
    public record LastUpdated(String name, List<DateValue> values, boolean negated) implements Criterion {
    }

    /** A quantity with a prefix and a unit key ({@code ""} for any unit). */
    public record QuantityValue(Prefix prefix, BigDecimal number, String unit) {

        /** Lowest and highest number the condition can accept (null when open); for NE, the excluded range. */
        public BigDecimal[] bounds() {
            BigDecimal half = BigDecimal.ONE.scaleByPowerOfTen(-number.scale()).divide(BigDecimal.valueOf(2));
            return switch (prefix) {
                case EQ, NE -> new BigDecimal[] { number.subtract(half), number.add(half) };
                case LT, LE, EB -> new BigDecimal[] { null, number };
                case GT, GE, SA -> new BigDecimal[] { number, null };
                case AP -> {
                    BigDecimal tenth = number.abs().divide(BigDecimal.TEN);
                    yield new BigDecimal[] { number.subtract(tenth), number.add(tenth) };
                }
            };
        }

        /** Whether {@code value} satisfies this condition. */
        public boolean matches(BigDecimal value) {
            BigDecimal[] bounds = bounds();
            return switch (prefix) {
                case EQ -> value.compareTo(bounds[0]) >= 0 && value.compareTo(bounds[1]) < 0;
                case NE -> value.compareTo(bounds[0]) < 0 || value.compareTo(bounds[1]) >= 0;
                case LT, EB -> value.compareTo(number) < 0;
                case LE -> value.compareTo(number) <= 0;
                case GT, SA -> value.compareTo(number) > 0;
                case GE -> value.compareTo(number) >= 0;
                case AP -> value.compareTo(bounds[0]) >= 0 && value.compareTo(bounds[1]) <= 0;
            };
        }
    }

    /** A quantity parameter; {@code negated} when its values are {@code ne}. */
    public record Quantities(String name, List<QuantityValue> values, boolean negated) implements Criterion {
    }

    /**
     * An {@code _include} or {@code _revinclude}.
     *
     * @param sourceType the type holding the reference
     * @param parameter  the reference parameter
     * @param targetType the type referred to, or null for any
     */
    public record Include(String sourceType, String parameter, String targetType) {

        @Override
        public String toString() {
            return sourceType + ":" + parameter + (targetType == null ? "" : ":" + targetType);
        }
    }

    /** The order: by {@code _lastUpdated}, {@code _id} or a date parameter. */
    public record Sort(String parameter, boolean descending) {

        @Override
        public String toString() {
            return (descending ? "-" : "") + parameter;
        }
    }

    private static final Pattern PREFIXED = Pattern.compile("(eq|ne|lt|le|gt|ge|sa|eb|ap)?(.*)");
    private static final Set<String> REFERENCE_TO_PATIENT = SearchParameters.PATIENT_PARAMETERS;
    private static final Pattern ELEMENT = Pattern.compile("[a-z][A-Za-z0-9]{0,63}(\\[x\\])?");

    /**
     * Parses {@code parameters} (each name with every value it was given) into a search of {@code type}.
     *
     * @throws IllegalArgumentException naming what is not understood
     */
    public static SearchRequest parse(String type, Map<String, List<String>> parameters, int defaultCount,
            Instant now) {
        List<Criterion> criteria = new ArrayList<>();
        List<Include> includes = new ArrayList<>();
        List<Include> revincludes = new ArrayList<>();
        Sort sort = null;
        int count = defaultCount;
        int offset = 0;
        Summary summary = Summary.NONE;
        Set<String> elements = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            for (String value : parameter.getValue()) {
                switch (name) {
                    case "_count" -> count = whole(name, value, 0, MAX_COUNT);
                    case "_offset" -> offset = whole(name, value, 0, Integer.MAX_VALUE);
                    case "_format", "_pretty", "_total" -> {
                        // JSON is the only format, pretty-printing is the client's business, the total is exact.
                    }
                    case "_summary" -> summary = switch (value.strip()) {
                        case "count" -> Summary.COUNT;
                        case "false" -> Summary.NONE;
                        case "data" -> Summary.DATA;
                        default -> throw new IllegalArgumentException("_summary=" + value + " is not supported; use "
                                + "count, data or false");
                    };
                    case "_elements" -> {
                        for (String element : values(name, value)) {
                            if (!ELEMENT.matcher(element).matches()) {
                                throw new IllegalArgumentException("_elements: '" + element + "' is not the name of "
                                        + "a top-level element");
                            }
                            elements.add(element);
                        }
                    }
                    case "_include" -> includes.add(include(type, name, value, false));
                    case "_revinclude" -> revincludes.add(include(type, name, value, true));
                    case "_sort" -> {
                        if (sort != null || value.contains(",")) {
                            throw new IllegalArgumentException("_sort takes one key (_lastUpdated, _id or a date "
                                    + "parameter), optionally with '-' for descending");
                        }
                        sort = sort(type, value.strip());
                    }
                    default -> criteria.add(criterion(type, name, value, now));
                }
            }
        }
        if (count == 0 && summary != Summary.COUNT) {
            summary = Summary.COUNT;
        }
        return new SearchRequest(type, List.copyOf(criteria), List.copyOf(includes), List.copyOf(revincludes), sort,
                Math.max(1, count), offset, summary, Set.copyOf(elements));
    }

    private static Criterion criterion(String type, String rawName, String value, Instant now) {
        String name = rawName;
        String modifier = "";
        int colon = rawName.indexOf(':');
        if (colon > 0) {
            name = rawName.substring(0, colon);
            modifier = rawName.substring(colon + 1);
        }
        if (name.startsWith("_") && !name.equals("_id") && !name.equals("_lastUpdated")
                && !SearchParameters.of(type).contains(name)) {
            throw new IllegalArgumentException("'" + rawName + "' is not supported; Panacea answers searches with "
                    + "_id, _lastUpdated, _count, _sort, _include, _revinclude, _summary, _elements and the type's "
                    + "own parameters");
        }
        List<String> values = values(rawName, value);
        if (name.equals("_id")) {
            noModifier(rawName, modifier);
            return new Ids(name, values);
        }
        if (name.equals("_lastUpdated")) {
            noModifier(rawName, modifier);
            List<DateValue> dates = values.stream().map(text -> date(rawName, text)).toList();
            return new LastUpdated(name, dates, negated(rawName, dates.stream().map(DateValue::prefix).toList()));
        }
        if (REFERENCE_TO_PATIENT.contains(name) && SearchParameters.patientLinked(type)) {
            if (!modifier.isEmpty() && !modifier.equals("Patient")) {
                throw new IllegalArgumentException("'" + rawName + "': " + name + " refers to a Patient here");
            }
            return new Patients(name, values.stream().map(v -> v.startsWith("Patient/") ? v.substring(8) : v)
                    .toList());
        }
        var valued = ValueParameters.find(type, name);
        if (valued.isPresent()) {
            switch (valued.get().kind()) {
                case DATE -> {
                    noModifier(rawName, modifier);
                    List<DateValue> dates = values.stream().map(text -> date(rawName, text)).toList();
                    return new Dates(name, dates, negated(rawName, dates.stream().map(DateValue::prefix).toList()));
                }
                case QUANTITY -> {
                    noModifier(rawName, modifier);
                    List<QuantityValue> quantities = values.stream().map(text -> quantity(rawName, text)).toList();
                    return new Quantities(name, quantities, negated(rawName, quantities.stream()
                            .map(QuantityValue::prefix).toList()));
                }
                case REFERENCE -> {
                    // subject:Practitioner style modifiers name the target type; the value then may be a bare id.
                    if (!modifier.isEmpty() && !Character.isUpperCase(modifier.charAt(0))) {
                        throw new IllegalArgumentException("'" + rawName + "': modifier :" + modifier + " is not "
                                + "supported on a reference; use " + name + "=Type/id");
                    }
                    String target = modifier;
                    return new Tokens(name, values.stream().map(v -> !target.isEmpty() && !v.contains("/")
                            ? target + "/" + v : v).toList());
                }
            }
        }
        if (SearchParameters.of(type).contains(name)) {
            if (!modifier.isEmpty() && !modifier.equals("exact")) {
                throw new IllegalArgumentException("'" + rawName + "': modifier :" + modifier + " is not supported; "
                        + "Panacea matches exact values through its blind index (:exact is accepted)");
            }
            return new Tokens(name, values);
        }
        throw new IllegalArgumentException("'" + name + "' is not a search parameter of " + type
                + "; Panacea supports " + String.join(", ", supported(type)));
    }

    /** Every parameter {@code type} can be searched by, for messages and the CapabilityStatement. */
    public static List<String> supported(String type) {
        List<String> names = new ArrayList<>();
        names.add("_id");
        names.add("_lastUpdated");
        if (SearchParameters.patientLinked(type)) {
            names.addAll(REFERENCE_TO_PATIENT.stream().sorted().toList());
        }
        names.addAll(SearchParameters.of(type));
        ValueParameters.of(type).forEach(parameter -> names.add(parameter.name()));
        return names;
    }

    private static void noModifier(String rawName, String modifier) {
        if (!modifier.isEmpty()) {
            throw new IllegalArgumentException("'" + rawName + "': modifier :" + modifier + " is not supported here");
        }
    }

    /** NE cannot be mixed with other prefixes in one list of alternatives. */
    private static boolean negated(String name, List<Prefix> prefixes) {
        long negated = prefixes.stream().filter(prefix -> prefix == Prefix.NE).count();
        if (negated > 0 && negated < prefixes.size()) {
            throw new IllegalArgumentException(name + ": 'ne' cannot be an alternative to other values; give it as "
                    + "a parameter of its own");
        }
        return negated > 0;
    }

    private static DateValue date(String name, String text) {
        var match = PREFIXED.matcher(text);
        match.matches();
        Prefix prefix = match.group(1) == null ? Prefix.EQ : Prefix.valueOf(match.group(1).toUpperCase());
        DateBuckets.Range range = DateBuckets.parse(match.group(2)).orElseThrow(() -> new IllegalArgumentException(
                name + ": '" + text + "' is not a date; give an optional prefix (eq, ne, lt, le, gt, ge, sa, eb, ap) "
                        + "and YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|+hh:mm]"));
        return new DateValue(prefix, range);
    }

    private static QuantityValue quantity(String name, String text) {
        var match = PREFIXED.matcher(text);
        match.matches();
        Prefix prefix = match.group(1) == null ? Prefix.EQ : Prefix.valueOf(match.group(1).toUpperCase());
        String[] parts = match.group(2).split("\\|", -1);
        BigDecimal number;
        try {
            number = new BigDecimal(parts[0].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a quantity; give [prefix]number, "
                    + "optionally |system|code or ||code");
        }
        String unit;
        if (parts.length == 1) {
            unit = "";
        } else if (parts.length == 3) {
            String system = parts[1].strip();
            String code = parts[2].strip();
            unit = code.isEmpty() ? "" : system.isEmpty() ? "|" + code : system + "|" + code;
        } else {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a quantity; the unit is given as "
                    + "|system|code or ||code");
        }
        return new QuantityValue(prefix, number, unit);
    }

    private static Include include(String type, String name, String value, boolean reverse) {
        String[] parts = value.strip().split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException(name + "=" + value + " must be SourceType:parameter[:TargetType]");
        }
        String source = parts[0];
        String parameter = parts[1];
        String target = parts.length == 3 ? parts[2] : null;
        if (!reverse && !source.equals(type)) {
            throw new IllegalArgumentException(name + "=" + value + ": includes start from the type searched, " + type
                    + " (iterated includes are not supported)");
        }
        boolean toPatient = REFERENCE_TO_PATIENT.contains(parameter) && SearchParameters.patientLinked(source);
        boolean reference = ValueParameters.find(source, parameter)
                .filter(p -> p.kind() == ValueParameters.Kind.REFERENCE).isPresent();
        if (!toPatient && !reference) {
            throw new IllegalArgumentException(name + "=" + value + ": '" + parameter + "' is not a reference "
                    + "parameter of " + source);
        }
        if (reverse && target != null && !target.equals(type)) {
            throw new IllegalArgumentException(name + "=" + value + " would include resources referring to " + target
                    + ", but the search is of " + type);
        }
        return new Include(source, parameter, toPatient ? "Patient" : target);
    }

    private static Sort sort(String type, String value) {
        boolean descending = value.startsWith("-");
        String parameter = descending ? value.substring(1) : value;
        boolean date = ValueParameters.find(type, parameter).filter(p -> p.kind() == ValueParameters.Kind.DATE)
                .isPresent();
        if (!date && !parameter.equals("_lastUpdated") && !parameter.equals("_id")) {
            throw new IllegalArgumentException("_sort=" + value + ": Panacea sorts by _lastUpdated, _id or a date "
                    + "parameter of " + type + " (" + String.join(", ", ValueParameters.of(type).stream()
                            .filter(p -> p.kind() == ValueParameters.Kind.DATE).map(ValueParameters.Parameter::name)
                            .toList()) + ")");
        }
        return new Sort(parameter, descending);
    }

    private static List<String> values(String name, String value) {
        List<String> values = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                values.add(part.strip());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("search parameter '" + name + "' has no value");
        }
        return values;
    }

    private static int whole(String name, String value, int min, int max) {
        int number;
        try {
            number = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + number);
        }
        return number;
    }

    /** Whether sorting needs the resources opened (a date parameter) rather than a clear column. */
    public boolean sortsByContent() {
        return sort != null && !sort.parameter().equals("_lastUpdated") && !sort.parameter().equals("_id");
    }
}

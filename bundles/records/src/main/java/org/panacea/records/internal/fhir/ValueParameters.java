package org.panacea.records.internal.fhir;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The date, quantity and reference search parameters of each modelled type, and where their values are in a
 * resource. Their values are indexed as blind tokens too: dates as {@link DateBuckets}, quantities as
 * {@link QuantityBuckets}, references as {@code Type/id} (and the bare id). The exact-match token parameters are in
 * {@link SearchParameters}.
 */
public final class ValueParameters {

    /** How a parameter's values are compared. */
    public enum Kind {
        DATE, QUANTITY, REFERENCE
    }

    /**
     * One search parameter.
     *
     * @param name  its FHIR name
     * @param kind  how it compares
     * @param paths where its values are: dotted element paths, each step into every array element
     */
    public record Parameter(String name, Kind kind, List<String> paths) {
    }

    private static final Map<String, List<Parameter>> BY_TYPE = new LinkedHashMap<>();

    static {
        define("Patient", date("birthdate", "birthDate"),
                reference("general-practitioner", "generalPractitioner"),
                reference("organization", "managingOrganization"));
        define("Encounter", date("date", "period.start"), reference("participant", "participant.individual"),
                reference("service-provider", "serviceProvider"), reference("episode-of-care", "episodeOfCare"));
        define("Observation", date("date", "effectiveDateTime", "effectivePeriod.start", "effectiveInstant"),
                quantity("value-quantity", "valueQuantity"), reference("encounter", "encounter"),
                reference("performer", "performer"), reference("has-member", "hasMember"),
                reference("derived-from", "derivedFrom"));
        define("Condition", date("onset-date", "onsetDateTime", "onsetPeriod.start"),
                date("recorded-date", "recordedDate"), date("abatement-date", "abatementDateTime"),
                reference("encounter", "encounter"), reference("asserter", "asserter"));
        define("MedicationRequest", date("authoredon", "authoredOn"), reference("encounter", "encounter"),
                reference("requester", "requester"), reference("medication", "medicationReference"));
        define("ImagingStudy", date("started", "started"), reference("encounter", "encounter"),
                reference("basedon", "basedOn"));
        define("RiskAssessment", date("date", "occurrenceDateTime"), reference("encounter", "encounter"),
                reference("performer", "performer"));
        define("Consent", date("date", "dateTime"), reference("organization", "organization"),
                reference("actor", "provision.actor.reference"));
        define("Procedure", date("date", "performedDateTime", "performedPeriod.start"),
                reference("encounter", "encounter"), reference("performer", "performer.actor"),
                reference("reason-reference", "reasonReference"));
        define("AllergyIntolerance", date("date", "recordedDate"), date("onset", "onsetDateTime"),
                reference("recorder", "recorder"), reference("asserter", "asserter"));
        define("DiagnosticReport", date("date", "effectiveDateTime", "effectivePeriod.start"),
                date("issued", "issued"), reference("encounter", "encounter"), reference("result", "result"),
                reference("performer", "performer"), reference("based-on", "basedOn"));
        define("Immunization", date("date", "occurrenceDateTime"), reference("performer", "performer.actor"),
                reference("location", "location"));
        define("DocumentReference", date("date", "date"), date("period", "context.period.start"),
                reference("author", "author"), reference("encounter", "context.encounter"),
                reference("custodian", "custodian"));
        define("CarePlan", date("date", "period.start"), reference("encounter", "encounter"),
                reference("care-team", "careTeam"), reference("based-on", "basedOn"));
        define("CareTeam", date("date", "period.start"), reference("participant", "participant.member"),
                reference("encounter", "encounter"));
        define("PractitionerRole", date("date", "period.start"), reference("practitioner", "practitioner"),
                reference("organization", "organization"), reference("location", "location"));
        define("Location", reference("organization", "managingOrganization"), reference("partof", "partOf"));
        define("Organization", reference("partof", "partOf"));
        define("Group", reference("member", "member.entity"), reference("managing-entity", "managingEntity"));
    }

    private ValueParameters() {
    }

    private static void define(String type, Parameter... parameters) {
        BY_TYPE.put(type, List.of(parameters));
    }

    private static Parameter date(String name, String... paths) {
        return new Parameter(name, Kind.DATE, List.of(paths));
    }

    private static Parameter quantity(String name, String... paths) {
        return new Parameter(name, Kind.QUANTITY, List.of(paths));
    }

    private static Parameter reference(String name, String... paths) {
        return new Parameter(name, Kind.REFERENCE, List.of(paths));
    }

    /** The date, quantity and reference parameters of {@code type}. */
    public static List<Parameter> of(String type) {
        return BY_TYPE.getOrDefault(type, List.of());
    }

    /** Parameter {@code name} of {@code type}, if it is one of these. */
    public static Optional<Parameter> find(String type, String name) {
        return of(type).stream().filter(parameter -> parameter.name.equals(name)).findFirst();
    }

    /** The types with parameters here. */
    public static Set<String> types() {
        return BY_TYPE.keySet();
    }

    /** Each parameter's index values in {@code resource} (bucket names, or references). */
    public static Map<String, Set<String>> extract(String type, JsonNode resource) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Parameter parameter : of(type)) {
            Set<String> found = new LinkedHashSet<>();
            for (JsonNode value : values(parameter, resource)) {
                switch (parameter.kind) {
                    case DATE -> DateBuckets.parse(value.asText()).ifPresent(range -> found.addAll(
                            DateBuckets.tokens(range)));
                    case QUANTITY -> quantity(value).ifPresent(quantity -> found.addAll(quantity.tokens()));
                    case REFERENCE -> found.addAll(referenceTokens(value.path("reference").asText("")));
                }
            }
            if (!found.isEmpty()) {
                values.put(parameter.name, found);
            }
        }
        return values;
    }

    /** The JSON values of {@code parameter} in {@code resource}. */
    public static List<JsonNode> values(Parameter parameter, JsonNode resource) {
        List<JsonNode> found = new ArrayList<>();
        for (String path : parameter.paths) {
            collect(resource, path.split("\\."), 0, found);
        }
        return found;
    }

    private static void collect(JsonNode node, String[] steps, int step, List<JsonNode> found) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(element -> collect(element, steps, step, found));
            return;
        }
        if (step == steps.length) {
            found.add(node);
            return;
        }
        collect(node.get(steps[step]), steps, step + 1, found);
    }

    /** The date ranges of a date parameter in {@code resource}, for exact comparison. */
    public static List<DateBuckets.Range> dates(Parameter parameter, JsonNode resource) {
        List<DateBuckets.Range> ranges = new ArrayList<>();
        for (JsonNode value : values(parameter, resource)) {
            DateBuckets.parse(value.asText()).ifPresent(ranges::add);
        }
        return ranges;
    }

    /**
     * A Quantity's value and the unit keys it is found by: any unit ({@code ""}), {@code system|code}, and
     * {@code |code} for its code or its unit text.
     */
    public record Quantity(BigDecimal value, Set<String> units) {

        Set<String> tokens() {
            Set<String> tokens = new LinkedHashSet<>();
            for (String bucket : QuantityBuckets.tokens(value)) {
                for (String unit : units) {
                    tokens.add(unit + "#" + bucket);
                }
            }
            return tokens;
        }
    }

    /** The quantities of a quantity parameter in {@code resource}, for exact comparison. */
    public static List<Quantity> quantities(Parameter parameter, JsonNode resource) {
        List<Quantity> quantities = new ArrayList<>();
        for (JsonNode value : values(parameter, resource)) {
            quantity(value).ifPresent(quantities::add);
        }
        return quantities;
    }

    private static Optional<Quantity> quantity(JsonNode quantity) {
        JsonNode value = quantity.get("value");
        if (value == null || !value.isNumber()) {
            return Optional.empty();
        }
        Set<String> units = new LinkedHashSet<>();
        units.add("");
        String system = quantity.path("system").asText("");
        String code = quantity.path("code").asText("");
        String unit = quantity.path("unit").asText("");
        if (!code.isEmpty()) {
            units.add("|" + code);
            if (!system.isEmpty()) {
                units.add(system + "|" + code);
            }
        }
        if (!unit.isEmpty()) {
            units.add("|" + unit);
        }
        return Optional.of(new Quantity(value.decimalValue(), units));
    }

    /** The tokens a reference is found by: {@code Type/id} and the bare id (absolute URLs by their last two parts). */
    public static Set<String> referenceTokens(String reference) {
        Set<String> tokens = new LinkedHashSet<>();
        String[] parts = reference.split("/");
        if (parts.length >= 2 && !reference.startsWith("urn:")) {
            int history = reference.indexOf("/_history/");
            String[] kept = history < 0 ? parts : reference.substring(0, history).split("/");
            if (kept.length >= 2) {
                String typed = kept[kept.length - 2] + "/" + kept[kept.length - 1];
                tokens.add(typed);
                tokens.add(kept[kept.length - 1]);
            }
        }
        return tokens;
    }

    /** The {@code Type/id} references of a reference parameter in {@code resource}. */
    public static List<String> references(Parameter parameter, JsonNode resource) {
        List<String> references = new ArrayList<>();
        for (JsonNode value : values(parameter, resource)) {
            referenceTokens(value.path("reference").asText("")).stream().filter(token -> token.contains("/"))
                    .findFirst().ifPresent(references::add);
        }
        return references;
    }
}

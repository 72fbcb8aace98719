package org.panacea.engine.internal.prediction;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.rest.http.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a model's inputs from a patient's record, as far as the input specs' codes allow, through
 * {@link PatientRecords} as the caller (so every read is checked and audited like any other):
 * <ul>
 * <li>LOINC 30525-0, 21612-7, 29553-5 (age): completed years (unit {@code a} or none), months ({@code mo}) or days
 * ({@code d}) from {@code Patient.birthDate} to today, or to the death of a deceased patient;</li>
 * <li>LOINC 76689-9, 46098-0, 21840-4 (sex): {@code Patient.gender}, as the number the input's description gives for
 * it ({@code "1 male, 2 female"}, {@code "male=1, female=0"}); without such numbers the input is not read;</li>
 * <li>any other LOINC code: the value of the latest Observation with that code (by effective time, then issued),
 * or with a component of that code (blood pressure panels); {@code valueQuantity} only when its unit is the input's
 * (no conversion), {@code valueInteger}, {@code valueBoolean} as 1 or 0; entered-in-error and cancelled ones are
 * skipped;</li>
 * <li>a SNOMED CT or ICD-10 code: 1 when the patient has a Condition with that code that is active (clinical status
 * active, recurrence or relapse, or none given and not abated) and not refuted or entered in error, else 0; a
 * comma-separated list of such codes: 1 when any of them is;</li>
 * <li>{@code urn:panacea:patient|age}: as the LOINC age codes; {@code urn:panacea:patient|female}: 1 for a female
 * patient, 0 for any other recorded gender.</li>
 * </ul>
 * Codes are written {@code system|code} in the spec. An input this cannot read is left out, with the reason.
 */
public final class RecordInputs {

    static final String LOINC = "http://loinc.org";
    /** The platform's own codes for facts of the Patient resource: {@code age} (years) and {@code female} (1/0). */
    static final String PATIENT = "urn:panacea:patient";
    static final Set<String> CONDITION_SYSTEMS = Set.of("http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10",
            "http://hl7.org/fhir/sid/icd-10-cm");
    static final Set<String> AGE_CODES = Set.of("30525-0", "21612-7", "29553-5");
    static final Set<String> SEX_CODES = Set.of("76689-9", "46098-0", "21840-4");

    private static final Set<String> VOID_STATUSES = Set.of("entered-in-error", "cancelled");
    private static final Set<String> ACTIVE_CLINICAL = Set.of("active", "recurrence", "relapse");
    private static final Set<String> VOID_VERIFICATION = Set.of("refuted", "entered-in-error");
    private static final int PAGE = 1000;
    private static final int MAX_PAGES = 20;
    private static final ObjectMapper JSON = Json.mapper();
    /** "1 male", "1 = male", "1: male" and "male = 1", "male: 1"; female is matched apart from male. */
    private static final Pattern NUMBER_THEN_SEX = Pattern.compile(
            "(-?\\d+(?:\\.\\d+)?)\\s*[:=]?\\s*\\b(male|female)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SEX_THEN_NUMBER = Pattern.compile(
            "\\b(male|female)\\b\\s*[:=]\\s*(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

    private final PatientRecords records;
    private final Clock clock;

    public RecordInputs(PatientRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /**
     * What the record says for each of {@code wanted}.
     *
     * @param patient the patient's stored resource, already read by the caller
     */
    public Gathered gather(Caller caller, StoredResource patient, List<ParameterSpec> wanted) {
        JsonNode patientJson = parse(patient.json());
        Map<String, InputValue> values = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        List<JsonNode> allObservations = null;
        for (ParameterSpec spec : wanted) {
            Code code = Code.of(spec.code());
            Reading reading;
            if (spec.code().contains(",")) {
                reading = anyCondition(caller, patient.id(), spec.code());
            } else if (code != null && code.system().equals(PATIENT) && code.code().equals("age")) {
                reading = age(spec, patient.id(), patientJson);
            } else if (code != null && code.system().equals(PATIENT) && code.code().equals("female")) {
                reading = female(patient.id(), patientJson);
            } else if (code == null) {
                reading = Reading.none("the model gives no code to find it in the record by");
            } else if (code.is(LOINC, AGE_CODES)) {
                reading = age(spec, patient.id(), patientJson);
            } else if (code.is(LOINC, SEX_CODES)) {
                reading = sex(spec, patient.id(), patientJson);
            } else if (CONDITION_SYSTEMS.contains(code.system())) {
                reading = condition(caller, patient.id(), code);
            } else {
                reading = latestObservation(caller, spec, patient.id(), code, List.of());
                if (reading.value == null && !reading.foundAny) {
                    if (allObservations == null) {
                        allObservations = search(caller, "Observation", Map.of("patient", patient.id()));
                    }
                    reading = latestObservation(caller, spec, patient.id(), code, allObservations);
                }
            }
            if (reading.value != null) {
                values.put(spec.name(), new InputValue(spec.name(), reading.value, spec.unit(), reading.source,
                        reading.reference));
            } else {
                missing.put(spec.name(), reading.reason);
            }
        }
        return new Gathered(values, missing);
    }

    private Reading age(ParameterSpec spec, String patientId, JsonNode patient) {
        String birthDate = patient.path("birthDate").asText("");
        if (!birthDate.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return Reading.none(birthDate.isEmpty() ? "the patient's record has no birth date"
                    : "the birth date '" + birthDate + "' is not a full date");
        }
        LocalDate born = LocalDate.parse(birthDate);
        LocalDate asOf = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String deceased = patient.path("deceasedDateTime").asText("");
        String asOfText = "today";
        if (!deceased.isEmpty()) {
            Optional<Instant> death = instant(deceased);
            if (death.isPresent()) {
                asOf = LocalDate.ofInstant(death.get(), ZoneOffset.UTC);
                asOfText = "death " + asOf;
            }
        }
        ChronoUnit unit = switch (spec.unit()) {
            case "", "a" -> ChronoUnit.YEARS;
            case "mo" -> ChronoUnit.MONTHS;
            case "d" -> ChronoUnit.DAYS;
            default -> null;
        };
        if (unit == null) {
            return Reading.none("age in unit '" + spec.unit() + "' is not read from the record (only a, mo, d)");
        }
        return Reading.of(unit.between(born, asOf), "Patient.birthDate " + birthDate + " to " + asOfText,
                "Patient/" + patientId);
    }

    private static Reading sex(ParameterSpec spec, String patientId, JsonNode patient) {
        String gender = patient.path("gender").asText("");
        if (!gender.equals("male") && !gender.equals("female")) {
            return Reading.none(gender.isEmpty() ? "the patient's record has no gender"
                    : "the patient's gender is '" + gender + "', which the model has no number for");
        }
        Map<String, Double> numbers = sexNumbers(spec.description());
        Double number = numbers.get(gender);
        if (number == null || numbers.size() < 2) {
            return Reading.none("the model does not say which numbers stand for male and female");
        }
        return Reading.of(number, "Patient.gender " + gender, "Patient/" + patientId);
    }

    /** The numbers a description gives for male and female ({@code "sex: 1 male, 2 female"}). */
    static Map<String, Double> sexNumbers(String description) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        Matcher before = NUMBER_THEN_SEX.matcher(description);
        while (before.find()) {
            numbers.putIfAbsent(before.group(2).toLowerCase(Locale.ROOT), Double.valueOf(before.group(1)));
        }
        Matcher after = SEX_THEN_NUMBER.matcher(description);
        while (after.find()) {
            numbers.putIfAbsent(after.group(1).toLowerCase(Locale.ROOT), Double.valueOf(after.group(2)));
        }
        return numbers;
    }

    /** 1 for a female patient, 0 for any other recorded gender. */
    private static Reading female(String patientId, JsonNode patient) {
        String gender = patient.path("gender").asText("");
        if (gender.isEmpty() || gender.equals("unknown")) {
            return Reading.none("the patient's record has no gender");
        }
        return Reading.of(gender.equals("female") ? 1 : 0, "Patient.gender " + gender, "Patient/" + patientId);
    }

    /**
     * A comma-separated list of condition codes ({@code system|code,system|code}): 1 when the patient has an active
     * Condition with any of them (the same disease in SNOMED CT and ICD-10, or a group such as stroke, TIA and
     * embolism), else 0.
     */
    private Reading anyCondition(Caller caller, String patientId, String codes) {
        Reading absent = null;
        for (String one : codes.split(",")) {
            Code code = Code.of(one);
            if (code == null || !CONDITION_SYSTEMS.contains(code.system())) {
                return Reading.none("'" + one.strip() + "' in the code list is not a SNOMED CT or ICD-10 code");
            }
            Reading reading = condition(caller, patientId, code);
            if (reading.value != null && reading.value == 1) {
                return reading;
            }
            absent = reading;
        }
        return absent == null ? Reading.none("the code list is empty")
                : Reading.of(0, "none of " + codes.split(",").length + " condition codes active in the record", "");
    }

    private Reading condition(Caller caller, String patientId, Code code) {
        List<JsonNode> conditions = search(caller, "Condition", Map.of("patient", patientId, "code", code.token()));
        for (JsonNode condition : conditions) {
            if (active(condition)) {
                return Reading.of(1, "Condition " + code.code() + " (active)", "Condition/"
                        + condition.path("id").asText());
            }
        }
        return Reading.of(0, conditions.isEmpty() ? "no Condition " + code.code() + " in the record"
                : "Condition " + code.code() + " not active (" + conditions.size() + " resolved or void)", "");
    }

    private static boolean active(JsonNode condition) {
        String verification = condition.path("verificationStatus").path("coding").path(0).path("code").asText("");
        if (VOID_VERIFICATION.contains(verification)) {
            return false;
        }
        String clinical = condition.path("clinicalStatus").path("coding").path(0).path("code").asText("");
        if (clinical.isEmpty()) {
            return !condition.has("abatementDateTime") && !condition.has("abatementPeriod");
        }
        return ACTIVE_CLINICAL.contains(clinical);
    }

    /**
     * The latest usable value of {@code code}: from the Observations with that code (searched when
     * {@code observations} is empty), or from components of that code in {@code observations}.
     */
    private Reading latestObservation(Caller caller, ParameterSpec spec, String patientId, Code code,
            List<JsonNode> observations) {
        boolean byComponent = !observations.isEmpty();
        List<JsonNode> candidates = byComponent ? observations
                : search(caller, "Observation", Map.of("patient", patientId, "code", code.token()));
        List<Sample> samples = new ArrayList<>();
        List<String> wrongUnits = new ArrayList<>();
        boolean foundAny = false;
        for (JsonNode observation : candidates) {
            if (VOID_STATUSES.contains(observation.path("status").asText(""))) {
                continue;
            }
            List<JsonNode> holders = new ArrayList<>();
            if (byComponent) {
                observation.path("component").forEach(component -> {
                    if (code.in(component.path("code"))) {
                        holders.add(component);
                    }
                });
            } else if (code.in(observation.path("code"))) {
                holders.add(observation);
            }
            for (JsonNode holder : holders) {
                foundAny = true;
                Optional<Double> value = value(holder, spec, wrongUnits);
                if (value.isPresent()) {
                    samples.add(new Sample(value.get(), effective(observation), observation));
                }
            }
        }
        Optional<Sample> latest = samples.stream().max(Comparator.comparing(Sample::when));
        if (latest.isPresent()) {
            JsonNode observation = latest.get().observation();
            String when = observation.path("effectiveDateTime").asText(observation.path("issued").asText(""));
            return Reading.of(latest.get().value(), "Observation " + code.code() + (byComponent ? " component" : "")
                    + (when.isEmpty() ? "" : " " + when), "Observation/" + observation.path("id").asText());
        }
        String reason = !wrongUnits.isEmpty() ? "the record's Observations of " + code.token() + " are in "
                + String.join(", ", wrongUnits.stream().distinct().toList()) + ", not " + spec.unit()
                + " (units are not converted)"
                : foundAny ? "the record's Observations of " + code.token() + " hold no number"
                        : "no Observation of " + code.token() + " in the record";
        Reading none = Reading.none(reason);
        none.foundAny = foundAny;
        return none;
    }

    private static Optional<Double> value(JsonNode holder, ParameterSpec spec, List<String> wrongUnits) {
        JsonNode quantity = holder.get("valueQuantity");
        if (quantity != null && quantity.path("value").isNumber()) {
            String unit = quantity.path("code").asText(quantity.path("unit").asText(""));
            if (!spec.unit().isEmpty() && !unit.isEmpty() && !unit.equals(spec.unit())) {
                wrongUnits.add(unit);
                return Optional.empty();
            }
            return Optional.of(quantity.path("value").asDouble());
        }
        if (holder.path("valueInteger").isIntegralNumber()) {
            return Optional.of(holder.path("valueInteger").asDouble());
        }
        if (holder.path("valueBoolean").isBoolean()) {
            return Optional.of(holder.path("valueBoolean").asBoolean() ? 1.0 : 0.0);
        }
        return Optional.empty();
    }

    /** When an observation applies: its effective time, else when it was issued, else its last update. */
    private static Instant effective(JsonNode observation) {
        for (String text : List.of(observation.path("effectiveDateTime").asText(""),
                observation.path("effectiveInstant").asText(""),
                observation.path("effectivePeriod").path("end").asText(""),
                observation.path("effectivePeriod").path("start").asText(""),
                observation.path("issued").asText(""),
                observation.path("meta").path("lastUpdated").asText(""))) {
            Optional<Instant> instant = instant(text);
            if (instant.isPresent()) {
                return instant.get();
            }
        }
        return Instant.MIN;
    }

    /** A FHIR dateTime or date as an instant (a date means its start, UTC); empty when it is neither. */
    static Optional<Instant> instant(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private List<JsonNode> search(Caller caller, String type, Map<String, String> parameters) {
        List<JsonNode> found = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            SearchResult result = records.search(caller, new SearchQuery(type, parameters, PAGE, page * PAGE));
            result.matches().forEach(match -> found.add(parse(match.json())));
            if (result.matches().size() < PAGE || found.size() >= result.total()) {
                break;
            }
        }
        return found;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the record returned a resource that is not JSON", e);
        }
    }

    /**
     * What the record gave.
     *
     * @param values  the inputs found, by name
     * @param missing why each input not found was not, by name
     */
    public record Gathered(Map<String, InputValue> values, Map<String, String> missing) {
    }

    private record Sample(double value, Instant when, JsonNode observation) {
    }

    /** A {@code system|code} of an input spec. */
    private record Code(String system, String code) {

        static Code of(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            int bar = text.indexOf('|');
            return bar < 0 ? new Code("", text.strip()) : new Code(text.substring(0, bar).strip(),
                    text.substring(bar + 1).strip());
        }

        boolean is(String expectedSystem, Set<String> codes) {
            return (system.isEmpty() || system.equals(expectedSystem)) && codes.contains(code);
        }

        /** The search token: {@code system|code}, or the bare code. */
        String token() {
            return system.isEmpty() ? code : system + "|" + code;
        }

        /** Whether a CodeableConcept holds this code. */
        boolean in(JsonNode concept) {
            for (JsonNode coding : concept.path("coding")) {
                if (coding.path("code").asText("").equals(code)
                        && (system.isEmpty() || coding.path("system").asText("").equals(system))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One attempt to read an input: a value with its source, or the reason there is none. */
    private static final class Reading {
        final Double value;
        final String source;
        final String reference;
        final String reason;
        boolean foundAny;

        private Reading(Double value, String source, String reference, String reason) {
            this.value = value;
            this.source = source;
            this.reference = reference;
            this.reason = reason;
        }

        static Reading of(double value, String source, String reference) {
            return new Reading(value, source, reference, "");
        }

        static Reading none(String reason) {
            return new Reading(null, "", "", reason);
        }
    }
}

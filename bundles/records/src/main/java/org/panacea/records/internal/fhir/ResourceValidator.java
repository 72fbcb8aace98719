package org.panacea.records.internal.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.panacea.api.records.ResourceType;
import org.panacea.api.records.ValidationIssue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The data-quality rules applied to every write of a modelled resource: required fields, value sets, code systems
 * (with check digits), units, dates that are real and not in the future, and well-formed identifiers and
 * references. Every problem found is reported (not only the first), each naming the field by its FHIR path.
 * Uniqueness of identifiers and existence of referenced patients need the database, so the store checks those.
 */
public final class ResourceValidator {

    /** Clocks of sending systems drift; a value up to this far ahead of ours is not "in the future". */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\\-.]{1,64}"
            + "(/_history/[A-Za-z0-9\\-.]{1,64})?");
    private static final Pattern ABSOLUTE_URI = Pattern.compile("(https?://|urn:(oid|uuid|ietf|iso):)\\S+");
    private static final Pattern DICOM_UID = Pattern.compile("(0|[1-9]\\d*)(\\.(0|[1-9]\\d*))+");

    private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");
    private static final Set<String> TELECOM_SYSTEMS = Set.of("phone", "fax", "email", "pager", "url", "sms", "other");
    private static final Set<String> OBSERVATION_STATUSES = Set.of("registered", "preliminary", "final", "amended",
            "corrected", "cancelled", "entered-in-error", "unknown");
    private static final Set<String> ENCOUNTER_STATUSES = Set.of("planned", "arrived", "triaged", "in-progress",
            "onleave", "finished", "cancelled", "entered-in-error", "unknown");
    private static final Set<String> MEDICATION_REQUEST_STATUSES = Set.of("active", "on-hold", "cancelled",
            "completed", "entered-in-error", "stopped", "draft", "unknown");
    private static final Set<String> MEDICATION_REQUEST_INTENTS = Set.of("proposal", "plan", "order",
            "original-order", "reflex-order", "filler-order", "instance-order", "option");
    private static final Set<String> IMAGING_STUDY_STATUSES = Set.of("registered", "available", "cancelled",
            "entered-in-error", "unknown");
    private static final Set<String> CONSENT_STATUSES = Set.of("draft", "proposed", "active", "rejected", "inactive",
            "entered-in-error");
    private static final Set<String> CONDITION_CLINICAL_STATUSES = Set.of("active", "recurrence", "relapse",
            "inactive", "remission", "resolved");
    private static final Set<String> CONDITION_VERIFICATION_STATUSES = Set.of("unconfirmed", "provisional",
            "differential", "confirmed", "refuted", "entered-in-error");
    private static final Set<String> CONDITION_CODE_SYSTEMS = Set.of(CodeSystems.SNOMED_CT, CodeSystems.ICD_10,
            CodeSystems.ICD_10_CM);

    private final Clock clock;

    public ResourceValidator(Clock clock) {
        this.clock = clock;
    }

    /** Every problem of {@code resource}, a modelled resource of {@code type}; empty when it is valid. */
    public List<ValidationIssue> validate(ObjectNode resource, ResourceType type) {
        Check check = new Check(type.fhirName(), clock.instant().plus(CLOCK_SKEW));
        String actualType = resource.path("resourceType").asText(null);
        if (!type.fhirName().equals(actualType)) {
            check.issue(type.fhirName() + ".resourceType", actualType == null ? "is missing"
                    : "is '" + actualType + "' where " + type.fhirName() + " was expected");
            return check.issues;
        }
        JsonNode id = resource.get("id");
        if (id != null && !(id.isTextual() && ID.matcher(id.asText()).matches())) {
            check.issue(type.fhirName() + ".id", "must be 1 to 64 letters, digits, '-' or '.'");
        }
        check.identifiers(resource, type.fhirName());
        check.references(resource, type.fhirName());
        String p = type.fhirName();
        switch (type) {
            case PATIENT -> patient(check, resource);
            case PRACTITIONER, ORGANIZATION -> check.atLeastOne(resource, p, "name", "identifier");
            case ENCOUNTER -> {
                check.code(resource, "status", p, ENCOUNTER_STATUSES, true);
                JsonNode encounterClass = resource.get("class");
                if (encounterClass == null || !encounterClass.path("code").isTextual()) {
                    check.issue(p + ".class", "is required: a Coding such as AMB, EMER or IMP (v3 ActCode)");
                }
                check.patientReference(resource, "subject", p);
                check.period(resource.get("period"), p + ".period");
            }
            case OBSERVATION -> observation(check, resource);
            case CONDITION -> {
                check.patientReference(resource, "subject", p);
                check.codeableConcept(resource.get("code"), p + ".code", true, CONDITION_CODE_SYSTEMS,
                        "SNOMED CT or ICD-10");
                check.statusConcept(resource.get("clinicalStatus"), p + ".clinicalStatus", CONDITION_CLINICAL_STATUSES);
                check.statusConcept(resource.get("verificationStatus"), p + ".verificationStatus",
                        CONDITION_VERIFICATION_STATUSES);
                Instant onset = check.dateTime(resource, "onsetDateTime", p, true);
                Instant abatement = check.dateTime(resource, "abatementDateTime", p, true);
                check.dateTime(resource, "recordedDate", p, true);
                if (onset != null && abatement != null && abatement.isBefore(onset)) {
                    check.issue(p + ".abatementDateTime", "is before onsetDateTime");
                }
            }
            case MEDICATION_REQUEST -> {
                check.code(resource, "status", p, MEDICATION_REQUEST_STATUSES, true);
                check.code(resource, "intent", p, MEDICATION_REQUEST_INTENTS, true);
                check.patientReference(resource, "subject", p);
                if (resource.has("medicationCodeableConcept")) {
                    check.codeableConcept(resource.get("medicationCodeableConcept"), p + ".medicationCodeableConcept",
                            true, Set.of(), "");
                } else if (!resource.path("medicationReference").has("reference")) {
                    check.issue(p + ".medication[x]", "is required: medicationCodeableConcept (e.g. RxNorm) or "
                            + "medicationReference");
                }
                check.dateTime(resource, "authoredOn", p, true);
            }
            case IMAGING_STUDY -> imagingStudy(check, resource);
            case RISK_ASSESSMENT -> {
                check.code(resource, "status", p, OBSERVATION_STATUSES, true);
                check.patientReference(resource, "subject", p);
                check.dateTime(resource, "occurrenceDateTime", p, true);
                JsonNode predictions = resource.path("prediction");
                for (int i = 0; i < predictions.size(); i++) {
                    JsonNode probability = predictions.get(i).get("probabilityDecimal");
                    if (probability != null && !(probability.isNumber() && probability.asDouble() >= 0
                            && probability.asDouble() <= 1)) {
                        check.issue(p + ".prediction[" + i + "].probabilityDecimal", "must be a number from 0 to 1");
                    }
                }
            }
            case CONSENT -> {
                check.code(resource, "status", p, CONSENT_STATUSES, true);
                check.codeableConcept(resource.get("scope"), p + ".scope", true, Set.of(), "");
                if (!resource.path("category").isArray() || resource.path("category").isEmpty()) {
                    check.issue(p + ".category", "is required: at least one CodeableConcept");
                }
                check.patientReference(resource, "patient", p);
                check.dateTime(resource, "dateTime", p, true);
                JsonNode provisionType = resource.path("provision").get("type");
                if (provisionType != null && !Set.of("deny", "permit").contains(provisionType.asText())) {
                    check.issue(p + ".provision.type", "must be deny or permit");
                }
            }
            default -> throw new IllegalArgumentException("no rules for " + type);
        }
        return check.issues;
    }

    private static void patient(Check check, ObjectNode resource) {
        String p = "Patient";
        check.atLeastOne(resource, p, "name", "identifier");
        JsonNode names = resource.path("name");
        for (int i = 0; i < names.size(); i++) {
            JsonNode name = names.get(i);
            if (!name.has("family") && !name.has("given") && !name.has("text")) {
                check.issue(p + ".name[" + i + "]", "has no family, given or text");
            }
        }
        check.code(resource, "gender", p, GENDERS, false);
        Instant birth = null;
        JsonNode birthDate = resource.get("birthDate");
        if (birthDate != null) {
            birth = check.parsed(p + ".birthDate", birthDate, FhirDates::parseDate, true);
        }
        JsonNode deceased = resource.get("deceasedDateTime");
        if (deceased != null) {
            Instant death = check.parsed(p + ".deceasedDateTime", deceased, FhirDates::parseDateTime, true);
            if (birth != null && death != null && death.isBefore(birth.minus(Duration.ofDays(1)))) {
                check.issue(p + ".deceasedDateTime", "is before birthDate");
            }
        }
        JsonNode telecoms = resource.path("telecom");
        for (int i = 0; i < telecoms.size(); i++) {
            JsonNode telecom = telecoms.get(i);
            String path = p + ".telecom[" + i + "]";
            if (telecom.has("system") && !TELECOM_SYSTEMS.contains(telecom.path("system").asText())) {
                check.issue(path + ".system", "must be one of " + new java.util.TreeSet<>(TELECOM_SYSTEMS));
            }
            if (telecom.path("value").asText("").isBlank()) {
                check.issue(path + ".value", "is required");
            }
        }
    }

    private static void observation(Check check, ObjectNode resource) {
        String p = "Observation";
        check.code(resource, "status", p, OBSERVATION_STATUSES, true);
        check.patientReference(resource, "subject", p);
        JsonNode code = resource.get("code");
        check.codeableConcept(code, p + ".code", true, Set.of(CodeSystems.LOINC), "LOINC");
        check.dateTime(resource, "effectiveDateTime", p, true);
        check.dateTime(resource, "effectiveInstant", p, true);
        check.period(resource.get("effectivePeriod"), p + ".effectivePeriod");
        check.dateTime(resource, "issued", p, true);
        check.quantity(resource.get("valueQuantity"), p + ".valueQuantity", loincCodes(code));
        JsonNode components = resource.path("component");
        for (int i = 0; i < components.size(); i++) {
            JsonNode component = components.get(i);
            String path = p + ".component[" + i + "]";
            check.codeableConcept(component.get("code"), path + ".code", true, Set.of(), "");
            check.quantity(component.get("valueQuantity"), path + ".valueQuantity", loincCodes(component.get("code")));
        }
    }

    private static void imagingStudy(Check check, ObjectNode resource) {
        String p = "ImagingStudy";
        check.code(resource, "status", p, IMAGING_STUDY_STATUSES, true);
        check.patientReference(resource, "subject", p);
        check.dateTime(resource, "started", p, true);
        JsonNode series = resource.path("series");
        for (int i = 0; i < series.size(); i++) {
            JsonNode one = series.get(i);
            String path = p + ".series[" + i + "]";
            check.uid(one.get("uid"), path + ".uid");
            if (!one.path("modality").path("code").isTextual()) {
                check.issue(path + ".modality", "is required: a DICOM modality Coding such as CT or MR");
            }
            JsonNode instances = one.path("instance");
            for (int j = 0; j < instances.size(); j++) {
                String instancePath = path + ".instance[" + j + "]";
                check.uid(instances.get(j).get("uid"), instancePath + ".uid");
                if (!instances.get(j).path("sopClass").path("code").isTextual()) {
                    check.issue(instancePath + ".sopClass", "is required: the DICOM SOP Class UID as a Coding");
                }
            }
        }
    }

    private static Set<String> loincCodes(JsonNode concept) {
        Set<String> codes = new HashSet<>();
        if (concept != null) {
            for (JsonNode coding : concept.path("coding")) {
                if (CodeSystems.LOINC.equals(coding.path("system").asText())) {
                    codes.add(coding.path("code").asText());
                }
            }
        }
        return codes;
    }

    /** Collects issues for one resource. */
    private static final class Check {
        final List<ValidationIssue> issues = new ArrayList<>();
        final String type;
        final Instant latestAllowed;

        Check(String type, Instant latestAllowed) {
            this.type = type;
            this.latestAllowed = latestAllowed;
        }

        void issue(String path, String message) {
            issues.add(new ValidationIssue(path, message));
        }

        void atLeastOne(JsonNode resource, String path, String first, String second) {
            if (isEmpty(resource.get(first)) && isEmpty(resource.get(second))) {
                issue(path + "." + first, "is required (or at least one " + second + ")");
            }
        }

        private static boolean isEmpty(JsonNode node) {
            return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty())
                    || (node.isTextual() && node.asText().isBlank());
        }

        void code(JsonNode resource, String field, String path, Set<String> allowed, boolean required) {
            JsonNode value = resource.get(field);
            if (value == null) {
                if (required) {
                    issue(path + "." + field, "is required: one of " + new java.util.TreeSet<>(allowed));
                }
            } else if (!value.isTextual() || !allowed.contains(value.asText())) {
                issue(path + "." + field, "'" + value.asText() + "' is not one of " + new java.util.TreeSet<>(allowed));
            }
        }

        Instant dateTime(JsonNode resource, String field, String path, boolean notFuture) {
            JsonNode value = resource.get(field);
            return value == null ? null : parsed(path + "." + field, value, FhirDates::parseDateTime, notFuture);
        }

        Instant parsed(String path, JsonNode value, Function<String, Instant> parser, boolean notFuture) {
            if (!value.isTextual()) {
                issue(path, "must be a string");
                return null;
            }
            try {
                Instant instant = parser.apply(value.asText());
                if (notFuture && instant.isAfter(latestAllowed)) {
                    issue(path, "'" + value.asText() + "' is in the future");
                }
                return instant;
            } catch (IllegalArgumentException e) {
                issue(path, e.getMessage());
                return null;
            }
        }

        void period(JsonNode period, String path) {
            if (period == null) {
                return;
            }
            Instant start = dateTime(period, "start", path, true);
            Instant end = dateTime(period, "end", path, false);
            if (start != null && end != null && end.isBefore(start)) {
                issue(path + ".end", "is before start");
            }
        }

        void codeableConcept(JsonNode concept, String path, boolean required, Set<String> requiredSystems,
                String systemsLabel) {
            if (concept == null || concept.isNull()) {
                if (required) {
                    issue(path, "is required" + (systemsLabel.isEmpty() ? "" : ": a " + systemsLabel + " coding"));
                }
                return;
            }
            JsonNode codings = concept.path("coding");
            if (codings.isEmpty() && !concept.path("text").isTextual()) {
                issue(path, "has neither coding nor text");
                return;
            }
            boolean fromRequiredSystem = requiredSystems.isEmpty();
            for (int i = 0; i < codings.size(); i++) {
                JsonNode coding = codings.get(i);
                String system = coding.path("system").asText("");
                String code = coding.path("code").asText(null);
                if (system.isEmpty() && code != null) {
                    issue(path + ".coding[" + i + "].system", "is required when a code is given");
                    continue;
                }
                Optional<String> problem = CodeSystems.problem(system, code);
                if (problem.isPresent()) {
                    issue(path + ".coding[" + i + "].code", problem.get());
                } else if (requiredSystems.contains(system)) {
                    fromRequiredSystem = true;
                }
            }
            if (!fromRequiredSystem) {
                issue(path + ".coding", "needs a " + systemsLabel + " coding (" + String.join(", ",
                        new java.util.TreeSet<>(requiredSystems)) + ")");
            }
        }

        void statusConcept(JsonNode concept, String path, Set<String> allowed) {
            if (concept == null) {
                return;
            }
            for (JsonNode coding : concept.path("coding")) {
                String code = coding.path("code").asText();
                if (!allowed.contains(code)) {
                    issue(path, "'" + code + "' is not one of " + new java.util.TreeSet<>(allowed));
                }
            }
        }

        void quantity(JsonNode quantity, String path, Set<String> loincCodes) {
            if (quantity == null) {
                return;
            }
            if (!quantity.path("value").isNumber()) {
                issue(path + ".value", "is required and must be a number");
            }
            String unit = quantity.path("unit").asText("");
            String code = quantity.path("code").asText("");
            String system = quantity.path("system").asText("");
            if (unit.isBlank() && code.isBlank()) {
                issue(path + ".unit", "is required: say what the number measures (a UCUM code, e.g. mg/dL)");
                return;
            }
            if (!code.isEmpty() && system.isEmpty()) {
                issue(path + ".system", "is required when a unit code is given (UCUM: " + CodeSystems.UCUM + ")");
            }
            if (CodeSystems.UCUM.equals(system)) {
                CodeSystems.problem(CodeSystems.UCUM, code).ifPresent(problem -> issue(path + ".code", problem));
                for (String loinc : loincCodes) {
                    CodeSystems.vitalSignUnits(loinc).filter(units -> !units.contains(code)).ifPresent(units ->
                            issue(path + ".code", "'" + code + "' is not a unit for LOINC " + loinc + "; use one of "
                                    + new java.util.TreeSet<>(units)));
                }
            }
        }

        void patientReference(JsonNode resource, String field, String path) {
            String reference = resource.path(field).path("reference").asText("");
            if (reference.isEmpty()) {
                issue(path + "." + field, "is required: a reference to the Patient (Patient/{id})");
            } else if (!reference.startsWith("Patient/")) {
                issue(path + "." + field + ".reference", "must refer to a Patient, was '" + reference + "'");
            }
        }

        void uid(JsonNode uid, String path) {
            if (uid == null || !uid.isTextual()) {
                issue(path, "is required: a DICOM UID");
            } else if (uid.asText().length() > 64 || !DICOM_UID.matcher(uid.asText()).matches()) {
                issue(path, "'" + uid.asText() + "' is not a DICOM UID (digits and dots, at most 64 characters)");
            }
        }

        void identifiers(JsonNode resource, String path) {
            JsonNode identifiers = resource.path("identifier");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < identifiers.size(); i++) {
                JsonNode identifier = identifiers.get(i);
                String where = path + ".identifier[" + i + "]";
                String value = identifier.path("value").asText("");
                String system = identifier.path("system").asText("");
                if (value.isBlank()) {
                    issue(where + ".value", "is required");
                }
                if (!system.isEmpty() && !ABSOLUTE_URI.matcher(system).matches()) {
                    issue(where + ".system", "must be an absolute URI (http://..., urn:oid:...), was '" + system + "'");
                }
                if (!value.isBlank() && !seen.add(system + "|" + value)) {
                    issue(where, "repeats an identifier already given in this resource");
                }
            }
        }

        /** Every {@code reference} in the resource must be resolvable inside Panacea or absolute. */
        void references(JsonNode node, String path) {
            if (node.isObject()) {
                node.fields().forEachRemaining(field -> {
                    String fieldPath = path + "." + field.getKey();
                    if (field.getKey().equals("reference") && field.getValue().isTextual()) {
                        String reference = field.getValue().asText();
                        if (reference.startsWith("urn:uuid:") || reference.contains("?")) {
                            issue(fieldPath, "'" + reference + "' is unresolved: urn:uuid and conditional "
                                    + "references are resolved only inside a transaction Bundle (POST /fhir)");
                        } else if (!reference.startsWith("#") && !RELATIVE_REFERENCE.matcher(reference).matches()
                                && !ABSOLUTE_URI.matcher(reference).matches()) {
                            issue(fieldPath, "'" + reference + "' is not a reference (Type/id, #contained or an "
                                    + "absolute URL)");
                        }
                    } else if (!field.getKey().equals("contained")) {
                        references(field.getValue(), fieldPath);
                    }
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    references(node.get(i), path + "[" + i + "]");
                }
            }
        }
    }
}

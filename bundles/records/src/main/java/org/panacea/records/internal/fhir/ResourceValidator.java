package org.panacea.records.internal.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
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
    /** Absolute URIs as identifier systems; {@code urn:panacea:} names the platform's own (users, as Practitioners). */
    private static final Pattern ABSOLUTE_URI = Pattern.compile("(https?://|urn:(oid|uuid|ietf|iso|panacea):)\\S+");
    private static final Pattern DICOM_UID = Pattern.compile("(0|[1-9]\\d*)(\\.(0|[1-9]\\d*))+");
    /** The resource type a relative or absolute reference names ({@code Type/id}, {@code .../Type/id/_history/n}). */
    private static final Pattern REFERENCED_TYPE = Pattern.compile("(?:^|/)([A-Z][A-Za-z]{1,63})/[A-Za-z0-9\\-.]{1,64}"
            + "(/_history/[A-Za-z0-9\\-.]{1,64})?$");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d+)?");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]*");

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
    private static final Set<String> PROCEDURE_STATUSES = Set.of("preparation", "in-progress", "not-done", "on-hold",
            "stopped", "completed", "entered-in-error", "unknown");
    private static final Set<String> ALLERGY_CLINICAL_STATUSES = Set.of("active", "inactive", "resolved");
    private static final Set<String> ALLERGY_VERIFICATION_STATUSES = Set.of("unconfirmed", "confirmed", "refuted",
            "entered-in-error");
    private static final Set<String> ALLERGY_TYPES = Set.of("allergy", "intolerance");
    private static final Set<String> ALLERGY_CATEGORIES = Set.of("food", "medication", "environment", "biologic");
    private static final Set<String> ALLERGY_CRITICALITIES = Set.of("low", "high", "unable-to-assess");
    private static final Set<String> REACTION_SEVERITIES = Set.of("mild", "moderate", "severe");
    private static final Set<String> DIAGNOSTIC_REPORT_STATUSES = Set.of("registered", "partial", "preliminary",
            "final", "amended", "corrected", "appended", "cancelled", "entered-in-error", "unknown");
    private static final Set<String> IMMUNIZATION_STATUSES = Set.of("completed", "entered-in-error", "not-done");
    private static final Set<String> DOCUMENT_REFERENCE_STATUSES = Set.of("current", "superseded",
            "entered-in-error");
    private static final Set<String> COMPOSITION_STATUSES = Set.of("preliminary", "final", "amended",
            "entered-in-error");
    private static final Set<String> DOCUMENT_RELATIONSHIPS = Set.of("replaces", "transforms", "signs", "appends");
    private static final Set<String> CARE_PLAN_STATUSES = Set.of("draft", "active", "on-hold", "revoked",
            "completed", "entered-in-error", "unknown");
    private static final Set<String> CARE_PLAN_INTENTS = Set.of("proposal", "plan", "order", "option");
    private static final Set<String> CARE_PLAN_ACTIVITY_STATUSES = Set.of("not-started", "scheduled", "in-progress",
            "on-hold", "completed", "cancelled", "stopped", "unknown", "entered-in-error");
    /** What CarePlan.activity.reference may point to: the requests a plan's activities are carried out as. */
    private static final Set<String> CARE_PLAN_ACTIVITY_REQUESTS = Set.of("Appointment", "CommunicationRequest",
            "DeviceRequest", "MedicationRequest", "NutritionOrder", "Task", "ServiceRequest", "VisionPrescription",
            "RequestGroup");
    private static final Set<String> CARE_TEAM_STATUSES = Set.of("proposed", "active", "suspended", "inactive",
            "entered-in-error");
    private static final Set<String> LOCATION_STATUSES = Set.of("active", "suspended", "inactive");
    private static final Set<String> LOCATION_MODES = Set.of("instance", "kind");
    private static final Set<String> DAYS_OF_WEEK = Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Set<String> GROUP_TYPES = Set.of("person", "animal", "practitioner", "device", "medication",
            "substance");
    /**
     * What Group.member.entity may refer to, by Group.type (R4: members "must be consistent with Group.type"; people
     * and animals are both Patient resources). A Group of groups is allowed for every type.
     */
    private static final Map<String, Set<String>> GROUP_MEMBER_TYPES = Map.of(
            "person", Set.of("Patient", "Group"),
            "animal", Set.of("Patient", "Group"),
            "practitioner", Set.of("Practitioner", "PractitionerRole", "Group"),
            "device", Set.of("Device", "Group"),
            "medication", Set.of("Medication", "Group"),
            "substance", Set.of("Substance", "Group"));

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
            case PROCEDURE -> procedure(check, resource);
            case ALLERGY_INTOLERANCE -> allergyIntolerance(check, resource);
            case DIAGNOSTIC_REPORT -> diagnosticReport(check, resource);
            case IMMUNIZATION -> immunization(check, resource);
            case DOCUMENT_REFERENCE -> documentReference(check, resource);
            case CARE_PLAN -> carePlan(check, resource);
            case CARE_TEAM -> careTeam(check, resource);
            case LOCATION -> location(check, resource);
            case PRACTITIONER_ROLE -> practitionerRole(check, resource);
            case GROUP -> group(check, resource);
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
        check.telecoms(resource, p);
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

    private static void procedure(Check check, ObjectNode resource) {
        String p = "Procedure";
        check.code(resource, "status", p, PROCEDURE_STATUSES, true);
        check.patientReference(resource, "subject", p);
        check.codeableConcept(resource.get("statusReason"), p + ".statusReason", false, Set.of(), "");
        check.codeableConcept(resource.get("category"), p + ".category", false, Set.of(), "");
        check.codeableConcept(resource.get("code"), p + ".code", false, Set.of(), "");
        check.dateTime(resource, "performedDateTime", p, true);
        check.period(resource.get("performedPeriod"), p + ".performedPeriod");
        check.concepts(resource, "reasonCode", p);
        check.concepts(resource, "bodySite", p);
        check.concepts(resource, "complication", p);
        JsonNode performers = resource.path("performer");
        for (int i = 0; i < performers.size(); i++) {
            check.actor(performers.get(i).get("actor"), p + ".performer[" + i + "].actor");
        }
    }

    private static void allergyIntolerance(Check check, ObjectNode resource) {
        String p = "AllergyIntolerance";
        check.patientReference(resource, "patient", p);
        JsonNode clinicalStatus = resource.get("clinicalStatus");
        JsonNode verificationStatus = resource.get("verificationStatus");
        check.statusConcept(clinicalStatus, p + ".clinicalStatus", ALLERGY_CLINICAL_STATUSES);
        check.statusConcept(verificationStatus, p + ".verificationStatus", ALLERGY_VERIFICATION_STATUSES);
        // R4 invariants ait-1 and ait-2: a record entered in error says nothing about the allergy, any other does.
        boolean enteredInError = hasCode(verificationStatus, "entered-in-error");
        if (!enteredInError && clinicalStatus == null) {
            check.issue(p + ".clinicalStatus", "is required unless verificationStatus is entered-in-error: one of "
                    + new TreeSet<>(ALLERGY_CLINICAL_STATUSES));
        } else if (enteredInError && clinicalStatus != null) {
            check.issue(p + ".clinicalStatus", "must be absent when verificationStatus is entered-in-error");
        }
        check.code(resource, "type", p, ALLERGY_TYPES, false);
        check.codes(resource, "category", p, ALLERGY_CATEGORIES);
        check.code(resource, "criticality", p, ALLERGY_CRITICALITIES, false);
        check.codeableConcept(resource.get("code"), p + ".code", false, Set.of(), "");
        check.dateTime(resource, "onsetDateTime", p, true);
        check.period(resource.get("onsetPeriod"), p + ".onsetPeriod");
        check.dateTime(resource, "recordedDate", p, true);
        check.dateTime(resource, "lastOccurrence", p, true);
        JsonNode reactions = resource.path("reaction");
        for (int i = 0; i < reactions.size(); i++) {
            JsonNode reaction = reactions.get(i);
            String path = p + ".reaction[" + i + "]";
            check.codeableConcept(reaction.get("substance"), path + ".substance", false, Set.of(), "");
            check.requiredConcepts(reaction, "manifestation", path, "what the reaction was (e.g. hives)");
            check.code(reaction, "severity", path, REACTION_SEVERITIES, false);
            check.dateTime(reaction, "onset", path, true);
            check.codeableConcept(reaction.get("exposureRoute"), path + ".exposureRoute", false, Set.of(), "");
        }
    }

    private static void diagnosticReport(Check check, ObjectNode resource) {
        String p = "DiagnosticReport";
        check.code(resource, "status", p, DIAGNOSTIC_REPORT_STATUSES, true);
        check.requiredConcept(resource.get("code"), p + ".code", "what was reported (e.g. a LOINC code)");
        // Optional in R4, required here as for Observation: every entry of the record belongs to one patient.
        check.patientReference(resource, "subject", p);
        check.concepts(resource, "category", p);
        check.dateTime(resource, "effectiveDateTime", p, true);
        check.period(resource.get("effectivePeriod"), p + ".effectivePeriod");
        check.dateTime(resource, "issued", p, true);
        check.concepts(resource, "conclusionCode", p);
        JsonNode media = resource.path("media");
        for (int i = 0; i < media.size(); i++) {
            check.reference(media.get(i).get("link"), p + ".media[" + i + "].link", Set.of("Media"), true);
        }
        JsonNode forms = resource.path("presentedForm");
        for (int i = 0; i < forms.size(); i++) {
            check.attachment(forms.get(i), p + ".presentedForm[" + i + "]");
        }
    }

    private static void immunization(Check check, ObjectNode resource) {
        String p = "Immunization";
        check.code(resource, "status", p, IMMUNIZATION_STATUSES, true);
        check.requiredConcept(resource.get("vaccineCode"), p + ".vaccineCode", "the vaccine (e.g. a CVX code)");
        check.patientReference(resource, "patient", p);
        JsonNode occurrenceString = resource.get("occurrenceString");
        if (!resource.has("occurrenceDateTime") && occurrenceString == null) {
            check.issue(p + ".occurrence[x]", "is required: occurrenceDateTime (when the vaccine was given) or "
                    + "occurrenceString");
        } else if (resource.has("occurrenceDateTime") && occurrenceString != null) {
            check.issue(p + ".occurrence[x]", "has both occurrenceDateTime and occurrenceString: give one");
        }
        check.dateTime(resource, "occurrenceDateTime", p, true);
        if (occurrenceString != null && occurrenceString.asText("").isBlank()) {
            check.issue(p + ".occurrenceString", "must be a non-empty string");
        }
        check.dateTime(resource, "recorded", p, true);
        JsonNode expirationDate = resource.get("expirationDate");
        if (expirationDate != null) {
            check.parsed(p + ".expirationDate", expirationDate, FhirDates::parseDate, false);
        }
        check.codeableConcept(resource.get("statusReason"), p + ".statusReason", false, Set.of(), "");
        check.codeableConcept(resource.get("site"), p + ".site", false, Set.of(), "");
        check.codeableConcept(resource.get("route"), p + ".route", false, Set.of(), "");
        check.quantity(resource.get("doseQuantity"), p + ".doseQuantity", Set.of());
        check.concepts(resource, "reasonCode", p);
        check.bool(resource, "primarySource", p);
        check.bool(resource, "isSubpotent", p);
        JsonNode performers = resource.path("performer");
        for (int i = 0; i < performers.size(); i++) {
            check.actor(performers.get(i).get("actor"), p + ".performer[" + i + "].actor");
        }
        JsonNode reactions = resource.path("reaction");
        for (int i = 0; i < reactions.size(); i++) {
            check.dateTime(reactions.get(i), "date", p + ".reaction[" + i + "]", true);
        }
        JsonNode protocols = resource.path("protocolApplied");
        for (int i = 0; i < protocols.size(); i++) {
            JsonNode protocol = protocols.get(i);
            String path = p + ".protocolApplied[" + i + "]";
            if (!protocol.has("doseNumberPositiveInt") && !protocol.has("doseNumberString")) {
                check.issue(path + ".doseNumber[x]", "is required: doseNumberPositiveInt (1 for the first dose) or "
                        + "doseNumberString");
            }
            check.positiveInt(protocol, "doseNumberPositiveInt", path);
            check.positiveInt(protocol, "seriesDosesPositiveInt", path);
            check.concepts(protocol, "targetDisease", path);
        }
    }

    private static void documentReference(Check check, ObjectNode resource) {
        String p = "DocumentReference";
        check.code(resource, "status", p, DOCUMENT_REFERENCE_STATUSES, true);
        check.code(resource, "docStatus", p, COMPOSITION_STATUSES, false);
        // Optional in R4, required here as for Observation: every entry of the record belongs to one patient.
        check.patientReference(resource, "subject", p);
        JsonNode masterIdentifier = resource.get("masterIdentifier");
        if (masterIdentifier != null && masterIdentifier.path("value").asText("").isBlank()) {
            check.issue(p + ".masterIdentifier.value", "is required");
        }
        check.codeableConcept(resource.get("type"), p + ".type", false, Set.of(), "");
        check.concepts(resource, "category", p);
        check.dateTime(resource, "date", p, true);
        check.concepts(resource, "securityLabel", p);
        JsonNode contents = resource.get("content");
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            check.issue(p + ".content", "is required: at least one content with an attachment (the document, or "
                    + "where to find it)");
        } else {
            for (int i = 0; i < contents.size(); i++) {
                String path = p + ".content[" + i + "]";
                JsonNode attachment = contents.get(i).get("attachment");
                if (attachment == null || !attachment.isObject()) {
                    check.issue(path + ".attachment", "is required: the document as data with its contentType, or "
                            + "its url");
                } else {
                    check.attachment(attachment, path + ".attachment");
                }
                check.coding(contents.get(i).get("format"), path + ".format");
            }
        }
        JsonNode relations = resource.path("relatesTo");
        for (int i = 0; i < relations.size(); i++) {
            String path = p + ".relatesTo[" + i + "]";
            check.code(relations.get(i), "code", path, DOCUMENT_RELATIONSHIPS, true);
            check.reference(relations.get(i).get("target"), path + ".target", Set.of("DocumentReference"), true);
        }
        JsonNode context = resource.path("context");
        check.period(context.get("period"), p + ".context.period");
        check.concepts(context, "event", p + ".context");
        check.codeableConcept(context.get("facilityType"), p + ".context.facilityType", false, Set.of(), "");
        check.codeableConcept(context.get("practiceSetting"), p + ".context.practiceSetting", false, Set.of(), "");
    }

    private static void carePlan(Check check, ObjectNode resource) {
        String p = "CarePlan";
        check.code(resource, "status", p, CARE_PLAN_STATUSES, true);
        check.code(resource, "intent", p, CARE_PLAN_INTENTS, true);
        check.patientReference(resource, "subject", p);
        check.concepts(resource, "category", p);
        // A plan may start or end in the future.
        check.plannedPeriod(resource.get("period"), p + ".period");
        check.dateTime(resource, "created", p, true);
        JsonNode activities = resource.path("activity");
        for (int i = 0; i < activities.size(); i++) {
            JsonNode activity = activities.get(i);
            String path = p + ".activity[" + i + "]";
            JsonNode detail = activity.get("detail");
            if (detail != null && activity.has("reference")) {
                // R4 invariant cpl-3.
                check.issue(path, "has both reference and detail: give one or the other");
            }
            check.reference(activity.get("reference"), path + ".reference", CARE_PLAN_ACTIVITY_REQUESTS, false);
            if (detail != null) {
                check.code(detail, "status", path + ".detail", CARE_PLAN_ACTIVITY_STATUSES, true);
                check.codeableConcept(detail.get("code"), path + ".detail.code", false, Set.of(), "");
            }
        }
    }

    private static void careTeam(Check check, ObjectNode resource) {
        String p = "CareTeam";
        check.code(resource, "status", p, CARE_TEAM_STATUSES, false);
        // A team need not be one patient's (a ward's team); when it is, the record files it under that patient.
        if (resource.has("subject")) {
            check.patientReference(resource, "subject", p);
        }
        check.concepts(resource, "category", p);
        check.plannedPeriod(resource.get("period"), p + ".period");
        JsonNode participants = resource.path("participant");
        for (int i = 0; i < participants.size(); i++) {
            JsonNode participant = participants.get(i);
            String path = p + ".participant[" + i + "]";
            check.concepts(participant, "role", path);
            check.plannedPeriod(participant.get("period"), path + ".period");
            JsonNode onBehalfOf = participant.get("onBehalfOf");
            if (onBehalfOf != null) {
                check.reference(onBehalfOf, path + ".onBehalfOf", Set.of("Organization"), false);
                // R4 invariant ctm-1.
                String member = referencedType(participant.get("member"));
                if (member != null && !member.equals("Practitioner")) {
                    check.issue(path + ".onBehalfOf", "is allowed only when the member is a Practitioner, was '"
                            + participant.path("member").path("reference").asText() + "'");
                }
            }
        }
        JsonNode managers = resource.path("managingOrganization");
        for (int i = 0; i < managers.size(); i++) {
            check.reference(managers.get(i), p + ".managingOrganization[" + i + "]", Set.of("Organization"), false);
        }
    }

    private static void location(Check check, ObjectNode resource) {
        String p = "Location";
        check.code(resource, "status", p, LOCATION_STATUSES, false);
        check.code(resource, "mode", p, LOCATION_MODES, false);
        check.coding(resource.get("operationalStatus"), p + ".operationalStatus");
        check.concepts(resource, "type", p);
        check.codeableConcept(resource.get("physicalType"), p + ".physicalType", false, Set.of(), "");
        check.telecoms(resource, p);
        if (resource.path("address").isArray()) {
            check.issue(p + ".address", "must be one Address, not a list (a Location has one address)");
        }
        JsonNode position = resource.get("position");
        if (position != null) {
            check.decimal(position, "longitude", p + ".position", 180);
            check.decimal(position, "latitude", p + ".position", 90);
        }
        JsonNode hours = resource.path("hoursOfOperation");
        for (int i = 0; i < hours.size(); i++) {
            check.availableTime(hours.get(i), p + ".hoursOfOperation[" + i + "]", "openingTime", "closingTime");
        }
        check.reference(resource.get("managingOrganization"), p + ".managingOrganization", Set.of("Organization"),
                false);
        check.reference(resource.get("partOf"), p + ".partOf", Set.of("Location"), false);
    }

    private static void practitionerRole(Check check, ObjectNode resource) {
        String p = "PractitionerRole";
        check.bool(resource, "active", p);
        // A role may be agreed before it starts.
        check.plannedPeriod(resource.get("period"), p + ".period");
        check.reference(resource.get("practitioner"), p + ".practitioner", Set.of("Practitioner"), false);
        check.reference(resource.get("organization"), p + ".organization", Set.of("Organization"), false);
        JsonNode locations = resource.path("location");
        for (int i = 0; i < locations.size(); i++) {
            check.reference(locations.get(i), p + ".location[" + i + "]", Set.of("Location"), false);
        }
        check.concepts(resource, "code", p);
        check.concepts(resource, "specialty", p);
        check.telecoms(resource, p);
        JsonNode available = resource.path("availableTime");
        for (int i = 0; i < available.size(); i++) {
            check.availableTime(available.get(i), p + ".availableTime[" + i + "]", "availableStartTime",
                    "availableEndTime");
        }
        JsonNode notAvailable = resource.path("notAvailable");
        for (int i = 0; i < notAvailable.size(); i++) {
            String path = p + ".notAvailable[" + i + "]";
            if (notAvailable.get(i).path("description").asText("").isBlank()) {
                check.issue(path + ".description", "is required: why the practitioner is not available");
            }
            check.plannedPeriod(notAvailable.get(i).get("during"), path + ".during");
        }
    }

    private static void group(Check check, ObjectNode resource) {
        String p = "Group";
        check.code(resource, "type", p, GROUP_TYPES, true);
        JsonNode actual = resource.get("actual");
        if (actual == null) {
            check.issue(p + ".actual", "is required: true when the Group lists its members, false when it only "
                    + "describes them by characteristics");
        } else if (!actual.isBoolean()) {
            check.issue(p + ".actual", "must be true or false");
        }
        check.codeableConcept(resource.get("code"), p + ".code", false, Set.of(), "");
        JsonNode quantity = resource.get("quantity");
        if (quantity != null && !(quantity.isIntegralNumber() && quantity.asLong() >= 0)) {
            check.issue(p + ".quantity", "must be a whole number, 0 or more");
        }
        JsonNode characteristics = resource.path("characteristic");
        for (int i = 0; i < characteristics.size(); i++) {
            JsonNode characteristic = characteristics.get(i);
            String path = p + ".characteristic[" + i + "]";
            check.requiredConcept(characteristic.get("code"), path + ".code", "the trait the members share");
            if (List.of("valueCodeableConcept", "valueBoolean", "valueQuantity", "valueRange", "valueReference")
                    .stream().noneMatch(characteristic::has)) {
                check.issue(path + ".value[x]", "is required: valueCodeableConcept, valueBoolean, valueQuantity, "
                        + "valueRange or valueReference");
            }
            check.codeableConcept(characteristic.get("valueCodeableConcept"), path + ".valueCodeableConcept", false,
                    Set.of(), "");
            check.bool(characteristic, "valueBoolean", path);
            check.quantity(characteristic.get("valueQuantity"), path + ".valueQuantity", Set.of());
            JsonNode exclude = characteristic.get("exclude");
            if (exclude == null || !exclude.isBoolean()) {
                check.issue(path + ".exclude", "is required: true or false (whether members lack the trait)");
            }
            check.plannedPeriod(characteristic.get("period"), path + ".period");
        }
        JsonNode members = resource.path("member");
        if (!members.isEmpty() && actual != null && actual.isBoolean() && !actual.asBoolean()) {
            // R4 invariant grp-1: a descriptive Group has no enumerated members.
            check.issue(p + ".member", "is allowed only when actual is true");
        }
        Set<String> memberTypes = GROUP_MEMBER_TYPES.getOrDefault(resource.path("type").asText(), Set.of());
        for (int i = 0; i < members.size(); i++) {
            JsonNode member = members.get(i);
            String path = p + ".member[" + i + "]";
            check.reference(member.get("entity"), path + ".entity", memberTypes, true);
            check.bool(member, "inactive", path);
            check.plannedPeriod(member.get("period"), path + ".period");
        }
        check.reference(resource.get("managingEntity"), p + ".managingEntity", Set.of("Organization",
                "RelatedPerson", "Practitioner", "PractitionerRole"), false);
    }

    private static boolean hasCode(JsonNode concept, String code) {
        if (concept != null) {
            for (JsonNode coding : concept.path("coding")) {
                if (code.equals(coding.path("code").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The resource type {@code reference} names, or null when it names none (contained, urn, missing). */
    private static String referencedType(JsonNode reference) {
        Matcher matcher = REFERENCED_TYPE.matcher(reference == null ? "" : reference.path("reference").asText(""));
        return matcher.find() ? matcher.group(1) : null;
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
            period(period, path, true);
        }

        /** A period that may lie in the future (a plan, a role, a membership): only its order is checked. */
        void plannedPeriod(JsonNode period, String path) {
            period(period, path, false);
        }

        private void period(JsonNode period, String path, boolean startNotFuture) {
            if (period == null) {
                return;
            }
            Instant start = dateTime(period, "start", path, startNotFuture);
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
            if (concept.isArray()) {
                issue(path, "must be one CodeableConcept, not a list");
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

        /** A required CodeableConcept; {@code what} says what it holds, for the message when it is missing. */
        void requiredConcept(JsonNode concept, String path, String what) {
            if (concept == null || concept.isNull()) {
                issue(path, "is required: " + what);
            } else {
                codeableConcept(concept, path, false, Set.of(), "");
            }
        }

        /** A list (0..*) of CodeableConcepts at {@code field}, each well-formed. */
        void concepts(JsonNode parent, String field, String path) {
            JsonNode list = parent.get(field);
            if (list == null) {
                return;
            }
            if (!list.isArray()) {
                issue(path + "." + field, "must be a list of CodeableConcepts, even of one");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                codeableConcept(list.get(i), path + "." + field + "[" + i + "]", false, Set.of(), "");
            }
        }

        /** A list (1..*) of CodeableConcepts at {@code field}; {@code what} says what they hold. */
        void requiredConcepts(JsonNode parent, String field, String path, String what) {
            JsonNode list = parent.get(field);
            if (list == null || (list.isArray() && list.isEmpty())) {
                issue(path + "." + field, "is required: at least one CodeableConcept saying " + what);
            } else {
                concepts(parent, field, path);
            }
        }

        /** A Coding, when given: a code needs its system, and a code of a system Panacea checks must exist. */
        void coding(JsonNode coding, String path) {
            if (coding == null) {
                return;
            }
            String system = coding.path("system").asText("");
            String code = coding.path("code").asText(null);
            if (system.isEmpty() && code != null) {
                issue(path + ".system", "is required when a code is given");
            } else {
                CodeSystems.problem(system, code).ifPresent(problem -> issue(path + ".code", problem));
            }
        }

        /** A list (0..*) of codes at {@code field}, each one of {@code allowed}. */
        void codes(JsonNode parent, String field, String path, Set<String> allowed) {
            JsonNode values = parent.get(field);
            if (values == null) {
                return;
            }
            if (!values.isArray()) {
                issue(path + "." + field, "must be a list of codes, each one of " + new TreeSet<>(allowed));
                return;
            }
            for (int i = 0; i < values.size(); i++) {
                JsonNode value = values.get(i);
                if (!value.isTextual() || !allowed.contains(value.asText())) {
                    issue(path + "." + field + "[" + i + "]", "'" + value.asText() + "' is not one of "
                            + new TreeSet<>(allowed));
                }
            }
        }

        void bool(JsonNode parent, String field, String path) {
            JsonNode value = parent.get(field);
            if (value != null && !value.isBoolean()) {
                issue(path + "." + field, "must be true or false, was '" + value.asText() + "'");
            }
        }

        void positiveInt(JsonNode parent, String field, String path) {
            JsonNode value = parent.get(field);
            if (value != null && !(value.isIntegralNumber() && value.asLong() >= 1)) {
                issue(path + "." + field, "must be a whole number, 1 or more");
            }
        }

        /** A decimal at {@code field}, required, from {@code -limit} to {@code limit} (degrees of a position). */
        void decimal(JsonNode parent, String field, String path, double limit) {
            JsonNode value = parent.get(field);
            if (value == null || !value.isNumber()) {
                issue(path + "." + field, "is required: a number of degrees");
            } else if (Math.abs(value.asDouble()) > limit) {
                issue(path + "." + field, value.asText() + " is outside -" + (int) limit + " to " + (int) limit);
            }
        }

        /** Opening hours: days of the week and times of day. */
        void availableTime(JsonNode available, String path, String startField, String endField) {
            codes(available, "daysOfWeek", path, DAYS_OF_WEEK);
            bool(available, "allDay", path);
            for (String field : List.of(startField, endField)) {
                JsonNode time = available.get(field);
                if (time != null && !(time.isTextual() && TIME.matcher(time.asText()).matches())) {
                    issue(path + "." + field, "'" + time.asText() + "' is not a FHIR time (hh:mm:ss)");
                }
            }
        }

        void telecoms(JsonNode resource, String path) {
            JsonNode telecoms = resource.path("telecom");
            for (int i = 0; i < telecoms.size(); i++) {
                JsonNode telecom = telecoms.get(i);
                String where = path + ".telecom[" + i + "]";
                if (telecom.has("system") && !TELECOM_SYSTEMS.contains(telecom.path("system").asText())) {
                    issue(where + ".system", "must be one of " + new TreeSet<>(TELECOM_SYSTEMS));
                }
                if (telecom.path("value").asText("").isBlank()) {
                    issue(where + ".value", "is required");
                }
            }
        }

        /** An Attachment: data needs its contentType (R4 invariant att-1) and must be base64. */
        void attachment(JsonNode attachment, String path) {
            JsonNode data = attachment.get("data");
            if (data != null) {
                if (attachment.path("contentType").asText("").isBlank()) {
                    issue(path + ".contentType", "is required when data is given: the MIME type of the data, e.g. "
                            + "application/pdf");
                }
                if (!data.isTextual() || !BASE64.matcher(data.asText()).matches()) {
                    issue(path + ".data", "must be base64");
                }
            }
            JsonNode size = attachment.get("size");
            if (size != null && !(size.isIntegralNumber() && size.asLong() >= 0)) {
                issue(path + ".size", "must be a whole number of bytes");
            }
            dateTime(attachment, "creation", path, true);
        }

        /** Who did something: a Reference that may name them by reference, identifier or display only. */
        void actor(JsonNode actor, String path) {
            if (actor == null || (isEmpty(actor.get("reference")) && isEmpty(actor.get("identifier"))
                    && isEmpty(actor.get("display")))) {
                issue(path, "is required: who it was (a reference, an identifier or a display name)");
            } else {
                reference(actor, path, Set.of(), false);
            }
        }

        /**
         * A Reference, required or not; when it names its target's type, that must be one of {@code types} (any
         * when empty).
         */
        void reference(JsonNode reference, String path, Set<String> types, boolean required) {
            String target = reference == null ? "" : reference.path("reference").asText("");
            String targets = types.isEmpty() ? "Type/{id}" : String.join(" or ", new TreeSet<>(types).stream()
                    .map(type -> type + "/{id}").toList());
            if (target.isEmpty()) {
                if (required) {
                    issue(path, "is required: a reference (" + targets + ")");
                }
                return;
            }
            String type = referencedType(reference);
            if (!types.isEmpty() && type != null && !types.contains(type)) {
                issue(path + ".reference", "must refer to " + targets + ", was '" + target + "'");
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

package org.panacea.records.internal.fhir;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The search parameters Panacea indexes, by resource type, and how their values are taken out of a resource. All
 * are exact-match tokens; coded values are indexed both as {@code system|code} and as bare {@code code}.
 * {@code patient} / {@code subject} and {@code _id} are answered from clear columns, not tokens.
 */
public final class SearchParameters {

    /**
     * The resource's security labels ({@code meta.security}, Codings such as v3 ActCode {@code EMP}); indexed on the
     * Patient, where the labels that flag a whole chart (employee, celebrity) live.
     */
    public static final String SECURITY = "_security";

    /** Answered from the patient column of every resource that belongs to a patient. */
    public static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject");

    /** Indexed parameters by resource type; other (opaque) types get {@code identifier} only. */
    private static final Map<String, List<String>> BY_TYPE = Map.ofEntries(
            Map.entry("Patient", List.of("identifier", "family", "given", "name", "gender", SECURITY)),
            Map.entry("Practitioner", List.of("identifier", "family", "given", "name")),
            Map.entry("Organization", List.of("identifier", "name")),
            Map.entry("Encounter", List.of("identifier", "status", "class")),
            Map.entry("Observation", List.of("identifier", "code", "category", "status")),
            Map.entry("Condition", List.of("identifier", "code", "clinical-status")),
            Map.entry("MedicationRequest", List.of("identifier", "code", "status")),
            Map.entry("ImagingStudy", List.of("identifier", "modality", "status")),
            Map.entry("RiskAssessment", List.of("identifier", "method", "status")),
            Map.entry("Consent", List.of("identifier", "status", "category")),
            Map.entry("Procedure", List.of("identifier", "code", "status", "category", "reason-code")),
            Map.entry("AllergyIntolerance", List.of("identifier", "code", "clinical-status", "verification-status",
                    "type", "category", "criticality", "severity", "manifestation", "route")),
            Map.entry("DiagnosticReport", List.of("identifier", "code", "status", "category", "conclusion")),
            Map.entry("Immunization", List.of("identifier", "vaccine-code", "status", "status-reason", "reason-code",
                    "target-disease", "lot-number", "series")),
            Map.entry("DocumentReference", List.of("identifier", "type", "category", "status", "contenttype",
                    "format", "language", "security-label", "event", "facility", "setting", "relation",
                    "description")),
            Map.entry("CarePlan", List.of("identifier", "status", "intent", "category", "activity-code")),
            Map.entry("CareTeam", List.of("identifier", "status", "category")),
            Map.entry("Location", List.of("identifier", "name", "status", "type", "operational-status", "address",
                    "address-city", "address-state", "address-postalcode", "address-country", "address-use")),
            Map.entry("PractitionerRole", List.of("identifier", "role", "specialty", "active", "email", "phone",
                    "telecom")),
            Map.entry("Group", List.of("identifier", "type", "actual", "code", "characteristic", "exclude",
                    "value")));

    private static final List<String> OPAQUE = List.of("identifier");

    private SearchParameters() {
    }

    /** The token parameters of {@code type} (besides {@code _id}, {@code patient}, {@code subject}). */
    public static List<String> of(String type) {
        return BY_TYPE.getOrDefault(type, OPAQUE);
    }

    /**
     * Whether resources of {@code type} belong to a patient and can be searched by {@code patient}. The directory
     * (who works where) belongs to nobody, and a Group lists many patients, so it is no one patient's record.
     */
    public static boolean patientLinked(String type) {
        return !Set.of("Practitioner", "Organization", "Location", "PractitionerRole", "Group").contains(type);
    }

    /** Each indexed parameter's values in {@code resource}. */
    public static Map<String, Set<String>> extract(String type, JsonNode resource) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String parameter : of(type)) {
            Set<String> found = new LinkedHashSet<>();
            switch (parameter) {
                case "identifier" -> {
                    identifiers(resource, found);
                    if ("DocumentReference".equals(type)) {
                        identifier(resource.get("masterIdentifier"), found);
                    }
                }
                case "family" -> resource.path("name").forEach(name -> text(name.get("family"), found));
                case "given" -> resource.path("name").forEach(name -> name.path("given").forEach(g -> text(g, found)));
                case "name" -> name(type, resource, found);
                case "gender", "status", "intent", "criticality", "description" -> text(resource.get(parameter), found);
                case "class" -> coding(resource.get("class"), found);
                case "code" -> {
                    concept("MedicationRequest".equals(type) ? resource.get("medicationCodeableConcept")
                            : resource.get("code"), found);
                    if ("AllergyIntolerance".equals(type)) {
                        // An allergy is found by its substance however it was recorded: as its code or per reaction.
                        at(resource, "reaction.substance", found);
                    }
                }
                // A list of CodeableConcepts on most types, one on Procedure, codes on AllergyIntolerance.
                case "category" -> at(resource, "category", found);
                case "clinical-status" -> concept(resource.get("clinicalStatus"), found);
                case "method" -> concept(resource.get("method"), found);
                case "modality" -> resource.path("series").forEach(series -> coding(series.get("modality"), found));
                case "type" -> at(resource, "type", found);
                case "verification-status" -> at(resource, "verificationStatus", found);
                case "severity" -> at(resource, "reaction.severity", found);
                case "manifestation" -> at(resource, "reaction.manifestation", found);
                case "route" -> at(resource, "reaction.exposureRoute", found);
                case "reason-code" -> at(resource, "reasonCode", found);
                case "conclusion" -> at(resource, "conclusionCode", found);
                case "vaccine-code" -> at(resource, "vaccineCode", found);
                case "status-reason" -> at(resource, "statusReason", found);
                case "target-disease" -> at(resource, "protocolApplied.targetDisease", found);
                case "lot-number" -> at(resource, "lotNumber", found);
                case "series" -> at(resource, "protocolApplied.series", found);
                case "contenttype" -> at(resource, "content.attachment.contentType", found);
                case "format" -> at(resource, "content.format", found);
                case "language" -> at(resource, "content.attachment.language", found);
                case "security-label" -> at(resource, "securityLabel", found);
                case SECURITY -> at(resource, "meta.security", found);
                case "event" -> at(resource, "context.event", found);
                case "facility" -> at(resource, "context.facilityType", found);
                case "setting" -> at(resource, "context.practiceSetting", found);
                case "relation" -> at(resource, "relatesTo.code", found);
                case "activity-code" -> at(resource, "activity.detail.code", found);
                case "operational-status" -> at(resource, "operationalStatus", found);
                // Any part of the address, as FHIR's address parameter matches any of its string fields.
                case "address" -> List.of("line", "city", "district", "state", "postalCode", "country", "text")
                        .forEach(part -> at(resource, "address." + part, found));
                case "address-city" -> at(resource, "address.city", found);
                case "address-state" -> at(resource, "address.state", found);
                case "address-postalcode" -> at(resource, "address.postalCode", found);
                case "address-country" -> at(resource, "address.country", found);
                case "address-use" -> at(resource, "address.use", found);
                case "role" -> at(resource, "code", found);
                case "specialty" -> at(resource, "specialty", found);
                case "active", "actual" -> at(resource, parameter, found);
                case "email", "phone" -> resource.path("telecom").forEach(telecom -> {
                    if (parameter.equals(telecom.path("system").asText())) {
                        text(telecom.get("value"), found);
                    }
                });
                case "telecom" -> at(resource, "telecom.value", found);
                case "characteristic" -> at(resource, "characteristic.code", found);
                case "exclude" -> at(resource, "characteristic.exclude", found);
                case "value" -> {
                    at(resource, "characteristic.valueCodeableConcept", found);
                    at(resource, "characteristic.valueBoolean", found);
                }
                default -> throw new IllegalStateException("no extraction for " + parameter);
            }
            if (!found.isEmpty()) {
                values.put(parameter, found);
            }
        }
        // Dates, quantities and references are indexed as bucket and reference tokens (see ValueParameters).
        values.putAll(ValueParameters.extract(type, resource));
        return values;
    }

    /** The identifiers as {@code system|value} tokens (and bare values), for uniqueness and conditional references. */
    public static void identifiers(JsonNode resource, Set<String> found) {
        for (JsonNode identifier : resource.path("identifier")) {
            identifier(identifier, found);
        }
    }

    private static void identifier(JsonNode identifier, Set<String> found) {
        String value = identifier == null ? "" : identifier.path("value").asText("");
        if (!value.isBlank()) {
            found.add(value);
            found.add(identifier.path("system").asText("") + "|" + value);
        }
    }

    /** Only the qualified {@code system|value} identifiers: what must be unique among resources of a type. */
    public static Set<String> qualifiedIdentifiers(JsonNode resource) {
        Set<String> found = new LinkedHashSet<>();
        for (JsonNode identifier : resource.path("identifier")) {
            String value = identifier.path("value").asText("");
            String system = identifier.path("system").asText("");
            if (!value.isBlank() && !system.isBlank()) {
                found.add(system + "|" + value);
            }
        }
        return found;
    }

    private static void name(String type, JsonNode resource, Set<String> found) {
        if ("Organization".equals(type)) {
            text(resource.get("name"), found);
            return;
        }
        if ("Location".equals(type)) {
            text(resource.get("name"), found);
            resource.path("alias").forEach(alias -> text(alias, found));
            return;
        }
        for (JsonNode name : resource.path("name")) {
            text(name.get("family"), found);
            name.path("given").forEach(given -> text(given, found));
            text(name.get("text"), found);
        }
    }

    /**
     * The values at a dotted path such as {@code reaction.manifestation}, stepping into every element of the lists
     * on the way; each value is indexed as what it is (a code or string, a boolean, a Coding, a CodeableConcept).
     */
    private static void at(JsonNode node, String path, Set<String> found) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(element -> at(element, path, found));
        } else if (path.isEmpty()) {
            if (node.isBoolean()) {
                found.add(node.asText());
            } else if (node.isTextual()) {
                text(node, found);
            } else if (node.has("coding")) {
                concept(node, found);
            } else {
                coding(node, found);
            }
        } else {
            int dot = path.indexOf('.');
            at(node.get(dot < 0 ? path : path.substring(0, dot)), dot < 0 ? "" : path.substring(dot + 1), found);
        }
    }

    private static void concept(JsonNode concept, Set<String> found) {
        if (concept != null) {
            concept.path("coding").forEach(coding -> coding(coding, found));
        }
    }

    private static void coding(JsonNode coding, Set<String> found) {
        if (coding != null && coding.path("code").isTextual()) {
            found.add(coding.path("code").asText());
            found.add(coding.path("system").asText("") + "|" + coding.path("code").asText());
        }
    }

    private static void text(JsonNode value, Set<String> found) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            found.add(value.asText());
        }
    }

    /**
     * The id of the patient {@code resource} belongs to: its own id for a Patient, else the first
     * {@code Patient/...} reference of its subject, patient, beneficiary or individual, else of anywhere in it.
     */
    public static Optional<String> patientOf(String type, String id, JsonNode resource) {
        if ("Patient".equals(type)) {
            return Optional.of(id);
        }
        if (!patientLinked(type)) {
            return Optional.empty();
        }
        for (String field : List.of("subject", "patient", "beneficiary", "individual")) {
            Optional<String> patient = patientId(resource.path(field).path("reference").asText(""));
            if (patient.isPresent()) {
                return patient;
            }
        }
        return anyPatientReference(resource);
    }

    private static Optional<String> anyPatientReference(JsonNode node) {
        if (node.isObject()) {
            Optional<String> direct = patientId(node.path("reference").asText(""));
            if (direct.isPresent()) {
                return direct;
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                Optional<String> found = anyPatientReference(child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> patientId(String reference) {
        if (reference.startsWith("Patient/")) {
            String id = reference.substring("Patient/".length());
            int history = id.indexOf('/');
            return Optional.of(history < 0 ? id : id.substring(0, history));
        }
        return Optional.empty();
    }
}

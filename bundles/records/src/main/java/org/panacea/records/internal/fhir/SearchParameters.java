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

    /** Answered from the patient column of every resource that belongs to a patient. */
    public static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject");

    /** Indexed parameters by resource type; other (opaque) types get {@code identifier} only. */
    private static final Map<String, List<String>> BY_TYPE = Map.ofEntries(
            Map.entry("Patient", List.of("identifier", "family", "given", "name", "birthdate", "gender")),
            Map.entry("Practitioner", List.of("identifier", "family", "given", "name")),
            Map.entry("Organization", List.of("identifier", "name")),
            Map.entry("Encounter", List.of("identifier", "status", "class")),
            Map.entry("Observation", List.of("identifier", "code", "category", "status")),
            Map.entry("Condition", List.of("identifier", "code", "clinical-status")),
            Map.entry("MedicationRequest", List.of("identifier", "code", "status")),
            Map.entry("ImagingStudy", List.of("identifier", "modality", "status")),
            Map.entry("RiskAssessment", List.of("identifier", "method", "status")),
            Map.entry("Consent", List.of("identifier", "status", "category")));

    private static final List<String> OPAQUE = List.of("identifier");

    private SearchParameters() {
    }

    /** The token parameters of {@code type} (besides {@code _id}, {@code patient}, {@code subject}). */
    public static List<String> of(String type) {
        return BY_TYPE.getOrDefault(type, OPAQUE);
    }

    /** Whether resources of {@code type} belong to a patient and can be searched by {@code patient}. */
    public static boolean patientLinked(String type) {
        return !Set.of("Practitioner", "Organization", "Location").contains(type);
    }

    /** Each indexed parameter's values in {@code resource}. */
    public static Map<String, Set<String>> extract(String type, JsonNode resource) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String parameter : of(type)) {
            Set<String> found = new LinkedHashSet<>();
            switch (parameter) {
                case "identifier" -> identifiers(resource, found);
                case "family" -> resource.path("name").forEach(name -> text(name.get("family"), found));
                case "given" -> resource.path("name").forEach(name -> name.path("given").forEach(g -> text(g, found)));
                case "name" -> name(type, resource, found);
                case "birthdate" -> text(resource.get("birthDate"), found);
                case "gender", "status" -> text(resource.get(parameter), found);
                case "class" -> coding(resource.get("class"), found);
                case "code" -> concept("MedicationRequest".equals(type) ? resource.get("medicationCodeableConcept")
                        : resource.get("code"), found);
                case "category" -> resource.path("category").forEach(concept -> concept(concept, found));
                case "clinical-status" -> concept(resource.get("clinicalStatus"), found);
                case "method" -> concept(resource.get("method"), found);
                case "modality" -> resource.path("series").forEach(series -> coding(series.get("modality"), found));
                default -> throw new IllegalStateException("no extraction for " + parameter);
            }
            if (!found.isEmpty()) {
                values.put(parameter, found);
            }
        }
        return values;
    }

    /** The identifiers as {@code system|value} tokens (and bare values), for uniqueness and conditional references. */
    public static void identifiers(JsonNode resource, Set<String> found) {
        for (JsonNode identifier : resource.path("identifier")) {
            String value = identifier.path("value").asText("");
            if (!value.isBlank()) {
                found.add(value);
                found.add(identifier.path("system").asText("") + "|" + value);
            }
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
        for (JsonNode name : resource.path("name")) {
            text(name.get("family"), found);
            name.path("given").forEach(given -> text(given, found));
            text(name.get("text"), found);
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

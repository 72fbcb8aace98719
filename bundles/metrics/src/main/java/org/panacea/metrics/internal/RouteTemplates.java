package org.panacea.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request path into the route template that labels its HTTP metrics: {@code /fhir/Patient/123/_history/2}
 * becomes {@code /fhir/Patient/{id}/_history/{version}}. Ids, UIDs, names and anything else a request may carry are
 * PHI or close to it, so the template is built from this class's own vocabulary only: a segment is kept when it is
 * one of the known words of Panacea's API (a FHIR resource type, an operation, a DICOMweb keyword), and replaced by a
 * placeholder otherwise, named after the word before it ({@code studies} is followed by {@code {study}}). A path
 * outside the API's top-level folders is {@code /{other}}, and a path deeper than any route is cut at
 * {@value #MAX_SEGMENTS} segments. The set of label values is therefore finite, whatever clients send. Stateless.
 */
final class RouteTemplates {

    static final int MAX_SEGMENTS = 12;
    static final String OTHER = "/{other}";

    /** The first segment of every route Panacea serves; the web pages' files all count as {@code /ui}. */
    private static final Set<String> TOP_LEVEL = Set.of("fhir", "dicomweb", "api", "health", "metrics", "ui");

    /** FHIR R4 resource types Panacea stores or answers; any other word after {@code /fhir/} is a placeholder. */
    private static final Set<String> FHIR_TYPES = Set.of("Patient", "Practitioner", "Organization", "Encounter",
            "Observation", "Condition", "MedicationRequest", "ImagingStudy", "RiskAssessment", "Consent", "Procedure",
            "AllergyIntolerance", "DiagnosticReport", "Immunization", "DocumentReference", "CarePlan", "CareTeam",
            "Binary", "Group", "AuditEvent", "Bundle", "Medication", "Location", "PractitionerRole", "Device",
            "Specimen", "ServiceRequest", "Goal", "EpisodeOfCare", "Provenance", "Media", "Flag");

    /** Words kept wherever they appear: operations, DICOMweb keywords, the API's fixed folders. */
    private static final Set<String> WORDS = Set.of("metadata", "_history", "_search", "$everything", "$export",
            "$export-status", "$export-output", "$run", "$predict", "$validate", "studies", "series", "instances",
            "frames", "rendered", "thumbnail", "bulkdata", "algorithms", "models", "analysis", "survival",
            "logistic", "cohort", "session", "plugins", "keys", "audit", "verification", "live", "ready");

    /** The placeholder that follows a word; a value after any other word is {@code {value}}. */
    private static final Map<String, String> PLACEHOLDER_AFTER = Map.ofEntries(Map.entry("studies", "{study}"),
            Map.entry("series", "{series}"), Map.entry("instances", "{instance}"), Map.entry("frames", "{frames}"),
            Map.entry("_history", "{version}"), Map.entry("algorithms", "{id}"), Map.entry("models", "{id}"),
            Map.entry("$export-status", "{job}"), Map.entry("$export-output", "{job}"), Map.entry("{job}", "{file}"),
            Map.entry("plugins", "{id}"), Map.entry("keys", "{id}"));

    private RouteTemplates() {
    }

    /**
     * The template of {@code path}, a request URI without its query, as received (not decoded: an encoded segment
     * matches no word and becomes a placeholder).
     */
    static String of(String path) {
        if (path == null || path.isEmpty() || "/".equals(path)) {
            return "/";
        }
        String[] segments = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
        if (!TOP_LEVEL.contains(segments[0])) {
            return OTHER;
        }
        if ("ui".equals(segments[0])) {
            return "/ui";
        }
        List<String> template = new ArrayList<>();
        template.add(segments[0]);
        int kept = Math.min(segments.length, MAX_SEGMENTS);
        for (int i = 1; i < kept; i++) {
            template.add(templateOf(segments[i], template.get(i - 1), i == 1 && "fhir".equals(segments[0])));
        }
        if (segments.length > MAX_SEGMENTS) {
            template.add("{more}");
        }
        return "/" + String.join("/", template);
    }

    private static String templateOf(String segment, String previous, boolean fhirType) {
        if (WORDS.contains(segment) || fhirType && FHIR_TYPES.contains(segment)) {
            return segment;
        }
        if (FHIR_TYPES.contains(previous)) {
            return "{id}";
        }
        if (fhirType) {
            return "{type}";
        }
        return PLACEHOLDER_AFTER.getOrDefault(previous, "{value}");
    }
}

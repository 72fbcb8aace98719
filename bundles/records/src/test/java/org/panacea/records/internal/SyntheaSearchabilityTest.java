package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.fhir.ValueParameters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Real Synthea histories, imported whole, are searchable: every entry of a modelled type is found by a search on each
 * of its token parameters that has a value in it (as {@code code} and as {@code system|code}), on each date as
 * written, on each reference, and by its patient when it belongs to one; the resources created for conditional references are found by their identifier.
 * <p>
 * What each parameter should find is read from the bundles with the parameter's FHIR R4 definition (its path in
 * the resource), not with the indexing code, so a value the index leaves out fails here.
 */
class SyntheaSearchabilityTest {

    /** The Synthea histories the module's tests hold (see {@code src/test/resources/fhir/README.md}). */
    private static final List<String> BUNDLES = List.of("synthea-lavern.json", "synthea-leonardo.json");

    /** Panacea's parameters of type string or date, which this test leaves out: it checks the tokens. */
    private static final Set<String> NOT_TOKENS = Set.of("family", "given", "name", "birthdate", "description",
            "lot-number", "series", "address", "address-city", "address-state", "address-postalcode",
            "address-country");

    /**
     * Where each token parameter takes its values, by type, after the FHIR R4 search parameter definitions; a
     * segment {@code field[key=value]} keeps the elements of a list whose {@code key} is {@code value}.
     */
    private static final Map<String, Map<String, List<String>>> R4_PATHS = Map.ofEntries(
            Map.entry("Patient", Map.of("gender", List.of("gender"), "_security", List.of("meta.security"))),
            Map.entry("Encounter", Map.of("status", List.of("status"), "class", List.of("class"))),
            Map.entry("Observation", Map.of("code", List.of("code"), "category", List.of("category"),
                    "status", List.of("status"))),
            Map.entry("Condition", Map.of("code", List.of("code"), "clinical-status", List.of("clinicalStatus"))),
            Map.entry("MedicationRequest", Map.of("code", List.of("medicationCodeableConcept"),
                    "status", List.of("status"))),
            Map.entry("ImagingStudy", Map.of("modality", List.of("series.modality"), "status", List.of("status"))),
            Map.entry("RiskAssessment", Map.of("method", List.of("method"), "status", List.of("status"))),
            Map.entry("Consent", Map.of("status", List.of("status"), "category", List.of("category"))),
            Map.entry("Procedure", Map.of("code", List.of("code"), "status", List.of("status"),
                    "category", List.of("category"), "reason-code", List.of("reasonCode"))),
            Map.entry("AllergyIntolerance", Map.of("code", List.of("code", "reaction.substance"),
                    "clinical-status", List.of("clinicalStatus"), "verification-status", List.of("verificationStatus"),
                    "type", List.of("type"), "category", List.of("category"), "criticality", List.of("criticality"),
                    "severity", List.of("reaction.severity"), "manifestation", List.of("reaction.manifestation"),
                    "route", List.of("reaction.exposureRoute"))),
            Map.entry("DiagnosticReport", Map.of("code", List.of("code"), "status", List.of("status"),
                    "category", List.of("category"), "conclusion", List.of("conclusionCode"))),
            Map.entry("Immunization", Map.of("vaccine-code", List.of("vaccineCode"), "status", List.of("status"),
                    "status-reason", List.of("statusReason"), "reason-code", List.of("reasonCode"),
                    "target-disease", List.of("protocolApplied.targetDisease"))),
            Map.entry("DocumentReference", Map.ofEntries(
                    Map.entry("identifier", List.of("masterIdentifier", "identifier")),
                    Map.entry("type", List.of("type")), Map.entry("category", List.of("category")),
                    Map.entry("status", List.of("status")),
                    Map.entry("contenttype", List.of("content.attachment.contentType")),
                    Map.entry("format", List.of("content.format")),
                    Map.entry("language", List.of("content.attachment.language")),
                    Map.entry("security-label", List.of("securityLabel")),
                    Map.entry("event", List.of("context.event")),
                    Map.entry("facility", List.of("context.facilityType")),
                    Map.entry("setting", List.of("context.practiceSetting")),
                    Map.entry("relation", List.of("relatesTo.code")))),
            Map.entry("CarePlan", Map.of("status", List.of("status"), "intent", List.of("intent"),
                    "category", List.of("category"), "activity-code", List.of("activity.detail.code"))),
            Map.entry("CareTeam", Map.of("status", List.of("status"), "category", List.of("category"))),
            Map.entry("Location", Map.of("status", List.of("status"), "type", List.of("type"),
                    "operational-status", List.of("operationalStatus"), "address-use", List.of("address.use"))),
            Map.entry("PractitionerRole", Map.of("role", List.of("code"), "specialty", List.of("specialty"),
                    "active", List.of("active"), "email", List.of("telecom[system=email].value"),
                    "phone", List.of("telecom[system=phone].value"), "telecom", List.of("telecom.value"))),
            Map.entry("Group", Map.of("type", List.of("type"), "actual", List.of("actual"), "code", List.of("code"),
                    "characteristic", List.of("characteristic.code"), "exclude", List.of("characteristic.exclude"),
                    "value", List.of("characteristic.valueCodeableConcept", "characteristic.valueBoolean"))));

    /** Where each date parameter takes its values, after the FHIR R4 definitions (a Period by its start). */
    private static final Map<String, Map<String, List<String>>> R4_DATE_PATHS = Map.ofEntries(
            Map.entry("Patient", Map.of("birthdate", List.of("birthDate"))),
            Map.entry("Encounter", Map.of("date", List.of("period.start"))),
            Map.entry("Observation", Map.of("date", List.of("effectiveDateTime", "effectivePeriod.start",
                    "effectiveInstant"))),
            Map.entry("Condition", Map.of("onset-date", List.of("onsetDateTime", "onsetPeriod.start"),
                    "recorded-date", List.of("recordedDate"), "abatement-date", List.of("abatementDateTime"))),
            Map.entry("MedicationRequest", Map.of("authoredon", List.of("authoredOn"))),
            Map.entry("Procedure", Map.of("date", List.of("performedDateTime", "performedPeriod.start"))),
            Map.entry("Immunization", Map.of("date", List.of("occurrenceDateTime"))),
            Map.entry("DiagnosticReport", Map.of("date", List.of("effectiveDateTime", "effectivePeriod.start"),
                    "issued", List.of("issued"))),
            Map.entry("DocumentReference", Map.of("date", List.of("date"), "period",
                    List.of("context.period.start"))),
            Map.entry("CarePlan", Map.of("date", List.of("period.start"))),
            Map.entry("CareTeam", Map.of("date", List.of("period.start"))),
            Map.entry("ImagingStudy", Map.of("started", List.of("started"))),
            Map.entry("AllergyIntolerance", Map.of("date", List.of("recordedDate"), "onset",
                    List.of("onsetDateTime"))));

    /** The types kept opaque before they were modelled that the Synthea histories hold: all must be checked. */
    private static final Set<String> NEWLY_MODELLED_IN_SYNTHEA = Set.of("Procedure", "DiagnosticReport",
            "DocumentReference", "Immunization", "CarePlan", "CareTeam");

    @Test
    void everyImportedResourceIsFoundByEachOfItsTokensAndByItsPatient() throws Exception {
        try (RecordsFixture fixture = RecordsFixture.derby(Clock.systemUTC())) {
            JpaPatientRecords records = fixture.records;
            // type -> parameter -> value -> the ids a search for it must return
            Map<String, Map<String, Map<String, Set<String>>>> expected = new TreeMap<>();
            Set<String> typesChecked = new TreeSet<>();
            int resourcesChecked = 0;
            for (String bundleName : BUNDLES) {
                String bundle = RecordsContract.resource(bundleName);
                BundleOutcome outcome = records.importBundle(RecordsContract.CLINICIAN, bundle);
                String patient = outcome.stored().values().stream().filter(ref -> ref.startsWith("Patient/"))
                        .findFirst().orElseThrow().substring("Patient/".length());
                for (JsonNode entry : FhirJson.parseObject(bundle).path("entry")) {
                    JsonNode resource = entry.path("resource");
                    String type = resource.path("resourceType").asText();
                    if (ResourceType.fromFhirName(type).isEmpty()) {
                        continue;
                    }
                    String reference = outcome.stored().get(entry.path("fullUrl").asText());
                    assertNotNull(reference, "stored: " + entry.path("fullUrl").asText());
                    String id = reference.substring(type.length() + 1);
                    expectTokens(expected, type, id, resource);
                    // Dates as written (each found by itself, eq at its own precision) and references as stored.
                    expectDatesAndReferences(expected, type, id,
                            FhirJson.parseObject(records.read(RecordsContract.CLINICIAN, type, id).json()));
                    if (SearchParameters.patientLinked(type) && !type.equals("Patient")) {
                        expect(expected, type, "patient", patient, id);
                    }
                    typesChecked.add(type);
                    resourcesChecked++;
                }
                // Organizations, practitioners and locations made from conditional references are found again.
                for (String created : outcome.createdByCondition()) {
                    String type = created.substring(0, created.indexOf('/'));
                    String id = created.substring(type.length() + 1);
                    StoredResource stub = records.read(RecordsContract.CLINICIAN, type, id);
                    expectTokens(expected, type, id, FhirJson.parseObject(stub.json()));
                    typesChecked.add(type);
                    resourcesChecked++;
                }
            }
            assertTrue(typesChecked.containsAll(NEWLY_MODELLED_IN_SYNTHEA), "checked " + typesChecked);
            assertTrue(typesChecked.contains("Location"), "locations made from conditional references: "
                    + typesChecked);
            assertTrue(expected.get("Observation").containsKey("date") && expected.get("Patient").containsKey("birthdate")
                    && expected.get("Encounter").containsKey("participant"), "dates and references are checked");
            assertEquals(List.of(), missed(records, expected), "each value finds every resource holding it ("
                    + resourcesChecked + " resources of " + typesChecked + ")");
        }
    }

    /** What a search on each token parameter of {@code resource} must find. */
    private static void expectTokens(Map<String, Map<String, Map<String, Set<String>>>> expected, String type,
            String id, JsonNode resource) {
        for (String parameter : SearchParameters.of(type)) {
            if (NOT_TOKENS.contains(parameter)) {
                continue;
            }
            List<String> paths = parameter.equals("identifier") && !type.equals("DocumentReference")
                    ? List.of("identifier") : R4_PATHS.getOrDefault(type, Map.of()).get(parameter);
            assertNotNull(paths, "this test knows where " + type + "." + parameter + " takes its values: add its "
                    + "FHIR R4 path to R4_PATHS");
            Set<String> values = new TreeSet<>();
            paths.forEach(path -> values(resource, path, values));
            for (String value : values) {
                assertTrue(!value.contains(","), type + "." + parameter + " value '" + value + "' holds a comma, "
                        + "which separates alternatives in a search");
                expect(expected, type, parameter, value, id);
            }
        }
    }

    /** What each date parameter (by its R4 path) and each reference parameter of {@code stored} must find. */
    private static void expectDatesAndReferences(Map<String, Map<String, Map<String, Set<String>>>> expected,
            String type, String id, JsonNode stored) {
        for (ValueParameters.Parameter parameter : ValueParameters.of(type)) {
            if (parameter.kind() == ValueParameters.Kind.DATE) {
                List<String> paths = R4_DATE_PATHS.getOrDefault(type, Map.of()).get(parameter.name());
                assertNotNull(paths, "this test knows where " + type + "." + parameter.name() + " takes its values: "
                        + "add its FHIR R4 path to R4_DATE_PATHS");
                Set<String> values = new TreeSet<>();
                paths.forEach(path -> values(stored, path, values));
                values.forEach(value -> expect(expected, type, parameter.name(), value, id));
            } else if (parameter.kind() == ValueParameters.Kind.REFERENCE) {
                ValueParameters.references(parameter, stored).forEach(reference -> expect(expected, type,
                        parameter.name(), reference, id));
            }
        }
    }

    private static void expect(Map<String, Map<String, Map<String, Set<String>>>> expected, String type,
            String parameter, String value, String id) {
        expected.computeIfAbsent(type, t -> new TreeMap<>()).computeIfAbsent(parameter, p -> new TreeMap<>())
                .computeIfAbsent(value, v -> new HashSet<>()).add(id);
    }

    /** One line for each search that left out a resource it should have found. */
    private static List<String> missed(JpaPatientRecords records,
            Map<String, Map<String, Map<String, Set<String>>>> expected) {
        List<String> missed = new ArrayList<>();
        expected.forEach((type, parameters) -> parameters.forEach((parameter, values) -> values.forEach(
                (value, ids) -> {
                    // Narrowed to the expected ids, the search must count them all; one page of one is enough.
                    SearchResult found = records.search(RecordsContract.CLINICIAN, new SearchQuery(type,
                            Map.of(parameter, value, "_id", String.join(",", ids)), 1, 0));
                    if (found.total() != ids.size()) {
                        missed.add(type + "?" + parameter + "=" + value + " found " + found.total() + " of "
                                + ids.size());
                    }
                })));
        return missed;
    }

    /**
     * The search values at a dotted path, stepping into every element of the lists on the way: a code or string as
     * it is, a boolean as {@code true}/{@code false}, a Coding (and each Coding of a CodeableConcept) and an
     * Identifier as both {@code code} and {@code system|code}.
     */
    private static void values(JsonNode node, String path, Set<String> values) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(element -> values(element, path, values));
            return;
        }
        if (!path.isEmpty()) {
            int dot = path.indexOf('.');
            String segment = dot < 0 ? path : path.substring(0, dot);
            String rest = dot < 0 ? "" : path.substring(dot + 1);
            int bracket = segment.indexOf('[');
            if (bracket < 0) {
                values(node.get(segment), rest, values);
                return;
            }
            String[] condition = segment.substring(bracket + 1, segment.length() - 1).split("=");
            for (JsonNode element : node.path(segment.substring(0, bracket))) {
                if (element.path(condition[0]).asText().equals(condition[1])) {
                    values(element, rest, values);
                }
            }
            return;
        }
        if (node.isTextual() || node.isBoolean()) {
            values.add(node.asText());
        } else if (node.has("coding")) {
            node.path("coding").forEach(coding -> systemAndValue(coding, "code", values));
        } else if (node.has("code")) {
            systemAndValue(node, "code", values);
        } else if (node.has("value")) {
            systemAndValue(node, "value", values);
        }
    }

    private static void systemAndValue(JsonNode node, String field, Set<String> values) {
        String value = node.path(field).asText("");
        if (!value.isBlank()) {
            values.add(value);
            if (node.has("system")) {
                values.add(node.path("system").asText() + "|" + value);
            }
        }
    }
}

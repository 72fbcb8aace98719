package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.ValidationIssue;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.ResourceValidator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The FHIR R4 rules of the types modelled after the first ten, checked without a database: required elements,
 * cardinalities, value sets, the spec's invariants, and what references may point to.
 */
class ResourceValidatorTest {

    private static final String PATIENT_ID = "0b7c2a4e-1111-4222-8333-944455556666";
    private static final ResourceValidator VALIDATOR = new ResourceValidator(Clock.fixed(Instant.now(),
            ZoneOffset.UTC));
    private static final Map<String, String> VALID = Samples.clinical(PATIENT_ID);

    static List<ValidationIssue> issues(String json) {
        ObjectNode resource = FhirJson.parseObject(json);
        return VALIDATOR.validate(resource, ResourceType.fromFhirName(resource.path("resourceType").asText())
                .orElseThrow());
    }

    static void assertValid(String json) {
        assertEquals(List.of(), issues(json), json);
    }

    static void assertIssue(String json, String path, String words) {
        List<ValidationIssue> issues = issues(json);
        assertTrue(issues.stream().anyMatch(issue -> issue.path().equals(path) && issue.message().contains(words)),
                () -> "expected an issue at " + path + " saying '" + words + "', got " + issues);
    }

    static ObjectNode sample(String type) {
        return FhirJson.parseObject(VALID.get(type));
    }

    @Test
    void theSamplesOfEveryNewlyModelledTypeAreValid() {
        for (String type : Samples.NEWLY_MODELLED) {
            assertValid(VALID.get(type));
        }
        for (Samples.Searchable searchable : Samples.searchables(PATIENT_ID)) {
            assertValid(searchable.json());
        }
    }

    @Test
    void procedure() {
        ObjectNode listed = sample("Procedure");
        listed.putArray("category").add(sample("Procedure").get("category"));
        assertIssue(listed.toString(), "Procedure.category", "must be one CodeableConcept, not a list");
        assertIssue(VALID.get("Procedure").replace("\"completed\"", "\"done\""), "Procedure.status",
                "'done' is not one of [completed, entered-in-error, in-progress, not-done, on-hold, preparation, "
                        + "stopped, unknown]");
        assertIssue(VALID.get("Procedure").replace("\"actor\": {\"display\": \"Dr. Gregory House\"}", "\"role\": {}"),
                "Procedure.performer[0].actor", "is required: who it was");
        assertIssue(VALID.get("Procedure").replace("2023-02-10T08:00:00+01:00", "2999-01-01T00:00:00Z"),
                "Procedure.performedPeriod.start", "is in the future");
        assertIssue(VALID.get("Procedure").replace("80146002", "80146003"), "Procedure.code.coding[0].code",
                "Verhoeff");
    }

    @Test
    void allergyIntolerance() {
        String enteredInError = VALID.get("AllergyIntolerance").replace("\"confirmed\"", "\"entered-in-error\"");
        assertIssue(enteredInError, "AllergyIntolerance.clinicalStatus",
                "must be absent when verificationStatus is entered-in-error");
        ObjectNode withdrawn = FhirJson.parseObject(enteredInError);
        withdrawn.remove("clinicalStatus");
        assertValid(withdrawn.toString());
        assertIssue(VALID.get("AllergyIntolerance").replace("\"medication\"", "\"pollen\""),
                "AllergyIntolerance.category[0]", "'pollen' is not one of [biologic, environment, food, medication]");
        assertIssue(VALID.get("AllergyIntolerance").replace("[\"medication\"]", "\"medication\""),
                "AllergyIntolerance.category", "must be a list of codes");
        assertIssue(VALID.get("AllergyIntolerance").replace("\"high\"", "\"severe\""),
                "AllergyIntolerance.criticality", "'severe' is not one of [high, low, unable-to-assess]");
        assertIssue(VALID.get("AllergyIntolerance").replace("\"allergy\"", "\"dislike\""), "AllergyIntolerance.type",
                "is not one of [allergy, intolerance]");
        ObjectNode noManifestation = sample("AllergyIntolerance");
        ((ObjectNode) noManifestation.path("reaction").get(0)).remove("manifestation");
        assertIssue(noManifestation.toString(), "AllergyIntolerance.reaction[0].manifestation",
                "is required: at least one CodeableConcept");
        assertIssue(VALID.get("AllergyIntolerance").replace("\"moderate\"", "\"awful\""),
                "AllergyIntolerance.reaction[0].severity", "'awful' is not one of [mild, moderate, severe]");
        assertIssue(VALID.get("AllergyIntolerance").replace("\"patient\"", "\"subject\""), "AllergyIntolerance.patient",
                "is required: a reference to the Patient");
    }

    @Test
    void diagnosticReport() {
        assertIssue(VALID.get("DiagnosticReport").replace("\"final\"", "\"done\""), "DiagnosticReport.status",
                "'done' is not one of");
        assertIssue(VALID.get("DiagnosticReport").replace("58410-2", "58410-3"), "DiagnosticReport.code.coding[0].code",
                "check digit");
        ObjectNode media = sample("DiagnosticReport");
        media.putArray("media").addObject().put("comment", "chest film");
        assertIssue(media.toString(), "DiagnosticReport.media[0].link", "is required: a reference (Media/{id})");
        assertIssue(VALID.get("DiagnosticReport").replace("Tm9ybWFsIGJsb29kIGNvdW50Lg==", "not base64!"),
                "DiagnosticReport.presentedForm[0].data", "must be base64");
    }

    @Test
    void immunization() {
        ObjectNode both = sample("Immunization");
        both.put("occurrenceString", "last autumn");
        assertIssue(both.toString(), "Immunization.occurrence[x]", "has both occurrenceDateTime and occurrenceString");
        ObjectNode described = sample("Immunization");
        described.remove("occurrenceDateTime");
        described.put("occurrenceString", "last autumn");
        assertValid(described.toString());
        assertIssue(VALID.get("Immunization").replace("\"completed\"", "\"given\""), "Immunization.status",
                "'given' is not one of [completed, entered-in-error, not-done]");
        assertIssue(VALID.get("Immunization").replace("\"doseNumberPositiveInt\": 1", "\"doseNumberPositiveInt\": 0"),
                "Immunization.protocolApplied[0].doseNumberPositiveInt", "1 or more");
        assertIssue(VALID.get("Immunization").replace("\"doseNumberPositiveInt\": 1,", ""),
                "Immunization.protocolApplied[0].doseNumber[x]", "is required");
        assertIssue(VALID.get("Immunization").replace("2022-10-15T10:00:00+02:00", "2999-10-15T10:00:00+02:00"),
                "Immunization.occurrenceDateTime", "is in the future");
        assertIssue(VALID.get("Immunization").replace("\"primarySource\": true", "\"primarySource\": \"yes\""),
                "Immunization.primarySource", "must be true or false");
    }

    @Test
    void documentReference() {
        ObjectNode noAttachment = sample("DocumentReference");
        ((ObjectNode) noAttachment.path("content").get(0)).remove("attachment");
        assertIssue(noAttachment.toString(), "DocumentReference.content[0].attachment", "is required");
        ObjectNode noContent = sample("DocumentReference");
        noContent.remove("content");
        assertIssue(noContent.toString(), "DocumentReference.content", "is required: at least one content");
        assertIssue(VALID.get("DocumentReference").replace("\"appends\"", "\"copies\""),
                "DocumentReference.relatesTo[0].code", "'copies' is not one of [appends, replaces, signs, transforms]");
        assertIssue(VALID.get("DocumentReference").replace("DocumentReference/draft-summary-1", "Patient/" + PATIENT_ID),
                "DocumentReference.relatesTo[0].target.reference", "must refer to DocumentReference/{id}");
        assertIssue(VALID.get("DocumentReference").replace("\"current\"", "\"final\""), "DocumentReference.status",
                "'final' is not one of [current, entered-in-error, superseded]");
        assertIssue(VALID.get("DocumentReference").replace("\"docStatus\": \"final\"", "\"docStatus\": \"signed\""),
                "DocumentReference.docStatus", "'signed' is not one of");
    }

    @Test
    void carePlan() {
        ObjectNode both = sample("CarePlan");
        ((ObjectNode) both.path("activity").get(0)).putObject("reference").put("reference", "ServiceRequest/sr-1");
        assertIssue(both.toString(), "CarePlan.activity[0]", "has both reference and detail");
        assertIssue(VALID.get("CarePlan").replace("\"in-progress\"", "\"ongoing\""), "CarePlan.activity[0].detail.status",
                "'ongoing' is not one of");
        assertIssue(RecordsContract.without(VALID.get("CarePlan"), "status"), "CarePlan.status", "is required");
        assertIssue(RecordsContract.without(VALID.get("CarePlan"), "intent"), "CarePlan.intent",
                "is required: one of [option, order, plan, proposal]");
        // A plan may run into the future.
        assertValid(VALID.get("CarePlan").replace("{\"start\": \"2023-02-10\"}",
                "{\"start\": \"2099-01-01\", \"end\": \"2099-12-31\"}"));
        assertIssue(VALID.get("CarePlan").replace("{\"start\": \"2023-02-10\"}",
                "{\"start\": \"2024-01-01\", \"end\": \"2023-12-31\"}"), "CarePlan.period.end", "is before start");
    }

    @Test
    void careTeam() {
        assertValid("{\"resourceType\": \"CareTeam\"}");
        assertIssue(VALID.get("CareTeam").replace("Patient/" + PATIENT_ID, "Group/ward-3b"),
                "CareTeam.subject.reference", "must refer to a Patient");
        ObjectNode onBehalf = sample("CareTeam");
        ObjectNode participant = (ObjectNode) onBehalf.path("participant").get(0);
        participant.putObject("member").put("reference", "Patient/" + PATIENT_ID);
        participant.putObject("onBehalfOf").put("reference", "Organization/hospital-1");
        assertIssue(onBehalf.toString(), "CareTeam.participant[0].onBehalfOf",
                "is allowed only when the member is a Practitioner");
        participant.putObject("member").put("reference", "Practitioner/house-1");
        assertValid(onBehalf.toString());
    }

    @Test
    void location() {
        // What a conditional reference creates: an identifier only.
        assertValid("{\"resourceType\": \"Location\", \"identifier\": [{\"system\": "
                + "\"https://github.com/synthetichealth/synthea\", \"value\": \"6e394cee\"}]}");
        ObjectNode listed = sample("Location");
        listed.putArray("address").add(sample("Location").get("address"));
        assertIssue(listed.toString(), "Location.address", "must be one Address, not a list");
        assertIssue(VALID.get("Location").replace("\"mon\"", "\"monday\""), "Location.hoursOfOperation[0].daysOfWeek[0]",
                "'monday' is not one of");
        assertIssue(VALID.get("Location").replace("\"status\": \"active\"", "\"status\": \"open\""), "Location.status",
                "'open' is not one of [active, inactive, suspended]");
        assertIssue(VALID.get("Location").replace("\"longitude\": 8.5512, ", ""), "Location.position.longitude",
                "is required");
        assertIssue(VALID.get("Location").replace("\"system\": \"phone\"", "\"system\": \"pigeon\""),
                "Location.telecom[0].system", "must be one of");
    }

    @Test
    void practitionerRole() {
        assertIssue(VALID.get("PractitionerRole").replace("\"active\": true", "\"active\": \"yes\""),
                "PractitionerRole.active", "must be true or false");
        assertIssue(VALID.get("PractitionerRole").replace("\"practitioner\": {\"display\": \"Dr. Gregory House\"}",
                "\"practitioner\": {\"reference\": \"Organization/hospital-1\"}"),
                "PractitionerRole.practitioner.reference", "must refer to Practitioner/{id}");
        assertIssue(VALID.get("PractitionerRole").replace("\"08:00:00\"", "\"8am\""),
                "PractitionerRole.availableTime[0].availableStartTime", "is not a FHIR time");
        // A role may begin in the future.
        assertValid(VALID.get("PractitionerRole").replace("\"2020-01-01\"", "\"2099-01-01\""));
    }

    @Test
    void group() {
        ObjectNode bare = FhirJson.parseObject("{\"resourceType\": \"Group\"}");
        assertIssue(bare.toString(), "Group.type", "is required: one of [animal, device, medication, person, "
                + "practitioner, substance]");
        assertIssue(bare.toString(), "Group.actual", "is required: true when the Group lists its members");
        assertValid("{\"resourceType\": \"Group\", \"type\": \"person\", \"actual\": false, \"characteristic\": "
                + "[{\"code\": {\"text\": \"age\"}, \"valueQuantity\": {\"value\": 65, \"unit\": \"a\", "
                + "\"system\": \"http://unitsofmeasure.org\", \"code\": \"a\"}, \"exclude\": false}]}");
        ObjectNode characteristic = sample("Group");
        ObjectNode trait = (ObjectNode) characteristic.path("characteristic").get(0);
        trait.remove("valueCodeableConcept");
        trait.remove("exclude");
        assertIssue(characteristic.toString(), "Group.characteristic[0].value[x]", "is required");
        assertIssue(characteristic.toString(), "Group.characteristic[0].exclude", "is required: true or false");
        ObjectNode noEntity = sample("Group");
        ((ObjectNode) noEntity.path("member").get(0)).remove("entity");
        assertIssue(noEntity.toString(), "Group.member[0].entity", "is required: a reference (Group/{id} or "
                + "Patient/{id})");
        assertIssue(VALID.get("Group").replace("\"person\"", "\"device\""), "Group.member[0].entity.reference",
                "must refer to Device/{id} or Group/{id}");
        assertValid(VALID.get("Group").replace("\"person\"", "\"practitioner\"").replace("Patient/" + PATIENT_ID,
                "PractitionerRole/cardiologist-1"));
        assertIssue(VALID.get("Group").replace("\"quantity\": 1", "\"quantity\": -1"), "Group.quantity",
                "0 or more");
    }
}

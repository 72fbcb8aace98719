package org.panacea.api.records;

import java.util.Optional;

/**
 * The FHIR R4 resource types Panacea models field by field. Other resource types of an imported bundle are kept,
 * encrypted, as opaque FHIR JSON linked to their patient.
 */
public enum ResourceType {
    PATIENT("Patient"),
    PRACTITIONER("Practitioner"),
    ORGANIZATION("Organization"),
    ENCOUNTER("Encounter"),
    OBSERVATION("Observation"),
    CONDITION("Condition"),
    MEDICATION_REQUEST("MedicationRequest"),
    IMAGING_STUDY("ImagingStudy"),
    RISK_ASSESSMENT("RiskAssessment"),
    CONSENT("Consent"),
    PROCEDURE("Procedure"),
    ALLERGY_INTOLERANCE("AllergyIntolerance"),
    DIAGNOSTIC_REPORT("DiagnosticReport"),
    IMMUNIZATION("Immunization"),
    DOCUMENT_REFERENCE("DocumentReference"),
    CARE_PLAN("CarePlan"),
    CARE_TEAM("CareTeam"),
    LOCATION("Location"),
    PRACTITIONER_ROLE("PractitionerRole"),
    GROUP("Group");

    private final String fhirName;

    ResourceType(String fhirName) {
        this.fhirName = fhirName;
    }

    /** The FHIR resource type name, as in {@code resourceType} and in URLs. */
    public String fhirName() {
        return fhirName;
    }

    /** The modelled type with FHIR name {@code fhirName} (case-sensitive, as FHIR is), or empty. */
    public static Optional<ResourceType> fromFhirName(String fhirName) {
        for (ResourceType type : values()) {
            if (type.fhirName.equals(fhirName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

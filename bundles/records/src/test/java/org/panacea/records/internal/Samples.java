package org.panacea.records.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** One valid resource of every modelled type, as FHIR R4 JSON; {@code %s} is the patient's id where there is one. */
final class Samples {

    private Samples() {
    }

    static String patient(String family, String given, String mrn) {
        return """
                {"resourceType": "Patient",
                 "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "%s",
                                 "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}}],
                 "name": [{"family": "%s", "given": ["%s"]}],
                 "gender": "female", "birthDate": "1961-04-17",
                 "telecom": [{"system": "phone", "value": "+41 44 555 01 23"}],
                 "address": [{"line": ["Bahnhofstrasse 1"], "city": "Zurich", "postalCode": "8001"}]}
                """.formatted(mrn, family, given);
    }

    /** A valid resource of each modelled type but Patient, for patient {@code %s}. */
    static Map<String, String> clinical(String patientId) {
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("Practitioner", """
                {"resourceType": "Practitioner",
                 "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "NPI-%s"}],
                 "name": [{"family": "House", "given": ["Gregory"], "prefix": ["Dr."]}]}
                """.formatted(patientId.substring(0, 8)));
        samples.put("Organization", """
                {"resourceType": "Organization",
                 "identifier": [{"system": "https://panacea.example/hospitals", "value": "H-%s"}],
                 "name": "Princeton-Plainsboro Teaching Hospital"}
                """.formatted(patientId.substring(0, 8)));
        samples.put("Encounter", """
                {"resourceType": "Encounter", "status": "finished",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                 "subject": {"reference": "Patient/%s"},
                 "period": {"start": "2023-03-01T09:00:00+01:00", "end": "2023-03-01T09:30:00+01:00"}}
                """.formatted(patientId));
        samples.put("Observation", """
                {"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                           "code": "vital-signs"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
                 "subject": {"reference": "Patient/%s"},
                 "effectiveDateTime": "2023-03-01T09:10:00+01:00",
                 "valueQuantity": {"value": 72.50, "unit": "beats/minute", "system": "http://unitsofmeasure.org",
                                   "code": "/min"}}
                """.formatted(patientId));
        samples.put("Condition", """
                {"resourceType": "Condition",
                 "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                "code": "active"}]},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004",
                                      "display": "Atrial fibrillation"},
                                     {"system": "http://hl7.org/fhir/sid/icd-10", "code": "I48.91"}]},
                 "subject": {"reference": "Patient/%s"}, "onsetDateTime": "2019-06-02"}
                """.formatted(patientId));
        samples.put("MedicationRequest", """
                {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                 "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                           "code": "1364430", "display": "apixaban 5 MG Oral Tablet"}]},
                 "subject": {"reference": "Patient/%s"}, "authoredOn": "2023-03-01"}
                """.formatted(patientId));
        samples.put("ImagingStudy", """
                {"resourceType": "ImagingStudy", "status": "available",
                 "subject": {"reference": "Patient/%s"}, "started": "2023-03-01T10:00:00Z",
                 "series": [{"uid": "1.2.826.0.1.3680043.8.498.1", "modality": {"system":
                             "http://dicom.nema.org/resources/ontology/DCM", "code": "CT"},
                             "instance": [{"uid": "1.2.826.0.1.3680043.8.498.1.1",
                                           "sopClass": {"system": "urn:ietf:rfc:3986",
                                                        "code": "urn:oid:1.2.840.10008.5.1.4.1.1.2"}}]}]}
                """.formatted(patientId));
        samples.put("RiskAssessment", """
                {"resourceType": "RiskAssessment", "status": "final",
                 "method": {"coding": [{"system": "https://panacea.org/models", "code": "prediction.cha2ds2-vasc"}]},
                 "subject": {"reference": "Patient/%s"}, "occurrenceDateTime": "2023-03-01T11:00:00Z",
                 "prediction": [{"outcome": {"text": "stroke within 1 year"}, "probabilityDecimal": 0.032}]}
                """.formatted(patientId));
        samples.put("Consent", """
                {"resourceType": "Consent", "status": "active",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                       "code": "research"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"reference": "Patient/%s"}, "dateTime": "2023-01-01",
                 "provision": {"type": "deny"}}
                """.formatted(patientId));
        return samples;
    }

    /** A search that finds each sample by one of its own indexed parameters. */
    static Map<String, Map<String, String>> searches(String patientId) {
        Map<String, Map<String, String>> searches = new LinkedHashMap<>();
        searches.put("Practitioner", Map.of("family", "house"));
        searches.put("Organization", Map.of("identifier", "https://panacea.example/hospitals|H-" + patientId.substring(0, 8)));
        searches.put("Encounter", Map.of("patient", patientId, "class", "AMB"));
        searches.put("Observation", Map.of("patient", "Patient/" + patientId, "code", "http://loinc.org|8867-4"));
        searches.put("Condition", Map.of("subject", patientId, "code", "I48.91"));
        searches.put("MedicationRequest", Map.of("patient", patientId, "code", "1364430"));
        searches.put("ImagingStudy", Map.of("patient", patientId, "modality", "CT"));
        searches.put("RiskAssessment", Map.of("patient", patientId, "method", "prediction.cha2ds2-vasc"));
        searches.put("Consent", Map.of("patient", patientId, "status", "active"));
        return searches;
    }
}

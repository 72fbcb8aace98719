package org.panacea.records.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        String tag = patientId.substring(0, 8);
        samples.put("Procedure", """
                {"resourceType": "Procedure",
                 "identifier": [{"system": "https://panacea.example/procedures", "value": "PROC-%s"}],
                 "status": "completed",
                 "category": {"coding": [{"system": "http://snomed.info/sct", "code": "387713003",
                                          "display": "Surgical procedure"}]},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "80146002",
                                      "display": "Appendectomy"}]},
                 "subject": {"reference": "Patient/%s"},
                 "performedPeriod": {"start": "2023-02-10T08:00:00+01:00", "end": "2023-02-10T09:10:00+01:00"},
                 "performer": [{"actor": {"display": "Dr. Gregory House"}}],
                 "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "74400008",
                                             "display": "Appendicitis"}]}]}
                """.formatted(tag, patientId));
        samples.put("AllergyIntolerance", """
                {"resourceType": "AllergyIntolerance",
                 "identifier": [{"system": "https://panacea.example/allergies", "value": "ALG-%s"}],
                 "clinicalStatus": {"coding": [{"system":
                         "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
                 "verificationStatus": {"coding": [{"system":
                         "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed"}]},
                 "type": "allergy", "category": ["medication"], "criticality": "high",
                 "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "7980",
                                      "display": "Penicillin G"}]},
                 "patient": {"reference": "Patient/%s"}, "onsetDateTime": "2004-05", "recordedDate": "2019-06-02",
                 "reaction": [{"substance": {"coding": [{"system": "http://snomed.info/sct", "code": "764146007",
                                                         "display": "Penicillin"}]},
                               "manifestation": [{"coding": [{"system": "http://snomed.info/sct",
                                                              "code": "247472004", "display": "Hives"}]}],
                               "severity": "moderate",
                               "exposureRoute": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006",
                                                             "display": "Oral route"}]}}]}
                """.formatted(tag, patientId));
        samples.put("DiagnosticReport", """
                {"resourceType": "DiagnosticReport",
                 "identifier": [{"system": "https://panacea.example/reports", "value": "REP-%s"}],
                 "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "HM",
                                           "display": "Hematology"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2",
                                      "display": "CBC panel - Blood by Automated count"}]},
                 "subject": {"reference": "Patient/%s"},
                 "effectiveDateTime": "2023-03-01T08:30:00+01:00", "issued": "2023-03-01T12:00:00.250+01:00",
                 "conclusion": "Normal blood count",
                 "conclusionCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "281900007",
                                                 "display": "No abnormality detected"}]}],
                 "presentedForm": [{"contentType": "text/plain", "data": "Tm9ybWFsIGJsb29kIGNvdW50Lg=="}]}
                """.formatted(tag, patientId));
        samples.put("Immunization", """
                {"resourceType": "Immunization",
                 "identifier": [{"system": "https://panacea.example/immunizations", "value": "IMM-%s"}],
                 "status": "completed",
                 "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140",
                         "display": "Influenza, seasonal, injectable, preservative free"}]},
                 "patient": {"reference": "Patient/%s"},
                 "occurrenceDateTime": "2022-10-15T10:00:00+02:00", "recorded": "2022-10-15", "primarySource": true,
                 "lotNumber": "FLU-%s", "expirationDate": "2099-06-30",
                 "doseQuantity": {"value": 0.5, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"},
                 "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "429060002",
                                             "display": "Procedure to meet occupational requirement"}]}],
                 "protocolApplied": [{"series": "Seasonal 2022/23", "doseNumberPositiveInt": 1,
                                      "targetDisease": [{"coding": [{"system": "http://snomed.info/sct",
                                                                     "code": "6142004", "display": "Influenza"}]}]}]}
                """.formatted(tag, patientId, tag));
        samples.put("DocumentReference", """
                {"resourceType": "DocumentReference",
                 "masterIdentifier": {"system": "https://panacea.example/documents", "value": "DOC-MASTER-%s"},
                 "identifier": [{"system": "https://panacea.example/documents", "value": "DOC-%s"}],
                 "status": "current", "docStatus": "final",
                 "type": {"coding": [{"system": "http://loinc.org", "code": "18842-5", "display": "Discharge summary"}]},
                 "category": [{"coding": [{"system":
                         "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                         "code": "clinical-note"}]}],
                 "subject": {"reference": "Patient/%s"}, "date": "2023-03-02T10:00:00+01:00",
                 "description": "Discharge summary after appendectomy",
                 "securityLabel": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                                                "code": "N"}]}],
                 "relatesTo": [{"code": "appends", "target": {"reference": "DocumentReference/draft-summary-1"}}],
                 "content": [{"attachment": {"contentType": "text/plain", "language": "en-GB",
                                             "data": "RGlzY2hhcmdlZCB3ZWxsLg==", "title": "Discharge summary"},
                              "format": {"system": "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                                         "code": "urn:ihe:iti:xds:2017:mimeTypeSufficient"}}],
                 "context": {"event": [{"coding": [{"system": "http://snomed.info/sct", "code": "80146002"}]}],
                             "period": {"start": "2023-02-10T08:00:00+01:00", "end": "2023-03-02T09:00:00+01:00"},
                             "facilityType": {"coding": [{"system": "http://snomed.info/sct", "code": "22232009",
                                                          "display": "Hospital"}]},
                             "practiceSetting": {"coding": [{"system": "http://snomed.info/sct", "code": "394609007",
                                                             "display": "General surgery"}]}}}
                """.formatted(tag, tag, patientId));
        samples.put("CarePlan", """
                {"resourceType": "CarePlan",
                 "identifier": [{"system": "https://panacea.example/care-plans", "value": "CP-%s"}],
                 "status": "active", "intent": "plan",
                 "category": [{"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
                                           "code": "assess-plan"}]}],
                 "subject": {"reference": "Patient/%s"}, "period": {"start": "2023-02-10"}, "created": "2023-02-10",
                 "activity": [{"detail": {"code": {"coding": [{"system": "http://snomed.info/sct",
                         "code": "385949008", "display": "Dressing change management"}]}, "status": "in-progress"}}]}
                """.formatted(tag, patientId));
        samples.put("CareTeam", """
                {"resourceType": "CareTeam",
                 "identifier": [{"system": "https://panacea.example/care-teams", "value": "CT-%s"}],
                 "status": "active",
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "LA27976-2",
                                           "display": "Encounter-focused care team"}]}],
                 "subject": {"reference": "Patient/%s"}, "period": {"start": "2023-02-10"},
                 "participant": [{"role": [{"coding": [{"system": "http://snomed.info/sct", "code": "223366009",
                                                        "display": "Healthcare professional"}]}],
                                  "member": {"display": "Dr. Gregory House"}}]}
                """.formatted(tag, patientId));
        samples.put("Location", """
                {"resourceType": "Location",
                 "identifier": [{"system": "https://panacea.example/locations", "value": "LOC-%s"}],
                 "status": "active", "name": "Ward 3B", "alias": ["Surgical ward"], "mode": "instance",
                 "operationalStatus": {"system": "http://terminology.hl7.org/CodeSystem/v2-0116", "code": "O",
                                       "display": "Occupied"},
                 "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "HU",
                                       "display": "Hospital unit"}]}],
                 "physicalType": {"coding": [{"system":
                         "http://terminology.hl7.org/CodeSystem/location-physical-type", "code": "wa"}]},
                 "telecom": [{"system": "phone", "value": "+41 44 555 02 00"}],
                 "address": {"use": "work", "line": ["Raemistrasse 100"], "city": "Zurich", "state": "ZH",
                             "postalCode": "8091", "country": "CH"},
                 "position": {"longitude": 8.5512, "latitude": 47.3769},
                 "hoursOfOperation": [{"daysOfWeek": ["mon", "tue", "wed", "thu", "fri"], "allDay": true}]}
                """.formatted(tag));
        samples.put("PractitionerRole", """
                {"resourceType": "PractitionerRole",
                 "identifier": [{"system": "https://panacea.example/roles", "value": "ROLE-%s"}],
                 "active": true, "period": {"start": "2020-01-01"},
                 "practitioner": {"display": "Dr. Gregory House"},
                 "code": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/practitioner-role",
                                       "code": "doctor"}]}],
                 "specialty": [{"coding": [{"system": "http://snomed.info/sct", "code": "394579002",
                                            "display": "Cardiology"}]}],
                 "telecom": [{"system": "email", "value": "g.house-%s@panacea.example"},
                             {"system": "phone", "value": "+41 44 555 03 00"}],
                 "availableTime": [{"daysOfWeek": ["mon", "wed"], "availableStartTime": "08:00:00",
                                    "availableEndTime": "17:30:00"}],
                 "notAvailable": [{"description": "Sabbatical", "during": {"start": "2099-01-01"}}]}
                """.formatted(tag, tag));
        samples.put("Group", """
                {"resourceType": "Group",
                 "identifier": [{"system": "https://panacea.example/cohorts", "value": "COH-%s"}],
                 "type": "person", "actual": true, "name": "Atrial fibrillation follow-up",
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "49436004",
                                      "display": "Atrial fibrillation"}]},
                 "quantity": 1,
                 "characteristic": [{"code": {"coding": [{"system": "http://snomed.info/sct", "code": "404684003",
                                                          "display": "Clinical finding"}]},
                                     "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                                          "code": "49436004"}]},
                                     "exclude": false}],
                 "member": [{"entity": {"reference": "Patient/%s"}, "period": {"start": "2023-03-01"}}]}
                """.formatted(tag, patientId));
        return samples;
    }

    /** The types {@link #clinical} holds that were kept opaque before they were modelled. */
    static final List<String> NEWLY_MODELLED = List.of("Procedure", "AllergyIntolerance", "DiagnosticReport",
            "Immunization", "DocumentReference", "CarePlan", "CareTeam", "Location", "PractitionerRole", "Group");

    /** A resource and, for each search parameter, a value that finds it. */
    record Searchable(String type, String json, Map<String, String> parameters) {
    }

    /**
     * Every search parameter of the newly modelled types, each with a value of a sample that it must find; where
     * one resource cannot sensibly carry them all (why an immunization was not given), a second one does.
     */
    static List<Searchable> searchables(String patientId) {
        String tag = patientId.substring(0, 8);
        Map<String, String> clinical = clinical(patientId);
        List<Searchable> searchables = new ArrayList<>();
        searchables.add(new Searchable("Procedure", clinical.get("Procedure"), Map.of(
                "identifier", "https://panacea.example/procedures|PROC-" + tag,
                "code", "http://snomed.info/sct|80146002",
                "status", "completed",
                "category", "387713003",
                "reason-code", "74400008")));
        searchables.add(new Searchable("AllergyIntolerance", clinical.get("AllergyIntolerance"), Map.of(
                "identifier", "ALG-" + tag,
                "code", "7980",
                "clinical-status", "active",
                "verification-status", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
                        + "|confirmed",
                "type", "allergy",
                "category", "medication",
                "criticality", "high",
                "severity", "moderate",
                "manifestation", "247472004",
                "route", "26643006")));
        // The substance of a reaction finds the allergy by code too.
        searchables.add(new Searchable("AllergyIntolerance", clinical.get("AllergyIntolerance")
                .replace("ALG-" + tag, "ALG-REACTION-" + tag), Map.of("code", "http://snomed.info/sct|764146007",
                "identifier", "ALG-REACTION-" + tag)));
        searchables.add(new Searchable("DiagnosticReport", clinical.get("DiagnosticReport"), Map.of(
                "identifier", "https://panacea.example/reports|REP-" + tag,
                "code", "http://loinc.org|58410-2",
                "status", "final",
                "category", "HM",
                "conclusion", "281900007")));
        searchables.add(new Searchable("Immunization", clinical.get("Immunization"), Map.of(
                "identifier", "IMM-" + tag,
                "vaccine-code", "http://hl7.org/fhir/sid/cvx|140",
                "status", "completed",
                "reason-code", "429060002",
                "target-disease", "6142004",
                "lot-number", "flu-" + tag,
                "series", "Seasonal 2022/23")));
        searchables.add(new Searchable("Immunization", """
                {"resourceType": "Immunization", "status": "not-done",
                 "identifier": [{"system": "https://panacea.example/immunizations", "value": "IMM-REFUSED-%s"}],
                 "statusReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                                              "code": "PATOBJ", "display": "patient objection"}]},
                 "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
                 "patient": {"reference": "Patient/%s"}, "occurrenceString": "autumn 2022"}
                """.formatted(tag, patientId), Map.of(
                "identifier", "IMM-REFUSED-" + tag,
                "status", "not-done",
                "status-reason", "http://terminology.hl7.org/CodeSystem/v3-ActReason|PATOBJ")));
        searchables.add(new Searchable("DocumentReference", clinical.get("DocumentReference"), Map.ofEntries(
                Map.entry("identifier", "https://panacea.example/documents|DOC-" + tag),
                Map.entry("type", "http://loinc.org|18842-5"),
                Map.entry("category", "clinical-note"),
                Map.entry("status", "current"),
                Map.entry("contenttype", "text/plain"),
                Map.entry("format", "urn:ihe:iti:xds:2017:mimeTypeSufficient"),
                Map.entry("language", "en-GB"),
                Map.entry("security-label", "N"),
                Map.entry("event", "80146002"),
                Map.entry("facility", "22232009"),
                Map.entry("setting", "394609007"),
                Map.entry("relation", "appends"),
                Map.entry("description", "Discharge summary after appendectomy"))));
        // The master identifier finds the document as its identifier does.
        searchables.add(new Searchable("DocumentReference", clinical.get("DocumentReference")
                .replace("DOC-" + tag, "DOC-COPY-" + tag), Map.of(
                "identifier", "https://panacea.example/documents|DOC-MASTER-" + tag)));
        searchables.add(new Searchable("CarePlan", clinical.get("CarePlan"), Map.of(
                "identifier", "CP-" + tag,
                "status", "active",
                "intent", "plan",
                "category", "assess-plan",
                "activity-code", "385949008")));
        searchables.add(new Searchable("CareTeam", clinical.get("CareTeam"), Map.of(
                "identifier", "CT-" + tag,
                "status", "active",
                "category", "http://loinc.org|LA27976-2")));
        searchables.add(new Searchable("Location", clinical.get("Location"), Map.ofEntries(
                Map.entry("identifier", "https://panacea.example/locations|LOC-" + tag),
                Map.entry("name", "ward 3b"),
                Map.entry("status", "active"),
                Map.entry("type", "HU"),
                Map.entry("operational-status", "http://terminology.hl7.org/CodeSystem/v2-0116|O"),
                Map.entry("address", "Raemistrasse 100"),
                Map.entry("address-city", "Zurich"),
                Map.entry("address-state", "ZH"),
                Map.entry("address-postalcode", "8091"),
                Map.entry("address-country", "CH"),
                Map.entry("address-use", "work"))));
        // An alias finds a location by name too.
        searchables.add(new Searchable("Location", clinical.get("Location").replace("LOC-" + tag, "LOC-ALIAS-" + tag)
                .replace("Ward 3B", "Ward 3C"), Map.of("name", "Surgical ward", "address", "zurich")));
        searchables.add(new Searchable("PractitionerRole", clinical.get("PractitionerRole"), Map.of(
                "identifier", "ROLE-" + tag,
                "role", "doctor",
                "specialty", "http://snomed.info/sct|394579002",
                "active", "true",
                "email", "g.house-" + tag + "@panacea.example",
                "phone", "+41 44 555 03 00",
                "telecom", "g.house-" + tag + "@panacea.example")));
        searchables.add(new Searchable("Group", clinical.get("Group"), Map.of(
                "identifier", "COH-" + tag,
                "type", "person",
                "actual", "true",
                "code", "49436004",
                "characteristic", "404684003",
                "exclude", "false",
                "value", "http://snomed.info/sct|49436004")));
        return searchables;
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
        searches.put("Procedure", Map.of("patient", patientId, "code", "80146002"));
        searches.put("AllergyIntolerance", Map.of("patient", patientId, "criticality", "high"));
        searches.put("DiagnosticReport", Map.of("subject", patientId, "code", "58410-2"));
        searches.put("Immunization", Map.of("patient", patientId, "vaccine-code", "140"));
        searches.put("DocumentReference", Map.of("patient", patientId, "type", "18842-5"));
        searches.put("CarePlan", Map.of("patient", patientId, "intent", "plan"));
        searches.put("CareTeam", Map.of("patient", patientId, "status", "active"));
        searches.put("Location", Map.of("address-city", "zurich"));
        searches.put("PractitionerRole", Map.of("specialty", "394579002"));
        searches.put("Group", Map.of("type", "person", "actual", "true"));
        return searches;
    }
}

package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.images.DicomImageArchive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the record store must do on every database it runs on: CRUD and search of each modelled type, validation,
 * optimistic locking under concurrent writers, duplicate identifiers, atomic bundle import of real Synthea histories,
 * access control and auditing. Subclasses name the database.
 */
abstract class RecordsContract {

    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    static final String NEXT_WEEK = java.time.LocalDate.now(ZoneOffset.UTC).plusDays(7).toString();
    static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    static final Caller NURSE = RecordsFixture.SEALS.issue("nurse.joy", Set.of(Role.NURSE), "10.0.0.8");
    static final Caller RESEARCHER = RecordsFixture.SEALS.issue("ada", Set.of(Role.RESEARCHER), "10.0.0.9");
    static final Caller ADMIN = RecordsFixture.SEALS.issue("admin", Set.of(Role.ADMIN), "10.0.0.1");

    RecordsFixture fixture;
    JpaPatientRecords records;

    abstract RecordsFixture openFixture(Clock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        fixture = openFixture(Clock.fixed(NOW, ZoneOffset.UTC));
        records = fixture.records;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    String newPatient(String family, String mrn) {
        return records.create(CLINICIAN, Samples.patient(family, "Ada", mrn)).id();
    }

    static String mrn() {
        return "MRN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ObjectNode json(StoredResource resource) {
        return FhirJson.parseObject(resource.json());
    }

    long resources() throws Exception {
        return fixture.count("PANACEA_RESOURCE");
    }

    // ------------------------------------------------------------------------------------------------------ CRUD

    @Test
    void patientCreateReadUpdateDelete() {
        String mrn = mrn();
        StoredResource created = records.create(CLINICIAN, Samples.patient("Quillfeather", "Zebediah", mrn));
        assertEquals(1, created.versionId());
        assertEquals(NOW, created.lastUpdated());
        StoredResource read = records.read(CLINICIAN, "Patient", created.id());
        ObjectNode patient = json(read);
        assertEquals(created.id(), patient.path("id").asText());
        assertEquals("1", patient.path("meta").path("versionId").asText());
        assertEquals("Quillfeather", patient.path("name").get(0).path("family").asText());
        assertEquals(mrn, patient.path("identifier").get(0).path("value").asText());

        patient.put("gender", "other");
        StoredResource updated = records.update(CLINICIAN, "Patient", created.id(), 1, patient.toString());
        assertEquals(2, updated.versionId());
        assertEquals("other", json(records.read(CLINICIAN, "Patient", created.id())).path("gender").asText());

        records.delete(CLINICIAN, "Patient", created.id());
        assertThrows(ResourceNotFoundException.class, () -> records.read(CLINICIAN, "Patient", created.id()));
        assertEquals(0, records.search(CLINICIAN, new SearchQuery("Patient", Map.of("identifier", mrn), 10, 0))
                .total(), "a deleted patient's search tokens go with it");
    }

    @Test
    void everyModelledTypeCanBeCreatedReadUpdatedSearchedAndDeleted() {
        String patientId = newPatient("Lovelace", mrn());
        Map<String, Map<String, String>> searches = Samples.searches(patientId);
        for (Map.Entry<String, String> sample : Samples.clinical(patientId).entrySet()) {
            String type = sample.getKey();
            Caller caller = Set.of("Practitioner", "Organization", "Location").contains(type) ? ADMIN : CLINICIAN;
            StoredResource created = records.create(caller, sample.getValue());
            assertEquals(type, created.resourceType());
            StoredResource read = records.read(caller, type, created.id());
            assertEquals(json(created), json(read), type + " reads back as stored");

            SearchResult found = records.search(caller, new SearchQuery(type, searches.get(type), 10, 0));
            assertEquals(1, found.total(), type + " found by " + searches.get(type));
            assertEquals(created.id(), found.matches().get(0).id());

            ObjectNode changed = json(read);
            changed.putArray("note").addObject().put("text", "checked by " + caller.name());
            StoredResource updated = records.update(caller, type, created.id(), 1, changed.toString());
            assertEquals(2, updated.versionId(), type);
            assertEquals("checked by " + caller.name(), json(records.read(caller, type, created.id()))
                    .path("note").get(0).path("text").asText());

            records.delete(caller, type, created.id());
            assertThrows(ResourceNotFoundException.class, () -> records.read(caller, type, created.id()), type);
        }
    }

    // ---------------------------------------------------------------------------------------------------- search

    @Test
    void patientsAreFoundByIdentifierFamilyAndBirthDateThroughTheBlindIndex() {
        String mrn = mrn();
        String id = newPatient("Okonkwo-" + mrn, mrn);
        newPatient("Someone-" + mrn, mrn());
        assertEquals(List.of(id), ids(search("Patient", Map.of("identifier", mrn))));
        assertEquals(List.of(id), ids(search("Patient", Map.of("identifier", "urn:oid:1.2.36.146.595.217.0.1|" + mrn))));
        assertEquals(List.of(id), ids(search("Patient", Map.of("family", "OKONKWO-" + mrn.toLowerCase()))),
                "family is matched case-insensitively");
        assertEquals(List.of(id), ids(search("Patient", Map.of("family", "Okonkwo-" + mrn, "birthdate", "1961-04-17"))));
        assertEquals(0, search("Patient", Map.of("family", "Okonkwo-" + mrn, "birthdate", "1961-04-18")).total());
        assertEquals(2, search("Patient", Map.of("family", "Okonkwo-" + mrn + ",Someone-" + mrn)).total(),
                "comma-separated values are alternatives");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> search("Patient", Map.of("shoe-size", "44")));
        assertTrue(unknown.getMessage().contains("'shoe-size' is not a search parameter of Patient"), unknown.getMessage());
    }

    @Test
    void searchPagesReportTheTotal() {
        String patientId = newPatient("Pages", mrn());
        String observation = Samples.clinical(patientId).get("Observation");
        for (int i = 0; i < 7; i++) {
            records.create(CLINICIAN, observation);
        }
        SearchResult first = records.search(CLINICIAN, new SearchQuery("Observation", Map.of("patient", patientId), 3, 0));
        SearchResult last = records.search(CLINICIAN, new SearchQuery("Observation", Map.of("patient", patientId), 3, 6));
        assertEquals(7, first.total());
        assertEquals(3, first.matches().size());
        assertEquals(1, last.matches().size());
    }

    @Test
    void everySearchParameterOfTheNewlyModelledTypesFindsItsResource() {
        String patientId = newPatient("Searchable", mrn());
        Map<String, Set<String>> covered = new HashMap<>();
        for (Samples.Searchable sample : Samples.searchables(patientId)) {
            String type = sample.type();
            String id = records.create(CLINICIAN, sample.json()).id();
            for (Map.Entry<String, String> parameter : sample.parameters().entrySet()) {
                Map<String, String> query = Map.of(parameter.getKey(), parameter.getValue());
                assertTrue(ids(search(type, query)).contains(id), type + " found by " + query);
                Map<String, String> miss = Map.of(parameter.getKey(), parameter.getValue() + "-not");
                assertFalse(ids(search(type, miss)).contains(id), type + " not found by " + miss);
                covered.computeIfAbsent(type, t -> new java.util.TreeSet<>()).add(parameter.getKey());
            }
            if (SearchParameters.patientLinked(type)) {
                assertTrue(ids(search(type, Map.of("patient", patientId))).contains(id), type + " by patient");
            } else {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> search(type, Map.of("patient", patientId)));
                assertTrue(refused.getMessage().contains("'patient' is not a search parameter of " + type),
                        refused.getMessage());
            }
        }
        for (String type : Samples.NEWLY_MODELLED) {
            assertEquals(new java.util.TreeSet<>(SearchParameters.of(type)), covered.get(type),
                    "every search parameter of " + type + " is tried");
        }
        assertEquals(Set.of("Location", "PractitionerRole", "Group"), Samples.NEWLY_MODELLED.stream()
                .filter(type -> !SearchParameters.patientLinked(type)).collect(java.util.stream.Collectors.toSet()),
                "the directory and groups are no one patient's record");
    }

    SearchResult search(String type, Map<String, String> parameters) {
        return records.search(CLINICIAN, new SearchQuery(type, parameters, 100, 0));
    }

    static List<String> ids(SearchResult result) {
        return result.matches().stream().map(StoredResource::id).toList();
    }

    // ------------------------------------------------------------------------------------------------ validation

    @Test
    void invalidResourcesAreRefusedWithTheFieldNamedAndNothingStored() throws Exception {
        String patientId = newPatient("Valid", mrn());
        long before = resources();
        assertIssue(Samples.patient("Future", "Baby", mrn()).replace("1961-04-17", NEXT_WEEK),
                "Patient.birthDate", "in the future");
        assertIssue(Samples.patient("Odd", "Gender", mrn()).replace("\"female\"", "\"f\""), "Patient.gender",
                "'f' is not one of");
        assertIssue(Samples.patient("Bad", "Date", mrn()).replace("1961-04-17", "1961-02-30"), "Patient.birthDate",
                "not a real date");
        String observation = Samples.clinical(patientId).get("Observation");
        assertIssue(observation.replace("8867-4", "8867-5"), "Observation.code.coding[0].code", "check digit");
        assertIssue(observation.replace("\"code\": \"/min\"", "\"code\": \"mm[Hg]\""), "Observation.valueQuantity.code",
                "not a unit for LOINC 8867-4");
        assertIssue(observation.replace("\"unit\": \"beats/minute\", \"system\": \"http://unitsofmeasure.org\",", "")
                .replace("\"code\": \"/min\"", "\"comparator\": \"<\""), "Observation.valueQuantity.unit", "is required");
        assertIssue(observation.replace(patientId, "no-such-patient"), "Observation.subject", "does not exist");
        String condition = Samples.clinical(patientId).get("Condition");
        assertIssue(condition.replace("49436004", "49436005"), "Condition.code.coding[0].code", "Verhoeff");
        assertIssue(condition.replace("2019-06-02", NEXT_WEEK), "Condition.onsetDateTime", "in the future");
        assertIssue(Samples.clinical(patientId).get("Encounter").replace("\"status\": \"finished\",", ""),
                "Encounter.status", "is required");
        assertEquals(before, resources(), "nothing was stored");
    }

    @Test
    void theNewlyModelledTypesAreValidatedWithTheFieldNamed() throws Exception {
        String patientId = newPatient("Checked", mrn());
        Map<String, String> valid = Samples.clinical(patientId);
        long before = resources();
        assertIssue(without(valid.get("Procedure"), "status"), "Procedure.status", "is required");
        assertIssue(without(valid.get("Procedure"), "subject"), "Procedure.subject",
                "is required: a reference to the Patient");
        assertIssue(without(valid.get("AllergyIntolerance"), "clinicalStatus"), "AllergyIntolerance.clinicalStatus",
                "is required unless verificationStatus is entered-in-error");
        assertIssue(valid.get("AllergyIntolerance").replace("\"code\": \"active\"", "\"code\": \"relapse\""),
                "AllergyIntolerance.clinicalStatus", "'relapse' is not one of");
        assertIssue(without(valid.get("DiagnosticReport"), "code"), "DiagnosticReport.code", "is required");
        assertIssue(without(valid.get("Immunization"), "occurrenceDateTime"), "Immunization.occurrence[x]",
                "is required");
        assertIssue(without(valid.get("Immunization"), "vaccineCode"), "Immunization.vaccineCode", "is required");
        ObjectNode noContent = FhirJson.parseObject(valid.get("DocumentReference"));
        noContent.putArray("content");
        assertIssue(noContent.toString(), "DocumentReference.content", "is required: at least one content");
        assertIssue(valid.get("DocumentReference").replace("\"contentType\": \"text/plain\", ", ""),
                "DocumentReference.content[0].attachment.contentType", "is required when data is given");
        assertIssue(valid.get("CarePlan").replace("\"intent\": \"plan\"", "\"intent\": \"maybe\""),
                "CarePlan.intent", "'maybe' is not one of");
        assertIssue(valid.get("CareTeam").replace("\"status\": \"active\"", "\"status\": \"busy\""),
                "CareTeam.status", "'busy' is not one of");
        assertIssue(valid.get("Location").replace("47.3769", "147.3769"), "Location.position.latitude",
                "is outside -90 to 90");
        assertIssue(valid.get("PractitionerRole").replace("\"description\": \"Sabbatical\", ", ""),
                "PractitionerRole.notAvailable[0].description", "is required");
        assertIssue(valid.get("Group").replace("\"actual\": true", "\"actual\": false"), "Group.member",
                "is allowed only when actual is true");
        assertIssue(valid.get("Group").replace("Patient/" + patientId, "Practitioner/" + patientId),
                "Group.member[0].entity.reference", "must refer to Group/{id} or Patient/{id}");
        assertEquals(before, resources(), "nothing was stored");
    }

    /** {@code json} without its top-level {@code field}. */
    static String without(String json, String field) {
        ObjectNode resource = FhirJson.parseObject(json);
        assertTrue(resource.has(field), field);
        resource.remove(field);
        return resource.toString();
    }

    @Test
    void aSecondPatientWithTheSameIdentifierIsRefused() throws Exception {
        String mrn = mrn();
        String first = newPatient("First", mrn);
        InvalidResourceException duplicate = assertThrows(InvalidResourceException.class,
                () -> records.create(CLINICIAN, Samples.patient("Second", "Person", mrn)));
        assertTrue(duplicate.getMessage().contains("is already used by Patient/" + first), duplicate.getMessage());
    }

    @Test
    void concurrentCreatesWithOneIdentifierStoreExactlyOnePatient() throws Exception {
        String mrn = mrn();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String family = "Racer" + i;
                results.add(pool.submit(() -> {
                    try {
                        records.create(CLINICIAN, Samples.patient(family, "Same", mrn));
                        return true;
                    } catch (InvalidResourceException e) {
                        return false;
                    }
                }));
            }
            int stored = 0;
            for (Future<Boolean> result : results) {
                stored += result.get() ? 1 : 0;
            }
            assertEquals(1, stored);
            assertEquals(1, search("Patient", Map.of("identifier", mrn)).total());
        } finally {
            pool.shutdownNow();
        }
    }

    void assertIssue(String json, String path, String words) {
        InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> records.create(CLINICIAN, json));
        assertTrue(e.issues().stream().anyMatch(issue -> issue.path().equals(path) && issue.message().contains(words)),
                () -> "expected an issue at " + path + " saying '" + words + "', got " + e.issues());
    }

    @Test
    void malformedJsonIsRefusedWithItsPosition() throws Exception {
        long before = resources();
        InvalidResourceException e = assertThrows(InvalidResourceException.class,
                () -> records.create(CLINICIAN, "{\"resourceType\": \"Patient\", \"name\": [}"));
        assertTrue(e.getMessage().contains("malformed JSON at line 1"), e.getMessage());
        InvalidResourceException duplicateKey = assertThrows(InvalidResourceException.class,
                () -> records.create(CLINICIAN, "{\"resourceType\": \"Patient\", \"gender\": \"male\", \"gender\": \"female\"}"));
        assertTrue(duplicateKey.getMessage().contains("Duplicate field 'gender'"), duplicateKey.getMessage());
        InvalidResourceException unmodelled = assertThrows(InvalidResourceException.class,
                () -> records.create(CLINICIAN, "{\"resourceType\": \"Claim\"}"));
        assertTrue(unmodelled.getMessage().contains("not a type Panacea models"), unmodelled.getMessage());
        assertEquals(before, resources());
    }

    // ----------------------------------------------------------------------------------------- optimistic locking

    @Test
    void aStaleUpdateIsRefusedNotLost() {
        String id = newPatient("Stale", mrn());
        ObjectNode a = json(records.read(CLINICIAN, "Patient", id));
        ObjectNode b = a.deepCopy();
        a.put("gender", "male");
        records.update(CLINICIAN, "Patient", id, 1, a.toString());
        b.put("gender", "unknown");
        VersionConflictException conflict = assertThrows(VersionConflictException.class,
                () -> records.update(CLINICIAN, "Patient", id, 1, b.toString()));
        assertTrue(conflict.getMessage().contains("is at version 2, not 1"), conflict.getMessage());
        assertEquals("male", json(records.read(CLINICIAN, "Patient", id)).path("gender").asText());
    }

    @Test
    void concurrentWritersOnOnePatientLoseNoUpdate() throws Exception {
        String id = newPatient("Busy", mrn());
        int writers = 6;
        int changesEach = 4;
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(() -> {
                    for (int c = 0; c < changesEach; c++) {
                        while (true) {
                            StoredResource current = records.read(CLINICIAN, "Patient", id);
                            ObjectNode patient = json(current);
                            patient.withArray("telecom").addObject().put("system", "email")
                                    .put("value", "writer" + writer + "-change" + c + "@example.org");
                            try {
                                records.update(CLINICIAN, "Patient", id, current.versionId(), patient.toString());
                                break;
                            } catch (VersionConflictException e) {
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ObjectNode patient = json(records.read(CLINICIAN, "Patient", id));
        assertEquals(1 + writers * changesEach, patient.path("telecom").size(), "every change survived");
        assertEquals(String.valueOf(1 + writers * changesEach), patient.path("meta").path("versionId").asText());
        assertTrue(conflicts.get() > 0, "the writers did collide, and the collisions were refused");
    }

    // ---------------------------------------------------------------------------------------------------- bundles

    static String resource(String name) throws Exception {
        try (InputStream in = RecordsContract.class.getResourceAsStream("/fhir/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void realSyntheaHistoriesImportWhole() throws Exception {
        String bundle = resource("synthea-leonardo.json");
        JsonNode entries = FhirJson.parseObject(bundle).path("entry");
        BundleOutcome outcome = records.importBundle(CLINICIAN, bundle);
        assertEquals(entries.size(), outcome.stored().size(), "every entry stored");
        Map<String, Integer> opaqueTypes = new HashMap<>();
        outcome.keptOpaque().forEach(ref -> opaqueTypes.merge(ref.substring(0, ref.indexOf('/')), 1, Integer::sum));
        assertEquals(Set.of("Claim", "ExplanationOfBenefit", "SupplyDelivery", "Medication",
                "MedicationAdministration", "Provenance"), opaqueTypes.keySet());
        assertTrue(outcome.createdByCondition().stream().anyMatch(ref -> ref.startsWith("Organization/")));
        assertTrue(outcome.createdByCondition().stream().anyMatch(ref -> ref.startsWith("Practitioner/")));

        String patientRef = outcome.stored().values().stream().filter(ref -> ref.startsWith("Patient/")).findFirst()
                .orElseThrow();
        String patientId = patientRef.substring("Patient/".length());
        SearchResult observations = records.search(CLINICIAN, new SearchQuery("Observation",
                Map.of("patient", patientId), 1000, 0));
        assertEquals(178, observations.total());
        for (StoredResource observation : observations.matches()) {
            assertEquals(patientRef, json(observation).path("subject").path("reference").asText());
        }
        SearchResult claims = records.search(CLINICIAN, new SearchQuery("Claim", Map.of("patient", patientId), 100, 0));
        assertEquals(27, claims.total(), "opaque resources are linked to their patient");
        assertFalse(resource("synthea-leonardo.json").isEmpty());
        String storedJson = claims.matches().get(0).json();
        assertFalse(storedJson.contains("urn:uuid:"), "references rewritten");
        assertFalse(storedJson.contains("?identifier="), "conditional references resolved");

        // A second patient from the same hospitals reuses the organizations the first import created.
        BundleOutcome second = records.importBundle(CLINICIAN, resource("synthea-lavern.json"));
        assertEquals(206, second.stored().size());
        assertTrue(second.createdByCondition().size() < outcome.createdByCondition().size() + 10);
        // Importing the same history again would duplicate the patient: refused whole, nothing stored.
        long before = resources();
        InvalidResourceException again = assertThrows(InvalidResourceException.class,
                () -> records.importBundle(CLINICIAN, bundle));
        assertTrue(again.getMessage().contains("is already used by Patient/" + patientId), again.getMessage());
        assertEquals(before, resources());
    }

    @Test
    void aBundleWithOneBadEntryStoresNothingAndNamesTheEntry() throws Exception {
        ObjectNode bundle = FhirJson.parseObject(resource("synthea-lavern.json"));
        int bad = 0;
        while (!bundle.path("entry").get(bad).path("resource").path("resourceType").asText().equals("Observation")) {
            bad++;
        }
        ((ObjectNode) bundle.path("entry").get(bad).path("resource")).put("status", "sort-of-final");
        long before = resources();
        InvalidResourceException e = assertThrows(InvalidResourceException.class,
                () -> records.importBundle(CLINICIAN, bundle.toString()));
        assertTrue(e.getMessage().startsWith("Bundle.entry[" + bad + "].resource.Observation.status"), e.getMessage());
        assertEquals(before, resources());
    }

    @Test
    void theSyntheticDemoCohortPassesValidationAndIsReproducible() throws Exception {
        var first = new org.panacea.records.internal.demo.SyntheticPatients(7, java.time.LocalDate.now(ZoneOffset.UTC));
        var again = new org.panacea.records.internal.demo.SyntheticPatients(7, java.time.LocalDate.now(ZoneOffset.UTC));
        assertEquals(first.nextBundle(1), again.nextBundle(1), "the same seed gives the same patient");
        int loaded = org.panacea.records.internal.demo.DemoData.load(records, CLINICIAN, 25, 99, done -> { });
        assertEquals(25, loaded);
        assertEquals(25, search("Patient", Map.of()).total());
        assertEquals(1, search("Patient", Map.of("identifier", "https://panacea.example/fhir/sid/mrn|DEMO-9900001"))
                .total(), "demo MRNs carry the seed, so two seeds never collide");
        assertTrue(search("Observation", Map.of("code", "http://loinc.org|8867-4")).total() >= 50,
                "every encounter records a heart rate");
        assertTrue(search("Condition", Map.of()).total() > 0);
        assertTrue(search("Encounter", Map.of()).total() >= 50);
    }

    // ----------------------------------------------------------------------------------------------- image archive

    static byte[] dicom(String name) throws Exception {
        try (InputStream in = RecordsContract.class.getResourceAsStream("/dicom/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void dicomFilesAreFiledUnderTheirPatientAndStudyAndReadBackExactly() throws Exception {
        DicomImageArchive archive = fixture.archive();
        byte[] ct = dicom("CT_small.dcm");
        var stored = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct));
        assertEquals("CT", stored.modality());
        assertEquals(128, stored.width());
        assertEquals(1, stored.frames());
        assertFalse(stored.derived());

        ObjectNode patient = json(records.read(CLINICIAN, "Patient", stored.patientId()));
        assertEquals("CompressedSamples", patient.path("name").get(0).path("family").asText());
        ObjectNode study = json(records.read(CLINICIAN, "ImagingStudy", stored.imagingStudyId()));
        assertEquals("Patient/" + stored.patientId(), study.path("subject").path("reference").asText());
        assertEquals(stored.sopInstanceUid(), study.path("series").get(0).path("instance").get(0).path("uid").asText());

        var direct = new org.panacea.dicom.read.DicomReader().read(new java.io.ByteArrayInputStream(ct), ct.length);
        var loaded = archive.load(CLINICIAN, stored.sopInstanceUid(), 0);
        assertTrue(java.util.Arrays.equals(((org.panacea.api.imaging.Pixels.Gray16) direct.frame(0).pixels()).values(),
                ((org.panacea.api.imaging.Pixels.Gray16) loaded.pixels()).values()), "pixels read back exactly");
        assertEquals(-1024, loaded.metadata().rescaleIntercept(), 0);
        var retrieved = new java.io.ByteArrayOutputStream();
        archive.retrieve(CLINICIAN, stored.sopInstanceUid(), retrieved);
        assertTrue(java.util.Arrays.equals(ct, retrieved.toByteArray()), "the file comes back as it was received");

        long before = resources();
        var again = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct));
        assertEquals(stored, again, "a second copy is acknowledged, not stored twice");
        assertEquals(before, resources());

        // A derived image joins the study in a series of its own, linked to its source.
        var blurred = new org.panacea.api.imaging.Image(128, 128, new org.panacea.api.imaging.Pixels.Float32(
                new float[128 * 128]), loaded.metadata());
        var derived = archive.storeDerived(CLINICIAN, stored.sopInstanceUid(), blurred, "imaging.test 1.0.0 {}");
        assertEquals(stored.sopInstanceUid(), derived.derivedFrom());
        assertEquals(stored.imagingStudyId(), derived.imagingStudyId());
        assertEquals(2, json(records.read(CLINICIAN, "ImagingStudy", stored.imagingStudyId())).path("series").size());
        assertEquals(128 * 128, archive.load(CLINICIAN, derived.sopInstanceUid(), 0).pixels().length());
        assertThrows(IllegalArgumentException.class, () -> archive.retrieve(CLINICIAN, derived.sopInstanceUid(),
                new java.io.ByteArrayOutputStream()));
        // How a derived image's samples display is kept with it (a result in the units of a MONOCHROME1 source).
        assertEquals("MONOCHROME2", archive.load(CLINICIAN, derived.sopInstanceUid(), 0).metadata()
                .photometricInterpretation());
        var inverted = archive.storeDerived(CLINICIAN, stored.sopInstanceUid(), new org.panacea.api.imaging.Image(
                128, 128, blurred.pixels(), loaded.metadata().withPhotometricInterpretation("MONOCHROME1")),
                "imaging.test 1.0.0 {}");
        assertEquals("MONOCHROME1", archive.load(CLINICIAN, inverted.sopInstanceUid(), 0).metadata()
                .photometricInterpretation());
        assertThrows(IllegalArgumentException.class, () -> archive.load(CLINICIAN, stored.sopInstanceUid(), 1));
        assertThrows(AccessDeniedException.class, () -> archive.load(RESEARCHER, stored.sopInstanceUid(), 0));

        // A study retrieved in one go: the received instance byte for byte, the derived ones left out, one audit
        // entry for the patient, and nothing for a caller who may not read images.
        int auditedBefore = fixture.audit.events().size();
        List<byte[]> parts = new java.util.ArrayList<>();
        int sent = archive.retrieveAll(CLINICIAN, List.of(stored.sopInstanceUid(), derived.sopInstanceUid(),
                inverted.sopInstanceUid()), (instance, content) -> {
                    assertEquals(stored.sopInstanceUid(), instance.sopInstanceUid());
                    parts.add(content.readAllBytes());
                });
        assertEquals(1, sent);
        assertTrue(java.util.Arrays.equals(ct, parts.get(0)), "the file comes back as it was received");
        List<AuditEvent> audited = fixture.audit.events().subList(auditedBefore, fixture.audit.events().size());
        assertEquals(1, audited.size(), audited::toString);
        assertEquals(AuditAction.READ, audited.get(0).action());
        assertEquals(stored.patientId(), audited.get(0).patientId());
        assertThrows(AccessDeniedException.class, () -> archive.retrieveAll(RESEARCHER,
                List.of(stored.sopInstanceUid()), (instance, content) -> fail("a researcher was sent an image")));
    }

    @Test
    void algorithmResultsBecomeDicomSegmentationsAndParametricMapsOfTheSourcesStudy() throws Exception {
        DicomImageArchive archive = fixture.archive();
        byte[] ct = dicom("CT_small.dcm");
        var stored = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct));
        var source = archive.load(CLINICIAN, stored.sopInstanceUid(), 0);
        byte[] mask = new byte[128 * 128];
        float[] real = new float[128 * 128];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = source.pixels().sample(i) > 1100 ? (byte) 255 : 0;
            real[i] = (float) (source.pixels().sample(i) / 3.0);
        }
        var derivation = new org.panacea.api.imaging.Derivation("imaging.threshold", "1.0.0", "Threshold",
                "lower=100", "", 0, List.of(new org.panacea.api.imaging.Measurement("foreground_pixels", 42, "")),
                List.of());
        var meta = source.metadata();
        var maskImage = new org.panacea.api.imaging.Image(128, 128, new org.panacea.api.imaging.Pixels.Gray8(mask),
                new org.panacea.api.imaging.ImageMetadata(meta.modality(), meta.rowSpacing(), meta.columnSpacing(), 1,
                        0, "", Double.NaN, Double.NaN, 8, meta.sourceInstanceUid()));
        int auditedBefore = fixture.audit.events().size();

        var seg = archive.storeDerived(CLINICIAN, stored.sopInstanceUid(), maskImage, derivation);
        assertEquals("SEG", seg.modality());
        assertEquals(stored.sopInstanceUid(), seg.derivedFrom());
        assertEquals(stored.studyInstanceUid(), seg.studyInstanceUid());
        assertEquals(stored.patientId(), seg.patientId(), "filed under the source's patient");
        assertFalse(stored.seriesInstanceUid().equals(seg.seriesInstanceUid()), "a series of its own");
        assertTrue(fixture.audit.events().subList(auditedBefore, fixture.audit.events().size()).stream()
                .anyMatch(e -> e.action() == AuditAction.CREATE && e.details().contains("derived DICOM instance")),
                "audited as a write");

        var file = new java.io.ByteArrayOutputStream();
        archive.retrieve(CLINICIAN, seg.sopInstanceUid(), file);
        var read = new org.panacea.dicom.read.DicomReader().read(new java.io.ByteArrayInputStream(file.toByteArray()),
                file.size());
        assertEquals("1.2.840.10008.5.1.4.1.1.66.4", read.instance().sopClassUid());
        assertEquals("CompressedSamples^CT1", read.patient().name(), "the source's patient, as stored");
        byte[] bits = ((org.panacea.api.imaging.Pixels.Gray8) archive.load(CLINICIAN, seg.sopInstanceUid(), 0)
                .pixels()).values();
        for (int i = 0; i < mask.length; i++) {
            assertEquals(mask[i] != 0 ? 1 : 0, bits[i], "pixel " + i);
        }

        var map = archive.storeDerived(CLINICIAN, stored.sopInstanceUid(), new org.panacea.api.imaging.Image(128, 128,
                new org.panacea.api.imaging.Pixels.Float32(real), meta), derivation);
        var loaded = archive.load(CLINICIAN, map.sopInstanceUid(), 0);
        assertTrue(java.util.Arrays.equals(real, ((org.panacea.api.imaging.Pixels.Float32) loaded.pixels()).values()),
                "float samples back bit for bit");
        assertEquals(-1024, loaded.metadata().rescaleIntercept(), 0);
        assertEquals("HU", loaded.metadata().rescaleUnit());
        assertEquals(3, json(records.read(CLINICIAN, "ImagingStudy", stored.imagingStudyId())).path("series").size());

        // Derived instances are DICOM like any other: a study retrieved in one go carries them.
        List<String> sent = new java.util.ArrayList<>();
        archive.retrieveAll(CLINICIAN, List.of(stored.sopInstanceUid(), seg.sopInstanceUid(), map.sopInstanceUid()),
                (instance, content) -> sent.add(instance.sopInstanceUid()));
        assertEquals(List.of(stored.sopInstanceUid(), seg.sopInstanceUid(), map.sopInstanceUid()), sent);
        assertThrows(AccessDeniedException.class, () -> archive.storeDerived(RESEARCHER, stored.sopInstanceUid(),
                maskImage, derivation));
    }

    @Test
    void aMalformedDicomFileStoresNothing() throws Exception {
        DicomImageArchive archive = fixture.archive();
        long before = resources();
        long chunks = fixture.count("PANACEA_BINARY_CHUNK");
        var refused = assertThrows(org.panacea.api.imaging.InvalidImageException.class,
                () -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(dicom("MR_truncated.dcm"))));
        assertTrue(refused.getMessage().contains("(7FE0,0010)"), refused.getMessage());
        assertEquals(before, resources());
        assertEquals(chunks, fixture.count("PANACEA_BINARY_CHUNK"));
    }

    /**
     * A real file whose Patient's Sex is 'Falso': stored leniently as received, with the warning naming the element,
     * the patient's gender unknown, the audit naming the element but never the value; refused strictly, with nothing
     * stored.
     */
    @Test
    void aFileWithAnInvalidSexIsStoredAsReceivedWithAWarningOrRefusedWhenStrict() throws Exception {
        DicomImageArchive archive = fixture.archive();
        byte[] falso = dicom("CT_small_sex_falso.dcm");
        long resourcesBefore = resources();
        InvalidImageException refused = assertThrows(InvalidImageException.class, () -> archive.store(CLINICIAN,
                new java.io.ByteArrayInputStream(falso), org.panacea.api.imaging.ValueChecking.STRICT));
        assertTrue(refused.getMessage().contains("Patient's Sex (0010,0040)"), refused.getMessage());
        assertEquals(resourcesBefore, resources(), "nothing stored");
        assertEquals(0, fixture.count("PANACEA_IMAGE_INSTANCE"));

        int auditedBefore = fixture.audit.events().size();
        var stored = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(falso),
                org.panacea.api.imaging.ValueChecking.LENIENT);
        assertEquals("1.2.840.10008.5.1.4.1.1.2", stored.sopClassUid());
        assertEquals(1, stored.warnings().size());
        assertEquals("(0010,0040)", stored.warnings().get(0).element());
        assertEquals("Falso", stored.warnings().get(0).received());
        ObjectNode patient = json(records.read(CLINICIAN, "Patient", stored.instance().patientId()));
        assertEquals("unknown", patient.path("gender").asText());
        var retrieved = new java.io.ByteArrayOutputStream();
        archive.retrieve(CLINICIAN, stored.instance().sopInstanceUid(), retrieved);
        assertTrue(java.util.Arrays.equals(falso, retrieved.toByteArray()), "kept as received, 'Falso' and all");
        assertEquals(128, archive.load(CLINICIAN, stored.instance().sopInstanceUid(), 0).width());
        List<AuditEvent> audited = fixture.audit.events().subList(auditedBefore, fixture.audit.events().size());
        assertTrue(audited.stream().anyMatch(e -> String.valueOf(e.details()).contains(
                "values stored as received: (0010,0040)")), audited.toString());
        assertTrue(audited.stream().noneMatch(e -> String.valueOf(e.details()).contains("Falso")), audited.toString());
    }

    /**
     * What several nodes (or threads) storing one new study at once must end with: every store succeeds, and the
     * patient and the study exist once, the study listing every instance in its series. The database decides who
     * creates them; the others file under what the winner created.
     */
    @Test
    void parallelStoresOfOneNewStudyEndInOnePatientAndOneStudyListingEveryInstance() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(dicom("CT_small.dcm"));
        String patient = ct.newPatientId();
        String study = DicomVariants.newUid(ct.original().study().instanceUid());
        List<String> series = List.of(DicomVariants.newUid(ct.original().series().instanceUid()),
                DicomVariants.newUid(ct.original().series().instanceUid()));
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add(ct.with(patient, study, series.get(i % 2),
                    DicomVariants.newUid(ct.original().instance().sopInstanceUid())));
        }
        List<ArchivedInstance> stored = atOnce(files.size(),
                i -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(files.get(i))));

        assertEquals(1, stored.stream().map(ArchivedInstance::patientId).distinct().count(), stored.toString());
        assertEquals(1, stored.stream().map(ArchivedInstance::imagingStudyId).distinct().count(), stored.toString());
        assertEquals(1, search("Patient", Map.of("identifier", ImageArchive.DICOM_PATIENT_ID_SYSTEM + "|" + patient))
                .total());
        assertEquals(1, search("ImagingStudy", Map.of("identifier", "urn:ietf:rfc:3986|urn:oid:" + study)).total());
        ObjectNode listing = json(records.read(CLINICIAN, "ImagingStudy", stored.get(0).imagingStudyId()));
        assertEquals(8, listing.path("numberOfInstances").asInt(), listing.toString());
        assertEquals(2, listing.path("series").size(), listing.toString());
        for (JsonNode one : listing.path("series")) {
            assertEquals(4, one.path("instance").size(), one.toString());
        }
        assertEquals(2, fixture.count("PANACEA_RESOURCE"), "one patient and one study");
        assertEquals(8, fixture.count("PANACEA_IMAGE_INSTANCE"));
    }

    /**
     * Copies of one new instance stored at once are each acknowledged as the one stored instance; new studies of one
     * new patient stored at once each get their study, under one patient.
     */
    @Test
    void parallelCopiesAreStoredOnceAndParallelNewStudiesShareTheirNewPatient() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants mr = new DicomVariants(dicom("MR_small.dcm"));
        DicomInstance original = mr.original();
        byte[] copy = mr.with(mr.newPatientId(), DicomVariants.newUid(original.study().instanceUid()),
                DicomVariants.newUid(original.series().instanceUid()),
                DicomVariants.newUid(original.instance().sopInstanceUid()));
        List<ArchivedInstance> copies = atOnce(6, i -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(copy)));
        assertEquals(1, copies.stream().distinct().count(), copies.toString());
        assertEquals(1, fixture.count("PANACEA_IMAGE_INSTANCE"));
        assertEquals(1, json(records.read(CLINICIAN, "ImagingStudy", copies.get(0).imagingStudyId()))
                .path("numberOfInstances").asInt());

        String patient = mr.newPatientId();
        List<byte[]> studies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            studies.add(mr.with(patient, DicomVariants.newUid(original.study().instanceUid()),
                    DicomVariants.newUid(original.series().instanceUid()),
                    DicomVariants.newUid(original.instance().sopInstanceUid())));
        }
        List<ArchivedInstance> stored = atOnce(studies.size(),
                i -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(studies.get(i))));
        assertEquals(1, stored.stream().map(ArchivedInstance::patientId).distinct().count(), stored.toString());
        assertEquals(6, stored.stream().map(ArchivedInstance::imagingStudyId).distinct().count(), stored.toString());
        assertEquals(1, search("Patient", Map.of("identifier", ImageArchive.DICOM_PATIENT_ID_SYSTEM + "|" + patient))
                .total());
        assertEquals(2 + 1 + 6, fixture.count("PANACEA_RESOURCE"), "two patients, one study, then six studies");
    }

    /**
     * Deleting an ImagingStudy takes its images with it (received files, derived images and their sealed bytes), and
     * only its own: the same file sent again afterwards is stored anew, in a new study, and reads back exactly.
     */
    @Test
    void deletingAStudyRemovesItsImagesAndTheirSealedBytesAndNothingElse() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(dicom("CT_small.dcm"));
        DicomInstance original = ct.original();
        String patient = ct.newPatientId();
        String series = DicomVariants.newUid(original.series().instanceUid());
        String study = DicomVariants.newUid(original.study().instanceUid());
        byte[] file = ct.with(patient, study, series, DicomVariants.newUid(original.instance().sopInstanceUid()));
        ArchivedInstance first = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(file));
        ArchivedInstance second = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                series, DicomVariants.newUid(original.instance().sopInstanceUid()))));
        var loaded = archive.load(CLINICIAN, first.sopInstanceUid(), 0);
        ArchivedInstance derived = archive.storeDerived(CLINICIAN, first.sopInstanceUid(),
                new org.panacea.api.imaging.Image(128, 128, new org.panacea.api.imaging.Pixels.Float32(
                        new float[128 * 128]), loaded.metadata()), "imaging.test 1.0.0 {}");
        // Another study of the same patient, which must stay whole.
        ArchivedInstance other = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient,
                DicomVariants.newUid(original.study().instanceUid()), DicomVariants.newUid(original.series()
                        .instanceUid()), DicomVariants.newUid(original.instance().sopInstanceUid()))));
        assertEquals(first.imagingStudyId(), derived.imagingStudyId());
        long instances = fixture.count("PANACEA_IMAGE_INSTANCE");
        long chunks = fixture.count("PANACEA_BINARY_CHUNK");

        records.delete(CLINICIAN, "ImagingStudy", first.imagingStudyId());

        assertEquals(instances - 3, fixture.count("PANACEA_IMAGE_INSTANCE"), "both files and the derived image");
        assertTrue(fixture.count("PANACEA_BINARY_CHUNK") <= chunks - 3, "their sealed bytes too");
        for (ArchivedInstance gone : List.of(first, second, derived)) {
            assertThrows(ResourceNotFoundException.class, () -> archive.retrieve(CLINICIAN, gone.sopInstanceUid(),
                    new java.io.ByteArrayOutputStream()), gone.sopInstanceUid());
        }
        AuditEvent deleted = fixture.audit.events().get(fixture.audit.events().size() - 1);
        assertEquals(AuditAction.DELETE, deleted.action());
        assertTrue(deleted.details().contains("its images removed (3 instance(s), "), deleted.details());
        var kept = new java.io.ByteArrayOutputStream();
        archive.retrieve(CLINICIAN, other.sopInstanceUid(), kept);
        assertTrue(kept.size() > 0, "the patient's other study keeps its image");

        ArchivedInstance again = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(file));
        assertNotEquals(first.imagingStudyId(), again.imagingStudyId(), "stored anew, not found in the deleted study");
        var back = new java.io.ByteArrayOutputStream();
        archive.retrieve(CLINICIAN, again.sopInstanceUid(), back);
        assertTrue(java.util.Arrays.equals(file, back.toByteArray()));
        assertEquals(1, json(records.read(CLINICIAN, "ImagingStudy", again.imagingStudyId())).path("numberOfInstances")
                .asInt());
    }

    /**
     * An instance stored into an existing study is a row of its own: the ImagingStudy's sealed resource is not
     * rewritten (no new version, nothing joins its history), yet every reader lists the instance, counted, and its
     * modality is searchable.
     */
    @Test
    void anInstanceAddedToAStudyIsListedWhenTheStudyIsReadWithoutANewVersion() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(dicom("CT_small.dcm"));
        DicomInstance original = ct.original();
        String patient = ct.newPatientId();
        String study = DicomVariants.newUid(original.study().instanceUid());
        String firstSeries = DicomVariants.newUid(original.series().instanceUid());
        ArchivedInstance first = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                firstSeries, DicomVariants.newUid(original.instance().sopInstanceUid()))));
        String secondSeries = DicomVariants.newUid(original.series().instanceUid());
        String added = DicomVariants.newUid(original.instance().sopInstanceUid());
        int auditedBefore = fixture.audit.events().size();
        ArchivedInstance second = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                secondSeries, added)));
        assertEquals(first.imagingStudyId(), second.imagingStudyId());
        List<AuditEvent> storeEntries = fixture.audit.events().subList(auditedBefore, fixture.audit.events().size());
        assertTrue(storeEntries.stream().anyMatch(e -> e.action() == AuditAction.UPDATE
                && e.resourceId().equals(first.imagingStudyId()) && e.details().equals("instance added from a DICOM "
                        + "file")), "the study's entry, as when the study was rewritten: " + storeEntries);
        assertTrue(storeEntries.stream().anyMatch(e -> e.action() == AuditAction.CREATE
                && e.details().startsWith("DICOM instance stored")), storeEntries.toString());

        String id = first.imagingStudyId();
        ObjectNode read = json(records.read(CLINICIAN, "ImagingStudy", id));
        assertEquals("1", read.path("meta").path("versionId").asText(), "an instance does not version the study");
        assertEquals(2, read.path("numberOfSeries").asInt(), read.toString());
        assertEquals(2, read.path("numberOfInstances").asInt(), read.toString());
        JsonNode listed = read.path("series").get(1);
        assertEquals(secondSeries, listed.path("uid").asText());
        assertEquals("CT", listed.path("modality").path("code").asText());
        assertEquals(1, listed.path("numberOfInstances").asInt());
        assertEquals(added, listed.path("instance").get(0).path("uid").asText());
        assertEquals("urn:oid:1.2.840.10008.5.1.4.1.1.2", listed.path("instance").get(0).path("sopClass")
                .path("code").asText());
        assertEquals(0, fixture.count("PANACEA_RESOURCE_VERSION"), "the study was not rewritten");
        assertEquals(read, json(records.readVersion(CLINICIAN, "ImagingStudy", id, 1)), "vread of the current version");
        SearchResult found = search("ImagingStudy", Map.of("identifier", "urn:ietf:rfc:3986|urn:oid:" + study));
        assertEquals(1, found.total());
        assertEquals(2, json(found.matches().get(0)).path("numberOfInstances").asInt(), "search lists it too");
        assertEquals(1, records.history(CLINICIAN, "ImagingStudy", id, null, 10, 0).total());
    }

    /**
     * A store is answered only once its audit entries are durable: the archive hands them to the trail without waiting
     * and awaits them before its own commit. When the trail cannot commit them, the store is refused and nothing of
     * the instance is kept (no instance row, no chunk, no new study), into an existing study as into a new one; once
     * the trail commits again, the same instance is stored.
     */
    @Test
    void aStoreWhoseAuditEntriesCannotBeMadeDurableIsRefusedAndKeepsNothing() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(dicom("CT_small.dcm"));
        DicomInstance original = ct.original();
        String patient = ct.newPatientId();
        String study = DicomVariants.newUid(original.study().instanceUid());
        String series = DicomVariants.newUid(original.series().instanceUid());
        ArchivedInstance first = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                series, DicomVariants.newUid(original.instance().sopInstanceUid()))));
        long instances = fixture.count("PANACEA_IMAGE_INSTANCE");
        long chunks = fixture.count("PANACEA_BINARY_CHUNK");
        long stored = resources();
        int submissions = fixture.audit.submissions();
        int audited = fixture.audit.events().size();

        fixture.audit.failingCommits(true);
        String added = DicomVariants.newUid(original.instance().sopInstanceUid());
        assertThrows(AuditException.class, () -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(
                patient, study, series, added))), "into the existing study");
        String inNewStudy = DicomVariants.newUid(original.instance().sopInstanceUid());
        assertThrows(AuditException.class, () -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(
                patient, DicomVariants.newUid(study), DicomVariants.newUid(series), inNewStudy))), "into a new study");

        assertEquals(submissions + 2, fixture.audit.submissions(), "each store handed its entries to the trail");
        assertEquals(instances, fixture.count("PANACEA_IMAGE_INSTANCE"), "no instance kept");
        assertEquals(chunks, fixture.count("PANACEA_BINARY_CHUNK"), "no pixel data kept");
        assertEquals(stored, resources(), "no new study kept");
        assertEquals(audited, fixture.audit.events().size(), "nothing audited as stored");
        assertThrows(ResourceNotFoundException.class, () -> archive.describe(CLINICIAN, added));
        assertThrows(ResourceNotFoundException.class, () -> archive.describe(CLINICIAN, inNewStudy));

        fixture.audit.failingCommits(false);
        ArchivedInstance again = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                series, added)));
        assertEquals(first.imagingStudyId(), again.imagingStudyId());
        assertEquals(instances + 1, fixture.count("PANACEA_IMAGE_INSTANCE"));
        assertTrue(fixture.audit.events().subList(audited, fixture.audit.events().size()).stream().anyMatch(e ->
                e.action() == AuditAction.CREATE && e.details().startsWith("DICOM instance stored")),
                "the store that succeeded is audited");
    }

    /**
     * Stores of one existing study no longer wait for each other on the study: many at once, over several series,
     * each listed exactly once (no lost update), and the study still one resource of version 1.
     */
    @Test
    void parallelStoresIntoOneStudyAreAllListedOnce() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(dicom("CT_small.dcm"));
        DicomInstance original = ct.original();
        String patient = ct.newPatientId();
        String study = DicomVariants.newUid(original.study().instanceUid());
        List<String> series = List.of(DicomVariants.newUid(original.series().instanceUid()),
                DicomVariants.newUid(original.series().instanceUid()),
                DicomVariants.newUid(original.series().instanceUid()));
        ArchivedInstance first = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(ct.with(patient, study,
                series.get(0), DicomVariants.newUid(original.instance().sopInstanceUid()))));
        List<byte[]> files = new ArrayList<>();
        Set<String> uids = new java.util.HashSet<>(Set.of(first.sopInstanceUid()));
        for (int i = 0; i < 12; i++) {
            String uid = DicomVariants.newUid(original.instance().sopInstanceUid());
            uids.add(uid);
            files.add(ct.with(patient, study, series.get(i % 3), uid));
        }
        List<ArchivedInstance> stored = atOnce(files.size(),
                i -> archive.store(CLINICIAN, new java.io.ByteArrayInputStream(files.get(i))));
        assertEquals(Set.of(first.imagingStudyId()), stored.stream().map(ArchivedInstance::imagingStudyId)
                .collect(java.util.stream.Collectors.toSet()));

        ObjectNode listing = json(records.read(CLINICIAN, "ImagingStudy", first.imagingStudyId()));
        assertEquals(13, listing.path("numberOfInstances").asInt(), listing.toString());
        assertEquals(3, listing.path("numberOfSeries").asInt(), listing.toString());
        List<String> listed = new ArrayList<>();
        for (JsonNode one : listing.path("series")) {
            assertEquals(one.path("instance").size(), one.path("numberOfInstances").asInt(), one.toString());
            one.path("instance").forEach(instance -> listed.add(instance.path("uid").asText()));
        }
        assertEquals(13, listed.size(), "no instance listed twice: " + listed);
        assertEquals(uids, Set.copyOf(listed));
        assertEquals("1", listing.path("meta").path("versionId").asText());
        assertEquals(0, fixture.count("PANACEA_RESOURCE_VERSION"));
    }

    /**
     * The first instance of a modality new to a study makes the study searchable by it, also when several such
     * instances arrive at once (they would otherwise all add the same index row); an update of the ImagingStudy that
     * leaves its series out neither unlists its instances nor unindexes their modality.
     */
    @Test
    void aModalityNewToTheStudyIsSearchableAndAnUpdateKeepsItsInstances() throws Exception {
        DicomImageArchive archive = fixture.archive();
        var stored = archive.store(CLINICIAN, new java.io.ByteArrayInputStream(dicom("CT_small.dcm")));
        String id = stored.imagingStudyId();
        Map<String, String> bySeg = Map.of("modality", "SEG", "identifier", "urn:ietf:rfc:3986|urn:oid:"
                + stored.studyInstanceUid());
        assertEquals(0, search("ImagingStudy", bySeg).total());
        var source = archive.load(CLINICIAN, stored.sopInstanceUid(), 0);
        var meta = source.metadata();
        var mask = new org.panacea.api.imaging.Image(128, 128, new org.panacea.api.imaging.Pixels.Gray8(
                new byte[128 * 128]), new org.panacea.api.imaging.ImageMetadata(meta.modality(), meta.rowSpacing(),
                        meta.columnSpacing(), 1, 0, "", Double.NaN, Double.NaN, 8, meta.sourceInstanceUid()));
        var derivation = new org.panacea.api.imaging.Derivation("imaging.threshold", "1.0.0", "Threshold",
                "lower=100", "", 0, List.of(), List.of());
        List<ArchivedInstance> segs = atOnce(4, i -> archive.storeDerived(CLINICIAN, stored.sopInstanceUid(), mask,
                derivation));
        assertEquals(4, segs.stream().map(ArchivedInstance::sopInstanceUid).distinct().count());
        assertEquals(1, search("ImagingStudy", bySeg).total());
        assertEquals(5, json(records.read(CLINICIAN, "ImagingStudy", id)).path("numberOfInstances").asInt());

        ObjectNode update = json(records.read(CLINICIAN, "ImagingStudy", id));
        update.remove(List.of("series", "numberOfSeries", "numberOfInstances", "meta"));
        update.put("description", "reviewed");
        StoredResource updated = records.update(CLINICIAN, "ImagingStudy", id, 1, update.toString());
        assertEquals(2, updated.versionId());
        ObjectNode answered = json(updated);
        ObjectNode read = json(records.read(CLINICIAN, "ImagingStudy", id));
        assertEquals(5, read.path("numberOfInstances").asInt(), read.toString());
        assertEquals(read.path("series"), answered.path("series"), "the update's answer lists them too");
        assertEquals("reviewed", read.path("description").asText());
        assertEquals(1, search("ImagingStudy", bySeg).total(), "still searchable by the instances' modality");
    }

    /** Runs {@code task} for 0 to {@code count - 1} on as many threads, released together; every one must succeed. */
    static <T> List<T> atOnce(int count, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<T>> running = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                running.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> one : running) {
                results.add(one.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------------------------------- access and audit

    @Test
    void accessIsDecidedByRoleAndEveryTouchIsAudited() {
        String id = newPatient("Audited", mrn());
        assertThrows(AccessDeniedException.class, () -> records.read(RESEARCHER, "Patient", id));
        assertThrows(AccessDeniedException.class, () -> records.create(NURSE, Samples.clinical(id).get("Condition")));
        records.create(NURSE, Samples.clinical(id).get("Observation"));
        records.read(CLINICIAN, "Patient", id);
        search("Patient", Map.of("family", "Audited"));

        List<AuditEvent> events = fixture.audit.events();
        assertTrue(events.stream().anyMatch(e -> e.action() == AuditAction.CREATE && e.patientId().equals(id)
                && e.resourceType().equals("Patient")));
        assertTrue(events.stream().anyMatch(e -> e.action() == AuditAction.CREATE && e.actor().equals("nurse.joy")
                && e.resourceType().equals("Observation") && e.patientId().equals(id)));
        assertTrue(events.stream().anyMatch(e -> e.action() == AuditAction.READ && e.patientId().equals(id)
                && e.clientAddress().equals("10.0.0.7")));
        assertTrue(events.stream().anyMatch(e -> e.action() == AuditAction.ACCESS_DENIED && e.actor().equals("ada")));
        assertTrue(events.stream().anyMatch(e -> e.action() == AuditAction.SEARCH && e.patientId().equals(id)));
        for (AuditEvent event : events) {
            assertFalse(event.details().contains("Audited"), "no patient data in audit details: " + event);
        }
        assertNotEquals(0, events.size());
    }
}

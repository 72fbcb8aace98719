package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Role;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.search.SearchPage;
import org.panacea.records.internal.search.SearchRequest;

/**
 * FHIR search beyond exact match, on one Derby record: date and quantity prefixes, _lastUpdated, includes, sorting,
 * paging through kept searches while data changes, $everything; and that a date search opens no row but those it
 * returns, however large the record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirSearchTest {

    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller OTHER_CLINICIAN = RecordsFixture.SEALS.issue("dr.blue", Set.of(Role.CLINICIAN),
            "10.0.0.8");
    private static final Caller RESEARCHER = RecordsFixture.SEALS.issue("ada", Set.of(Role.RESEARCHER), "10.0.0.9");

    /** Counts the values opened, to show what a search decrypts. */
    static final class CountingEncryption implements FieldEncryption {
        final FieldEncryption real;
        final AtomicInteger decrypted = new AtomicInteger();

        CountingEncryption(FieldEncryption real) {
            this.real = real;
        }

        @Override
        public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
            return real.encrypt(binding, plaintext);
        }

        @Override
        public byte[] decrypt(FieldBinding binding, byte[] sealed) throws DecryptionException {
            decrypted.incrementAndGet();
            return real.decrypt(binding, sealed);
        }

        @Override
        public String blindIndex(String field, String value) {
            return real.blindIndex(field, value);
        }
    }

    private final VersionHistoryTest.SteppingClock clock = new VersionHistoryTest.SteppingClock();
    private RecordsFixture fixture;
    private CountingEncryption counting;
    private JpaPatientRecords records;
    private final Map<String, String> patients = new LinkedHashMap<>();
    private final List<String> observations = new ArrayList<>();
    private String practitioner;

    @BeforeAll
    void store() throws Exception {
        fixture = RecordsFixture.derby(clock);
        counting = new CountingEncryption(fixture.encryption);
        records = new JpaPatientRecords(fixture.transactions, counting, fixture.policy, fixture.audit, clock,
                fixture.care);
        practitioner = records.create(CLINICIAN, """
                {"resourceType": "Practitioner", "name": [{"family": "Osler", "given": ["William"]}]}""").id();
        for (String birthDate : List.of("1938", "1949-12-31", "1950-01-01", "1950-07", "1975-06-15")) {
            patients.put(birthDate, records.create(CLINICIAN, """
                    {"resourceType": "Patient", "name": [{"family": "Search", "given": ["%s"]}], "birthDate": "%s",
                     "generalPractitioner": [{"reference": "Practitioner/%s"}]}""".formatted(birthDate, birthDate,
                    practitioner)).id());
            clock.advanceMinutes(1);
        }
        String patient = patients.get("1975-06-15");
        String[][] heartRates = { { "2023-03-01T09:10:00+01:00", "72.5" }, { "2023-03-01T23:30:00Z", "88" },
                { "2023-03-02T00:15:00Z", "130" }, { "2024-01-10", "59.9" }, { "2019-11", "72.49" } };
        for (String[] rate : heartRates) {
            observations.add(records.create(CLINICIAN, observation(patient, rate[0], rate[1])).id());
            clock.advanceMinutes(1);
        }
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    static String observation(String patient, String effective, String beatsPerMinute) {
        return """
                {"resourceType": "Observation", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                 "valueQuantity": {"value": %s, "unit": "beats/minute", "system": "http://unitsofmeasure.org",
                                   "code": "/min"}}""".formatted(patient, effective, beatsPerMinute);
    }

    private SearchPage search(Caller caller, String type, String... parameters) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            query.computeIfAbsent(parameter.substring(0, equals), k -> new ArrayList<>())
                    .add(parameter.substring(equals + 1));
        }
        return records.fhirSearch(caller, SearchRequest.parse(type, query, 50, clock.instant()));
    }

    private Set<String> ids(SearchPage page) {
        Set<String> ids = new HashSet<>();
        page.matches().forEach(match -> ids.add(match.id()));
        return ids;
    }

    private Set<String> patientsBorn(String... birthDates) {
        Set<String> ids = new HashSet<>();
        for (String birthDate : birthDates) {
            ids.add(patients.get(birthDate));
        }
        return ids;
    }

    @Test
    void birthDatesAreComparedWithEveryPrefixAndPartialDates() {
        assertEquals(patientsBorn("1938", "1949-12-31"), ids(search(CLINICIAN, "Patient", "birthdate=lt1950-01-01")));
        assertEquals(patientsBorn("1938", "1949-12-31", "1950-01-01"),
                ids(search(CLINICIAN, "Patient", "birthdate=le1950-01-01")));
        assertEquals(patientsBorn("1950-01-01", "1950-07"), ids(search(CLINICIAN, "Patient", "birthdate=1950")));
        assertEquals(patientsBorn("1950-07", "1975-06-15"),
                ids(search(CLINICIAN, "Patient", "birthdate=gt1950-01-01")));
        assertEquals(patientsBorn("1950-01-01", "1950-07", "1975-06-15"),
                ids(search(CLINICIAN, "Patient", "birthdate=ge1950-01-01")));
        assertEquals(patientsBorn("1938", "1949-12-31", "1950-07", "1975-06-15"),
                ids(search(CLINICIAN, "Patient", "birthdate=ne1950-01-01")));
        assertEquals(patientsBorn("1949-12-31", "1950-01-01"),
                ids(search(CLINICIAN, "Patient", "birthdate=ge1940", "birthdate=lt1950-07")));
        assertEquals(patientsBorn("1938", "1975-06-15"), ids(search(CLINICIAN, "Patient", "birthdate=1938,1975")));
    }

    @Test
    void datesWithTimesAreComparedExactlyAtTheBoundaryHours() {
        String patient = patients.get("1975-06-15");
        // 09:10+01:00 is 08:10Z: after 08:00Z, before 08:30Z.
        assertEquals(Set.of(observations.get(0)), ids(search(CLINICIAN, "Observation", "subject=" + patient,
                "date=ge2023-03-01T08:00:00Z", "date=lt2023-03-01T08:30:00Z")));
        assertEquals(Set.of(), ids(search(CLINICIAN, "Observation", "subject=" + patient,
                "date=ge2023-03-01T08:11:00Z", "date=lt2023-03-01T08:30:00Z")));
        assertEquals(Set.of(observations.get(1), observations.get(2)), ids(search(CLINICIAN, "Observation",
                "subject=" + patient, "date=gt2023-03-01T23:00:00Z", "date=lt2023-03-02T01:00:00Z")));
        assertEquals(Set.of(observations.get(0), observations.get(1)), ids(search(CLINICIAN, "Observation",
                "subject=" + patient, "date=2023-03-01")));
        assertEquals(Set.of(observations.get(4)), ids(search(CLINICIAN, "Observation", "subject=" + patient,
                "date=lt2020")));
    }

    @Test
    void quantitiesAreComparedWithPrefixesUnitsAndImpliedPrecision() {
        assertEquals(Set.of(observations.get(1), observations.get(2)), ids(search(CLINICIAN, "Observation", "subject=" + patients.get("1975-06-15"),
                "value-quantity=gt72.5|http://unitsofmeasure.org|/min")));
        assertEquals(Set.of(observations.get(0), observations.get(1), observations.get(2)), ids(search(CLINICIAN,
                "Observation", "subject=" + patients.get("1975-06-15"), "value-quantity=ge72.5||/min")));
        assertEquals(Set.of(observations.get(0), observations.get(4)), ids(search(CLINICIAN, "Observation", "subject=" + patients.get("1975-06-15"),
                "value-quantity=72.5")), "72.5 means [72.45, 72.55)");
        assertEquals(Set.of(observations.get(0)), ids(search(CLINICIAN, "Observation", "subject=" + patients.get("1975-06-15"), "value-quantity=72.50")));
        assertEquals(Set.of(observations.get(3)), ids(search(CLINICIAN, "Observation", "subject=" + patients.get("1975-06-15"), "value-quantity=lt60")));
        assertEquals(Set.of(), ids(search(CLINICIAN, "Observation", "subject=" + patients.get("1975-06-15"), "value-quantity=gt72|http://unitsofmeasure.org|mg")));
    }

    @Test
    void lastUpdatedIsComparedOnTheStorageTime() {
        Instant third = Instant.parse("2026-01-05T08:02:00Z");
        SearchPage since = search(CLINICIAN, "Patient", "_lastUpdated=ge" + third, "name=Search");
        assertEquals(patientsBorn("1950-01-01", "1950-07", "1975-06-15"), ids(since));
        assertEquals(patientsBorn("1950-07", "1975-06-15"), ids(search(CLINICIAN, "Patient", "name=Search",
                "_lastUpdated=gt2026-01-05T08:02:00.000Z")), "strictly after, to the millisecond");
    }

    @Test
    void questionsNotUnderstoodAreRefusedNeverAnsweredEmpty() {
        for (String[] refused : new String[][] { { "Patient", "birthdate=before1950" },
                { "Patient", "birthdate=lt1950-13-01" }, { "Patient", "deceased=true" },
                { "Patient", "family:contains=Sea" }, { "Patient", "_has=Observation:subject:code=1" },
                { "Observation", "value-quantity=gt5|mg" }, { "Observation", "_sort=code" },
                { "Patient", "_include=Observation:subject" }, { "Patient", "_summary=text" },
                { "Patient", "birthdate=ne1950,1938" } }) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> search(CLINICIAN, refused[0], refused[1]), String.join("?", refused));
            assertNotNull(error.getMessage());
        }
    }

    @Test
    void includesFollowReferencesBothWays() {
        String patient = patients.get("1975-06-15");
        SearchPage observationsWithPatient = search(CLINICIAN, "Observation", "subject=" + patient, "date=2023",
                "_include=Observation:subject");
        assertEquals(3, observationsWithPatient.matches().size());
        assertEquals(List.of("Patient/" + patient), observationsWithPatient.included().stream()
                .map(r -> r.resourceType() + "/" + r.id()).toList());

        SearchPage withPractitioner = search(CLINICIAN, "Patient", "birthdate=1938",
                "_include=Patient:general-practitioner");
        assertEquals(List.of("Practitioner/" + practitioner), withPractitioner.included().stream()
                .map(r -> r.resourceType() + "/" + r.id()).toList());

        SearchPage withObservations = search(CLINICIAN, "Patient", "birthdate=1975",
                "_revinclude=Observation:subject");
        assertEquals(Set.copyOf(observations), withObservations.included().stream().map(StoredResource::id)
                .collect(java.util.stream.Collectors.toSet()));

        SearchPage patientsOfPractitioner = search(CLINICIAN, "Practitioner", "_id=" + practitioner,
                "_revinclude=Patient:general-practitioner");
        assertEquals(patients.size(), patientsOfPractitioner.included().size());
        assertThrows(AccessDeniedException.class, () -> search(RESEARCHER, "Patient", "birthdate=1975",
                "_revinclude=Observation:subject"));
    }

    @Test
    void sortingByDateOrdersByTheValueAndByLastUpdatedByTheColumn() {
        String patient = patients.get("1975-06-15");
        List<String> ascending = search(CLINICIAN, "Observation", "subject=" + patient, "_sort=date").matches()
                .stream().map(StoredResource::id).toList();
        assertEquals(List.of(observations.get(4), observations.get(0), observations.get(1), observations.get(2),
                observations.get(3)), ascending);
        List<String> descending = search(CLINICIAN, "Observation", "subject=" + patient, "_sort=-date").matches()
                .stream().map(StoredResource::id).toList();
        assertEquals(List.of(observations.get(3), observations.get(2), observations.get(1), observations.get(0),
                observations.get(4)), descending);
        List<String> byStorage = search(CLINICIAN, "Observation", "subject=" + patient, "_sort=_lastUpdated")
                .matches().stream().map(StoredResource::id).toList();
        assertEquals(observations, byStorage);
        assertEquals(5, search(CLINICIAN, "Observation", "subject=" + patient, "_summary=count").total());
        assertTrue(search(CLINICIAN, "Observation", "subject=" + patient, "_summary=count").matches().isEmpty());
    }

    @Test
    void pagesOfAKeptSearchShowEachMatchOnceWhileResourcesAreAdded() {
        String patient = patients.get("1938");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(records.create(CLINICIAN, observation(patient, "2020-0" + (i + 1) + "-01", "70")).id());
            clock.advanceMinutes(1);
        }
        SearchPage page = search(CLINICIAN, "Observation", "subject=" + patient, "_count=3");
        assertEquals(7, page.total());
        List<String> seen = new ArrayList<>(page.matches().stream().map(StoredResource::id).toList());
        while (page.next() != null) {
            // New data between pages: newest-first ordering would push it onto the next page without a cursor.
            records.create(CLINICIAN, observation(patient, "2021-01-01", "71"));
            clock.advanceMinutes(1);
            SearchPage.Next next = page.next();
            assertThrows(IllegalArgumentException.class, () -> records.page(OTHER_CLINICIAN, next.searchId(),
                    next.offset(), next.count()), "another user cannot page through my search");
            page = records.page(CLINICIAN, next.searchId(), next.offset(), next.count());
            page.matches().forEach(match -> seen.add(match.id()));
        }
        assertEquals(7, seen.size());
        assertEquals(Set.copyOf(created), Set.copyOf(seen), "each match once, none of the later ones");
    }

    @Test
    void everythingReturnsThePatientFirstThenTheirRecordAuditedOncePerPage() {
        String patient = patients.get("1975-06-15");
        fixture.audit.clear();
        SearchPage everything = records.everything(CLINICIAN, patient, null, 50);
        assertEquals("Patient/" + patient, everything.matches().get(0).resourceType() + "/"
                + everything.matches().get(0).id());
        assertTrue(everything.matches().stream().map(StoredResource::id).toList().containsAll(observations));
        assertEquals(1, fixture.audit.events().stream().filter(e -> e.patientId().equals(patient)).count());
        assertEquals(AuditAction.SEARCH, fixture.audit.last().action());
        assertTrue(fixture.audit.last().details().contains("$everything"), fixture.audit.last().details());

        SearchPage firstPage = records.everything(CLINICIAN, patient, null, 2);
        assertEquals(2, firstPage.matches().size());
        assertNotNull(firstPage.next());
        SearchPage since = records.everything(CLINICIAN, patient, Instant.parse("2026-01-05T08:07:00Z"), 50);
        assertEquals(observations.subList(2, 5), since.matches().stream().map(StoredResource::id).toList().stream()
                .sorted((a, b) -> observations.indexOf(a) - observations.indexOf(b)).toList());
        assertThrows(AccessDeniedException.class, () -> records.everything(RESEARCHER, patient, null, 50));
    }

    @Test
    void aDateSearchOpensOnlyThePageItReturnsWhateverTheRecordsSize() {
        String patient = patients.get("1949-12-31");
        for (int i = 0; i < 120; i++) {
            records.create(CLINICIAN, observation(patient, String.format("2018-%02d-%02d", i % 12 + 1, i % 28 + 1),
                    "80"));
        }
        for (String[] query : new String[][] { { "date=ge2018-03-01", "date=lt2018-09-01" }, { "date=2018" },
                { "date=lt2018-06" }, { "date=ne2018-05" } }) {
            List<String> parameters = new ArrayList<>(List.of(query));
            parameters.add("subject=" + patient);
            parameters.add("_count=10");
            counting.decrypted.set(0);
            SearchPage page = search(CLINICIAN, "Observation", parameters.toArray(String[]::new));
            assertEquals(10, page.matches().size(), String.join("&", query));
            assertTrue(page.total() > 10, String.join("&", query));
            assertEquals(10, counting.decrypted.get(), "rows opened for " + String.join("&", query));
            assertNull(page.included().isEmpty() ? null : page.included());
        }
        counting.decrypted.set(0);
        SearchPage included = search(CLINICIAN, "Observation", "subject=" + patient, "date=2018", "_count=10",
                "_include=Observation:subject");
        assertEquals(10 + 1, counting.decrypted.get(), "the page and the one included patient");
        assertEquals(1, included.included().size());
    }

    @Test
    void theJsonOfAMatchIsTheStoredResource() {
        SearchPage page = search(CLINICIAN, "Patient", "birthdate=1950-07");
        assertEquals("1950-07", FhirJson.parseObject(page.matches().get(0).json()).path("birthDate").asText());
    }
}

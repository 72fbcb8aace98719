package org.panacea.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemInteractionComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.RequestFormatParamStyleEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.gclient.DateClientParam;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;

/**
 * FHIR R4 conformance of {@code /fhir}, driven by HAPI FHIR's own generic client: a widely used client must be able to
 * do every interaction the server claims (create, read, vread, versioned update, history, delete, search with date
 * prefixes and quantities, _include/_revinclude, _sort, _summary, _elements, paging, transactions, $everything) and
 * the Bulk Data export, which HAPI does not speak, is driven over plain HTTP.
 * <p>
 * The test makes its own patients and observations, each with an identifier unique to this run, and searches only
 * within them (by patient, by _id or by that identifier), so the demo cohort loading in the background never changes
 * what a search must return.
 */
class FhirClientIT {

    private static final String FHIR_BASE = Panacea.BASE_URL + "/fhir";
    /** The identifier system of everything this test creates; the values start with {@link #RUN}. */
    private static final String SYSTEM = "https://example.org/panacea/e2e/fhir-client";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String UCUM = "http://unitsofmeasure.org";
    private static final String LOINC = "http://loinc.org";
    /** Glucose [Mass/volume] and [Moles/volume]: ordinary laboratory codes, not vital signs with fixed units. */
    private static final String GLUCOSE_MASS = "2345-7";
    private static final String GLUCOSE_MOLES = "15074-8";

    /** The chart patient's observations by label, with the time each was made: A-F are in date order. */
    private static final Map<String, String> OBSERVATION_DATES = Map.of(
            "A", "2019-03-10T12:00:00Z",
            "B", "2019-12-30T12:00:00Z",
            "C", "2020-01-02T12:00:00Z",
            "D", "2020-06-15T12:00:00Z",
            "E", "2020-12-30T12:00:00Z",
            "F", "2021-01-02T12:00:00Z");
    /** Created in this order, unlike their dates, so that sorting by _lastUpdated and by date differ. */
    private static final List<String> CREATION_ORDER = List.of("D", "A", "F", "B", "E", "C");

    private static FhirContext fhir;
    private static IGenericClient clinician;
    private static RecordedExchange exchange;

    private static String chartPatient;
    private static final Map<String, String> chartObservations = new LinkedHashMap<>();
    private static final Map<String, String> chartEncounters = new LinkedHashMap<>();
    private static String quantityPatient;
    private static final Map<String, String> quantityObservations = new LinkedHashMap<>();
    /** Patients born on these dates (label = birth date), to search by birthdate among them only. */
    private static final Map<String, String> bornOn = new LinkedHashMap<>();

    @BeforeAll
    static void connectAndCreateTheTestsRecords() throws Exception {
        // The records service is up once an authenticated search answers; the pages' plugins are not needed here.
        Panacea.await("clinician", "/fhir/Patient?_count=1", body -> true, Duration.ofSeconds(150));
        fhir = FhirContext.forR4();
        // Every test asks for the CapabilityStatement itself; HAPI's own check would add an unauthenticated call first.
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setSocketTimeout(60_000);
        exchange = new RecordedExchange();
        clinician = client("clinician", exchange);

        chartPatient = createPatient("chart", "1961-04-12");
        for (String label : CREATION_ORDER) {
            chartObservations.put(label, create(observation(chartPatient, label, OBSERVATION_DATES.get(label),
                    GLUCOSE_MASS, CREATION_ORDER.indexOf(label) + 1, "mg")));
        }
        chartEncounters.put("2018", create(encounter(chartPatient, "enc-2018", "2018-06-01T08:00:00Z",
                "2018-06-01T10:00:00Z")));
        chartEncounters.put("2019", create(encounter(chartPatient, "enc-2019", "2019-05-01T08:00:00Z",
                "2019-05-03T10:00:00Z")));
        chartEncounters.put("2020", create(encounter(chartPatient, "enc-2020", "2020-02-01T08:00:00Z",
                "2020-02-01T09:00:00Z")));

        quantityPatient = createPatient("quantities", "1972-09-30");
        String[][] values = { { "3mg", "3", "mg", GLUCOSE_MASS }, { "5.4mg", "5.4", "mg", GLUCOSE_MASS },
                { "5.5mg", "5.5", "mg", GLUCOSE_MASS }, { "12mg", "12", "mg", GLUCOSE_MASS },
                { "9mmol", "9", "mmol/L", GLUCOSE_MOLES } };
        int day = 1;
        for (String[] value : values) {
            quantityObservations.put(value[0], create(observation(quantityPatient, value[0],
                    "2022-02-0" + day++ + "T09:30:00Z", value[3], Double.parseDouble(value[1]), value[2])));
        }

        for (String birthDate : List.of("1940-05-05", "1949-12-31", "1950-01-01", "1975-07-07")) {
            bornOn.put(birthDate, createPatient("born-" + birthDate, birthDate));
        }
    }

    // ------------------------------------------------------------------------------------------ metadata, security

    @Test
    void metadataAnswersWithoutCredentials() {
        RecordedExchange anonymous = new RecordedExchange();
        CapabilityStatement statement = client(null, anonymous).capabilities().ofType(CapabilityStatement.class)
                .execute();
        assertEquals(200, anonymous.status());
        assertEquals("4.0.1", statement.getFhirVersion().toCode());
    }

    @Test
    void metadataWithCredentialsIsACapabilityStatementHapiReads() {
        CapabilityStatement statement = clinician.capabilities().ofType(CapabilityStatement.class).execute();
        assertEquals("4.0.1", statement.getFhirVersion().toCode());
        CapabilityStatementRestComponent rest = statement.getRestFirstRep();
        assertEquals("server", rest.getMode().toCode());
        assertTrue(systemInteractions(rest).contains("transaction"), "system interactions: "
                + systemInteractions(rest));
        Map<String, CapabilityStatementRestResourceComponent> byType = resourcesByType(rest);
        Set<String> basic = Set.of("read", "create", "update", "delete", "search-type");
        assertAll(List.of("Patient", "Practitioner", "Encounter", "Observation").stream().map(type -> () -> {
            assertNotNull(byType.get(type), type + " is listed: " + byType.keySet());
            assertTrue(interactions(byType.get(type)).containsAll(basic), type + " lists "
                    + interactions(byType.get(type)));
        }));
        assertEquals("token", searchParameters(byType.get("Patient").getSearchParam()).get("identifier"));
    }

    @Test
    void theCapabilityStatementListsEveryTypeWithItsInteractionsAndSearchParameters() {
        CapabilityStatementRestComponent rest = clinician.capabilities().ofType(CapabilityStatement.class).execute()
                .getRestFirstRep();
        Map<String, CapabilityStatementRestResourceComponent> byType = resourcesByType(rest);
        List<String> problems = new ArrayList<>();
        Set<String> expected = Set.of("read", "vread", "update", "delete", "history-instance", "history-type",
                "create", "search-type");
        for (String type : List.of("Patient", "Practitioner", "Organization", "Encounter", "Observation",
                "Condition", "MedicationRequest", "ImagingStudy", "RiskAssessment", "Consent", "Group")) {
            if (!byType.containsKey(type)) {
                problems.add(type + " is not listed");
                continue;
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(interactions(byType.get(type)));
            if (!missing.isEmpty()) {
                problems.add(type + " lacks the interactions " + missing);
            }
        }
        String[][] parameters = { { "Patient", "birthdate", "date" }, { "Patient", "general-practitioner", "reference" },
                { "Patient", "_lastUpdated", "date" }, { "Observation", "date", "date" },
                { "Observation", "value-quantity", "quantity" }, { "Observation", "subject", "reference" },
                { "Encounter", "date", "date" }, { "Encounter", "subject", "reference" } };
        for (String[] parameter : parameters) {
            CapabilityStatementRestResourceComponent resource = byType.get(parameter[0]);
            String listed = resource == null ? null : searchParameters(resource.getSearchParam()).get(parameter[1]);
            if (listed == null && parameter[1].startsWith("_")) {
                // Parameters of every resource (_lastUpdated) may be listed once, for the whole server.
                listed = searchParameters(rest.getSearchParam()).get(parameter[1]);
            }
            if (!parameter[2].equals(listed)) {
                problems.add(parameter[0] + " search parameter " + parameter[1] + " is "
                        + (listed == null ? "not listed" : "of type " + listed) + ", not " + parameter[2]);
            }
        }
        assertTrue(problems.isEmpty(), String.join("; ", problems));
    }

    private static Set<String> systemInteractions(CapabilityStatementRestComponent rest) {
        return rest.getInteraction().stream().map(SystemInteractionComponent::getCode).map(code -> code.toCode())
                .collect(Collectors.toSet());
    }

    private static Map<String, CapabilityStatementRestResourceComponent> resourcesByType(
            CapabilityStatementRestComponent rest) {
        Map<String, CapabilityStatementRestResourceComponent> byType = new LinkedHashMap<>();
        rest.getResource().forEach(resource -> byType.put(resource.getType(), resource));
        return byType;
    }

    private static Set<String> interactions(CapabilityStatementRestResourceComponent resource) {
        return resource.getInteraction().stream().map(ResourceInteractionComponent::getCode)
                .map(code -> code.toCode()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The type of each listed search parameter, by name. */
    private static Map<String, String> searchParameters(
            List<CapabilityStatementRestResourceSearchParamComponent> parameters) {
        Map<String, String> listed = new LinkedHashMap<>();
        for (CapabilityStatementRestResourceSearchParamComponent parameter : parameters) {
            listed.put(parameter.getName(), parameter.getType() == null ? null : parameter.getType().toCode());
        }
        return listed;
    }

    @Test
    void everythingButMetadataNeedsCredentials() {
        RecordedExchange anonymous = new RecordedExchange();
        IGenericClient withoutCredentials = client(null, anonymous);
        assertThrows(AuthenticationException.class,
                () -> withoutCredentials.read().resource(Patient.class).withId(chartPatient).execute());
        assertEquals(401, anonymous.status());
        assertThrows(AuthenticationException.class, () -> withoutCredentials.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient)).returnBundle(Bundle.class).execute());
        assertEquals(401, anonymous.status());
    }

    // ----------------------------------------------------------------------------------- create, read, update, ...

    @Test
    void createAnswers201WithTheFirstVersionsLocationAndETag() {
        MethodOutcome outcome = clinician.create().resource(patient("create", "1990-01-01")).execute();
        assertEquals(201, outcome.getResponseStatusCode());
        assertTrue(outcome.getCreated(), "HAPI reports a 201 as created");
        String id = outcome.getId().getIdPart();
        assertEquals(FHIR_BASE + "/Patient/" + id + "/_history/1", exchange.responseHeader("Location"));
        assertEquals("W/\"1\"", exchange.responseHeader("ETag"));
        assertEquals("1", outcome.getId().getVersionIdPart());
        Patient stored = (Patient) outcome.getResource();
        assertEquals(id, stored.getIdElement().getIdPart());
        assertEquals("1", stored.getMeta().getVersionId());
    }

    @Test
    void readAnswersTheStoredResourceWithItsVersion() {
        String id = createPatient("read", "1991-02-03");
        Patient read = clinician.read().resource(Patient.class).withId(id).execute();
        assertEquals(200, exchange.status());
        assertEquals("W/\"1\"", exchange.responseHeader("ETag"));
        assertEquals(id, read.getIdElement().getIdPart());
        assertEquals("1", read.getIdElement().getVersionIdPart(), "HAPI takes the version from the ETag");
        assertEquals("1", read.getMeta().getVersionId());
        assertNotNull(read.getMeta().getLastUpdated());
        assertEquals(RUN + "-read", read.getIdentifierFirstRep().getValue());
        assertEquals("1991-02-03", read.getBirthDateElement().getValueAsString());
    }

    @Test
    void updateWithIfMatchAnswersTheNextVersion() {
        String id = createPatient("update", "1992-03-04");
        Patient patient = clinician.read().resource(Patient.class).withId(id).execute();
        patient.getNameFirstRep().setFamily("Updated");
        MethodOutcome outcome = clinician.update().resource(patient).withId(new IdType("Patient", id, "1")).execute();
        assertEquals("W/\"1\"", exchange.requestHeader("If-Match"), "HAPI sends the version it changes");
        assertEquals(200, outcome.getResponseStatusCode());
        assertEquals("W/\"2\"", exchange.responseHeader("ETag"));
        Patient read = clinician.read().resource(Patient.class).withId(id).execute();
        assertEquals("2", read.getMeta().getVersionId());
        assertEquals("2", read.getIdElement().getVersionIdPart());
        assertEquals("Updated", read.getNameFirstRep().getFamily());
    }

    @Test
    void updateNamesTheNewVersionInLocationSoHapisOutcomeReportsIt() {
        String id = createPatient("update-location", "1992-04-05");
        Patient patient = clinician.read().resource(Patient.class).withId(id).execute();
        patient.getNameFirstRep().setFamily("Relocated");
        MethodOutcome outcome = clinician.update().resource(patient).withId(new IdType("Patient", id, "1")).execute();
        String second = FHIR_BASE + "/Patient/" + id + "/_history/2";
        assertEquals(second, exchange.responseHeader("Location"));
        assertEquals(second, exchange.responseHeader("Content-Location"));
        assertNotNull(outcome.getId(), "HAPI's MethodOutcome names the new version (taken from Location)");
        assertEquals(id, outcome.getId().getIdPart());
        assertEquals("2", outcome.getId().getVersionIdPart());
    }

    @Test
    void updateWithAStaleIfMatchIsRefusedWith412() {
        String id = createPatient("stale", "1993-04-05");
        Patient first = clinician.read().resource(Patient.class).withId(id).execute();
        first.getNameFirstRep().setFamily("Second");
        clinician.update().resource(first).withId(new IdType("Patient", id, "1")).execute();

        first.getNameFirstRep().setFamily("Lost");
        PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                () -> clinician.update().resource(first).withId(new IdType("Patient", id, "1")).execute());
        assertEquals(412, stale.getStatusCode());
        assertInstanceOf(OperationOutcome.class, stale.getOperationOutcome());
        Patient current = clinician.read().resource(Patient.class).withId(id).execute();
        assertEquals("2", current.getMeta().getVersionId());
        assertEquals("Second", current.getNameFirstRep().getFamily(), "the stale update changed nothing");
    }

    @Test
    void vreadServesEveryEarlierVersion() {
        String id = createPatient("vread", "1994-05-06");
        updateFamily(id, 1, "Second");
        updateFamily(id, 2, "Third");
        Patient first = clinician.read().resource(Patient.class).withIdAndVersion(id, "1").execute();
        assertEquals(FHIR_BASE + "/Patient/" + id + "/_history/1", exchange.request().replaceFirst("^GET ", ""));
        assertEquals("1", first.getMeta().getVersionId());
        assertEquals("Conformance", first.getNameFirstRep().getFamily());
        Patient second = clinician.read().resource(Patient.class).withIdAndVersion(id, "2").execute();
        assertEquals("2", second.getMeta().getVersionId());
        assertEquals("Second", second.getNameFirstRep().getFamily());
        Patient third = clinician.read().resource(Patient.class).withIdAndVersion(id, "3").execute();
        assertEquals("Third", third.getNameFirstRep().getFamily());
    }

    @Test
    void instanceHistoryListsEveryVersionNewestFirst() {
        String id = createPatient("history", "1995-06-07");
        updateFamily(id, 1, "Second");
        updateFamily(id, 2, "Third");
        Bundle history = clinician.history().onInstance(new IdType("Patient", id)).returnBundle(Bundle.class)
                .execute();
        assertEquals(BundleType.HISTORY, history.getType());
        List<String> versions = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (BundleEntryComponent entry : history.getEntry()) {
            Patient version = (Patient) entry.getResource();
            assertEquals(id, version.getIdElement().getIdPart());
            versions.add(version.getMeta().getVersionId());
            families.add(version.getNameFirstRep().getFamily());
        }
        assertEquals(List.of("3", "2", "1"), versions);
        assertEquals(List.of("Third", "Second", "Conformance"), families);
    }

    @Test
    void typeHistorySinceListsOnlyTheVersionsMadeAfterIt() throws Exception {
        String id = createPatient("history-since", "1996-07-08");
        Date firstVersion = clinician.read().resource(Patient.class).withId(id).execute().getMeta().getLastUpdated();
        Date since = new Date(firstVersion.getTime() + 1);
        // Past the cut-off even where the server keeps whole seconds.
        Thread.sleep(1100);
        updateFamily(id, 1, "Later");

        Bundle page = clinician.history().onType(Patient.class).returnBundle(Bundle.class)
                .since(new InstantType(since, TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC")))
                .count(200).execute();
        assertEquals(BundleType.HISTORY, page.getType());
        List<String> ourVersions = new ArrayList<>();
        for (int pages = 0; page != null && pages < 50; pages++) {
            for (BundleEntryComponent entry : page.getEntry()) {
                Resource resource = entry.getResource();
                if (resource == null) {
                    continue;
                }
                assertFalse(resource.getMeta().getLastUpdated().before(since), "version "
                        + resource.getIdElement().getValue() + " was made before _since " + since.toInstant());
                if (resource.getIdElement().getIdPart().equals(id)) {
                    ourVersions.add(resource.getMeta().getVersionId());
                }
            }
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : clinician.loadPage().next(page).execute();
        }
        assertEquals(List.of("2"), ourVersions);
    }

    @Test
    void deleteAnswers204ThenReadIsGoneAndEarlierVersionsStayReadable() {
        String id = createPatient("delete", "1997-08-09");
        clinician.delete().resourceById(new IdType("Patient", id)).execute();
        assertEquals(204, exchange.status());
        ResourceGoneException gone = assertThrows(ResourceGoneException.class,
                () -> clinician.read().resource(Patient.class).withId(id).execute());
        assertEquals(410, gone.getStatusCode());
        Patient before = clinician.read().resource(Patient.class).withIdAndVersion(id, "1").execute();
        assertEquals(RUN + "-delete", before.getIdentifierFirstRep().getValue());
    }

    // ---------------------------------------------------------------------------------------------------- search

    @Test
    void searchByIdentifierFindsExactlyThatResource() {
        Bundle patients = clinician.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(SYSTEM, RUN + "-chart")).returnBundle(Bundle.class)
                .execute();
        assertEquals(List.of(chartPatient), ids(matches(patients)));
        assertEquals(1, patients.getTotal());

        Bundle observations = clinician.search().forResource(Observation.class)
                .where(Observation.IDENTIFIER.exactly().systemAndCode(SYSTEM, RUN + "-D")).returnBundle(Bundle.class)
                .execute();
        assertEquals(List.of(chartObservations.get("D")), ids(matches(observations)));
    }

    @ParameterizedTest(name = "Patient?birthdate={0}")
    @CsvSource({
            "1975-07-07, 1975-07-07",
            "lt1950-01-01, 1940-05-05 1949-12-31",
            "ge1950-01-01, 1950-01-01 1975-07-07",
            "le1949-12-31, 1940-05-05 1949-12-31",
            "1975, 1975-07-07",
            "1949-12, 1949-12-31",
            "ne1950-01-01, 1940-05-05 1949-12-31 1975-07-07" })
    void patientsByBirthDate(String birthdate, String expected) {
        Bundle found = clinician.search().forResource(Patient.class)
                .where(Patient.RES_ID.exactly().codes(new ArrayList<>(bornOn.values())))
                .whereMap(Map.of("birthdate", List.of(birthdate))).count(50).returnBundle(Bundle.class).execute();
        Set<String> born = matches(found).stream().map(resource -> ((Patient) resource).getBirthDateElement()
                .getValueAsString()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Arrays.asList(expected.split(" "))), born, "Patient?birthdate=" + birthdate);
    }

    @ParameterizedTest(name = "Observation?date={0}")
    @CsvSource({
            "eq2020-06-15, D",
            "2020-06-15, D",
            "ne2020-06-15, A B C E F",
            "lt2020-01-01, A B",
            "le2020-01-02, A B C",
            "gt2020-12-30, F",
            "ge2020-12-30, E F",
            "sa2020-06-30, E F",
            "eb2020-01-01, A B",
            "2020, C D E",
            "2019-12, B",
            "lt2020, A B",
            "gt2020, F" })
    void observationsByDatePrefix(String date, String expected) {
        Bundle found = clinician.search().byUrl("Observation?subject=Patient/" + chartPatient + "&date=" + date
                + "&_count=50").returnBundle(Bundle.class).execute();
        assertEquals(new TreeSet<>(Arrays.asList(expected.split(" "))), new TreeSet<>(labels(matches(found))),
                "Observation?date=" + date + " among A=2019-03-10 B=2019-12-30 C=2020-01-02 D=2020-06-15 "
                        + "E=2020-12-30 F=2021-01-02");
    }

    @Test
    void observationsApproximatelyOnADate() {
        // ap is "within about 10 % of the distance from now": mid-2020 is near D and far from A (March 2019).
        Bundle found = clinician.search().byUrl("Observation?subject=Patient/" + chartPatient
                + "&date=ap2020-06-15&_count=50").returnBundle(Bundle.class).execute();
        List<String> labels = labels(matches(found));
        assertTrue(labels.contains("D") && !labels.contains("A"), "ap2020-06-15 matched " + labels);
    }

    @Test
    void observationsWithinADateRangeGivenAsTwoParameters() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .and(Observation.DATE.afterOrEquals().day("2020-01-01"))
                .and(Observation.DATE.before().day("2021-01-01"))
                .count(50).returnBundle(Bundle.class).execute();
        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        Instant to = Instant.parse("2021-01-01T00:00:00Z");
        List<Resource> observations = matches(found);
        for (Resource resource : observations) {
            Instant effective = ((Observation) resource).getEffectiveDateTimeType().getValue().toInstant();
            assertTrue(!effective.isBefore(from) && effective.isBefore(to), effective + " is outside [2020, 2021)");
        }
        assertEquals(Set.of("C", "D", "E"), new HashSet<>(labels(observations)));
    }

    @Test
    void encountersInAYearGivenAsAPartialDate() {
        Bundle found = clinician.search().forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId("Patient/" + chartPatient))
                .whereMap(Map.of("date", List.of("2019"))).returnBundle(Bundle.class).execute();
        assertEquals(List.of(chartEncounters.get("2019")), ids(matches(found)));
        Period period = ((Encounter) matches(found).get(0)).getPeriod();
        assertEquals("2019-05-01T08:00:00Z", period.getStartElement().getValueAsString());
    }

    @Test
    void observationsUpdatedAfterAnInstant() throws Exception {
        String patient = createPatient("last-updated", "1981-10-11");
        String early = create(observation(patient, "early", "2023-01-01T10:00:00Z", GLUCOSE_MASS, 4, "mg"));
        String earlyUpdated = clinician.read().resource(Observation.class).withId(early).execute().getMeta()
                .getLastUpdatedElement().getValueAsString();
        // Past the instant even where the server keeps whole seconds.
        Thread.sleep(1100);
        String late = create(observation(patient, "late", "2023-01-02T10:00:00Z", GLUCOSE_MASS, 5, "mg"));
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + patient))
                .and(new DateClientParam("_lastUpdated").after().millis(earlyUpdated))
                .returnBundle(Bundle.class).execute();
        assertEquals(List.of(late), ids(matches(found)), "_lastUpdated=gt" + earlyUpdated);
    }

    @Test
    void observationsAboveAQuantityInItsUnit() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + quantityPatient))
                .and(Observation.VALUE_QUANTITY.greaterThan().number("5.4").andUnits(UCUM, "mg"))
                .returnBundle(Bundle.class).execute();
        assertEquals(Set.of(quantityObservations.get("5.5mg"), quantityObservations.get("12mg")),
                new HashSet<>(ids(matches(found))), "value-quantity=gt5.4|" + UCUM + "|mg: 5.5 mg and 12 mg, "
                        + "not 5.4 mg, and not 9 mmol/L whose unit differs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Observation?foo=bar, foo",
            "Observation?date=xx2020-01-01, xx",
            "Observation?date=2020-13-45, 2020-13-45",
            "Patient?family:fuzzy=smith, fuzzy",
            "Observation?value-quantity=zz5|http://unitsofmeasure.org|mg, zz" })
    void aSearchTheServerDoesNotUnderstandIs400(String search, String named) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> clinician.search().byUrl(search).returnBundle(Bundle.class).execute(),
                search + " must be refused, never answered with an empty or partial list");
        assertEquals(400, refused.getStatusCode());
        assertInstanceOf(OperationOutcome.class, refused.getOperationOutcome());
        String diagnostics = ((OperationOutcome) refused.getOperationOutcome()).getIssueFirstRep().getDiagnostics();
        assertTrue(diagnostics != null && diagnostics.contains(named), "the OperationOutcome names '" + named
                + "': " + diagnostics);
    }

    // ----------------------------------------------------------------------------------- _include, _revinclude

    @Test
    void includeObservationSubject() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .include(Observation.INCLUDE_SUBJECT).count(50).returnBundle(Bundle.class).execute();
        assertEquals(new HashSet<>(chartObservations.values()), new HashSet<>(ids(matches(found))));
        assertEquals(List.of("Patient/" + chartPatient), typedIds(included(found)),
                "the one patient all six observations refer to, included once");
    }

    @Test
    void includeEncounterSubject() {
        Bundle found = clinician.search().forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId("Patient/" + chartPatient))
                .include(Encounter.INCLUDE_SUBJECT).returnBundle(Bundle.class).execute();
        assertEquals(new HashSet<>(chartEncounters.values()), new HashSet<>(ids(matches(found))));
        assertEquals(List.of("Patient/" + chartPatient), typedIds(included(found)));
    }

    @Test
    void includePatientGeneralPractitioner() {
        Practitioner doctor = new Practitioner();
        doctor.addIdentifier(identifier("gp"));
        doctor.addName().setFamily("Hausarzt").addGiven("Greta");
        String doctorId = create(doctor);
        Patient patient = patient("with-gp", "1966-06-06");
        patient.addGeneralPractitioner(new Reference("Practitioner/" + doctorId));
        String patientId = create(patient);

        Bundle found = clinician.search().forResource(Patient.class).where(Patient.RES_ID.exactly().code(patientId))
                .include(Patient.INCLUDE_GENERAL_PRACTITIONER).returnBundle(Bundle.class).execute();
        assertEquals(List.of(patientId), ids(matches(found)));
        assertEquals(List.of("Practitioner/" + doctorId), typedIds(included(found)));
    }

    @Test
    void revincludeObservationsOfAPatient() {
        Bundle found = clinician.search().forResource(Patient.class).where(Patient.RES_ID.exactly().code(chartPatient))
                .revInclude(Observation.INCLUDE_SUBJECT).count(50).returnBundle(Bundle.class).execute();
        assertEquals(List.of(chartPatient), ids(matches(found)));
        Set<String> expected = chartObservations.values().stream().map(id -> "Observation/" + id)
                .collect(Collectors.toSet());
        List<String> included = typedIds(included(found));
        assertEquals(expected, new HashSet<>(included));
        assertEquals(expected.size(), included.size(), "each observation included once: " + included);
    }

    // ---------------------------------------------------------------------------- _sort, _summary, _elements

    @Test
    void sortByDateAscending() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .sort().ascending(Observation.DATE).count(50).returnBundle(Bundle.class).execute();
        assertEquals(List.of("A", "B", "C", "D", "E", "F"), labels(matches(found)));
    }

    @Test
    void sortByDateDescending() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .sort().descending(Observation.DATE).count(50).returnBundle(Bundle.class).execute();
        assertEquals(List.of("F", "E", "D", "C", "B", "A"), labels(matches(found)));
    }

    @Test
    void sortByLastUpdated() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .sort().ascending("_lastUpdated").count(50).returnBundle(Bundle.class).execute();
        List<Resource> observations = matches(found);
        assertEquals(CREATION_ORDER, labels(observations), "oldest change first: the order they were created in");
        for (int i = 1; i < observations.size(); i++) {
            assertFalse(observations.get(i).getMeta().getLastUpdated()
                    .before(observations.get(i - 1).getMeta().getLastUpdated()), "meta.lastUpdated ascending");
        }
    }

    @Test
    void summaryCountAnswersTheTotalWithoutEntries() {
        Bundle counted = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .summaryMode(SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
        assertEquals(6, counted.getTotal());
        assertTrue(counted.getEntry().isEmpty(), "_summary=count returns no resources, had "
                + counted.getEntry().size());
    }

    @Test
    void elementsReturnsOnlyTheAskedElements() {
        Bundle found = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + chartPatient))
                .elementsSubset("identifier", "status").count(50).returnBundle(Bundle.class).execute();
        List<Resource> observations = matches(found);
        assertEquals(6, observations.size());
        for (Resource resource : observations) {
            Observation observation = (Observation) resource;
            assertTrue(observation.hasIdentifier() && observation.hasStatus(), "the asked elements are there");
            assertFalse(observation.hasValue(), "value[x] was not asked for");
            assertFalse(observation.hasEffective(), "effective[x] was not asked for");
        }
    }

    // ---------------------------------------------------------------------------------------------------- paging

    @Test
    void pagesFollowedByNextLinksHoldEachMatchOnceWhileResourcesAreCreated() {
        String patient = createPatient("paging", "1983-12-13");
        Set<String> original = new HashSet<>();
        for (int i = 1; i <= 7; i++) {
            original.add(create(observation(patient, "page-" + i, "2024-03-0" + i + "T08:00:00Z", GLUCOSE_MASS, i,
                    "mg")));
        }
        Bundle page = clinician.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + patient)).count(3).returnBundle(Bundle.class)
                .execute();
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            assertTrue(page.getEntry().size() <= 3, "a page holds at most _count=3 entries");
            seen.addAll(ids(matches(page)));
            pages++;
            if (page.getLink(Bundle.LINK_NEXT) == null || pages >= 10) {
                break;
            }
            // New records arriving between two page fetches must neither repeat nor push out an original match.
            create(observation(patient, "page-new-" + pages, "2024-04-0" + pages + "T08:00:00Z", GLUCOSE_MASS,
                    10 + pages, "mg"));
            page = clinician.loadPage().next(page).execute();
        }
        assertTrue(pages >= 3, "7 matches at 3 a page need at least 3 pages, got " + pages);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "a match appeared twice: " + seen);
        assertTrue(seen.containsAll(original), "every original match appears: missing "
                + original.stream().filter(id -> !seen.contains(id)).toList());
    }

    // ------------------------------------------------------------------------------------------------ transaction

    @Test
    void transactionStoresEntriesAndRewritesUrnUuidReferences() {
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle();
        transaction.setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl(patientUrn).setResource(patient("transaction", "1977-07-17"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(observation(patientUrn, "transaction-obs", "2023-05-05T05:05:00Z", GLUCOSE_MASS, 6,
                        "mg"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        Bundle response = clinician.transaction().withBundle(transaction).execute();
        assertEquals(BundleType.TRANSACTIONRESPONSE, response.getType());
        String patientLocation = null;
        String observationLocation = null;
        for (BundleEntryComponent entry : response.getEntry()) {
            assertTrue(entry.getResponse().getStatus().startsWith("201"), entry.getResponse().getStatus());
            String location = entry.getResponse().getLocation();
            if (location.startsWith("Patient/")) {
                patientLocation = location;
            } else if (location.startsWith("Observation/")) {
                observationLocation = location;
            }
        }
        assertNotNull(patientLocation, "the response locates the patient");
        assertNotNull(observationLocation, "the response locates the observation");
        String patientId = new IdType(patientLocation).getIdPart();
        Observation stored = clinician.read().resource(Observation.class)
                .withId(new IdType(observationLocation).getIdPart()).execute();
        assertEquals("Patient/" + patientId, stored.getSubject().getReference(),
                "the urn:uuid reference was rewritten to the patient's new id");
        assertEquals(RUN + "-transaction", clinician.read().resource(Patient.class).withId(patientId).execute()
                .getIdentifierFirstRep().getValue());
    }

    // ------------------------------------------------------------------------------------------------ $everything

    @Test
    void everythingReturnsThePatientAndAllTheirRecordsPaged() {
        Bundle page = clinician.operation().onInstance(new IdType("Patient", chartPatient)).named("$everything")
                .withParameter(Parameters.class, "_count", new IntegerType(4)).useHttpGet()
                .returnResourceType(Bundle.class).execute();
        assertEquals(BundleType.SEARCHSET, page.getType());
        assertNotNull(page.getLink(Bundle.LINK_NEXT), "10 resources at _count=4 come in pages");
        List<String> seen = new ArrayList<>();
        for (int pages = 0; page != null && pages < 10; pages++) {
            assertTrue(page.getEntry().size() <= 4, "a page holds at most 4 entries");
            seen.addAll(typedIds(page.getEntry().stream().map(BundleEntryComponent::getResource).toList()));
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : clinician.loadPage().next(page).execute();
        }
        Set<String> expected = new HashSet<>();
        expected.add("Patient/" + chartPatient);
        chartObservations.values().forEach(id -> expected.add("Observation/" + id));
        chartEncounters.values().forEach(id -> expected.add("Encounter/" + id));
        assertEquals(expected, new HashSet<>(seen));
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no resource twice: " + seen);
    }

    @Test
    void everythingSinceReturnsOnlyRecordsChangedAfterIt() throws Exception {
        String patient = createPatient("everything-since", "1984-01-14");
        String before = create(observation(patient, "before-since", "2023-06-01T10:00:00Z", GLUCOSE_MASS, 4, "mg"));
        Date beforeUpdated = clinician.read().resource(Observation.class).withId(before).execute().getMeta()
                .getLastUpdated();
        Date since = new Date(beforeUpdated.getTime() + 1);
        Thread.sleep(1100);
        String after = create(observation(patient, "after-since", "2023-06-02T10:00:00Z", GLUCOSE_MASS, 5, "mg"));

        Bundle everything = clinician.operation().onInstance(new IdType("Patient", patient)).named("$everything")
                .withParameter(Parameters.class, "_since",
                        new InstantType(since, TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC")))
                .useHttpGet().returnResourceType(Bundle.class).execute();
        List<String> returned = typedIds(everything.getEntry().stream().map(BundleEntryComponent::getResource)
                .toList());
        assertTrue(returned.contains("Observation/" + after), "changed after _since: " + returned);
        assertFalse(returned.contains("Observation/" + before), "changed before _since: " + returned);
    }

    // ------------------------------------------------------------------------------------------ Bulk Data $export

    @Test
    void groupExportAnswersAManifestOfNdjsonFilesWithTheMembersRecords() throws Exception {
        Group group = new Group();
        group.addIdentifier(identifier("group"));
        group.setName("FHIR client conformance " + RUN);
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + chartPatient));
        group.addMember().setEntity(new Reference("Patient/" + quantityPatient));
        String groupId = create(group);
        String path = "/fhir/Group/" + groupId + "/$export";

        assertEquals(403, BulkData.kickOff("researcher", path).statusCode(), "a researcher may not export records");

        HttpResponse<String> kickOff = BulkData.kickOff("clinician", path);
        assertEquals(202, kickOff.statusCode(), "kick-off: " + kickOff.body());
        URI status = BulkData.statusUrl(kickOff);
        HttpResponse<String> done = BulkData.awaitCompletion("clinician", status, Duration.ofSeconds(60));
        JsonNode manifest = BulkData.json(done);
        assertNotNull(OffsetDateTime.parse(manifest.path("transactionTime").asText()), "transactionTime: "
                + manifest);
        assertTrue(manifest.path("request").asText().endsWith(path), "request: " + manifest.path("request"));
        assertTrue(manifest.path("requiresAccessToken").asBoolean(false), "requiresAccessToken: " + manifest);
        assertTrue(manifest.path("output").isArray() && !manifest.path("output").isEmpty(), "output: " + manifest);

        Map<String, Set<String>> exported = new LinkedHashMap<>();
        IParser parser = fhir.newJsonParser();
        for (JsonNode output : manifest.path("output")) {
            String type = output.path("type").asText();
            URI url = URI.create(output.path("url").asText());
            assertEquals(401, BulkData.get(null, url).statusCode(), "an output file needs credentials: " + url);
            HttpResponse<String> file = BulkData.get("clinician", url);
            assertEquals(200, file.statusCode(), "GET " + url + ": " + file.body());
            assertEquals("application/fhir+ndjson", BulkData.mediaType(file));
            for (String line : file.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                IBaseResource resource = parser.parseResource(line);
                assertEquals(type, fhir.getResourceType(resource), "a " + type + " file holds " + type + "s only");
                assertTrue(exported.computeIfAbsent(type, t -> new HashSet<>())
                        .add(resource.getIdElement().getIdPart()), "exported twice: " + type + "/"
                                + resource.getIdElement().getIdPart());
                if (resource instanceof Observation observation) {
                    assertTrue(Set.of("Patient/" + chartPatient, "Patient/" + quantityPatient)
                            .contains(observation.getSubject().getReference()), "an observation of a non-member: "
                                    + observation.getSubject().getReference());
                }
            }
        }
        assertEquals(Set.of(chartPatient, quantityPatient), exported.get("Patient"));
        Set<String> observations = new HashSet<>(chartObservations.values());
        observations.addAll(quantityObservations.values());
        assertEquals(observations, exported.get("Observation"));
        assertEquals(new HashSet<>(chartEncounters.values()), exported.get("Encounter"));
        assertEquals("application/json", BulkData.mediaType(done), "the manifest is plain JSON (Bulk Data spec)");
    }

    @Test
    void patientExportByAClinicianIncludesTheirPatients() throws Exception {
        HttpResponse<String> kickOff = BulkData.kickOff("clinician", "/fhir/Patient/$export");
        assertEquals(202, kickOff.statusCode(), "kick-off: " + kickOff.body());
        HttpResponse<String> done = BulkData.awaitCompletion("clinician", BulkData.statusUrl(kickOff),
                Duration.ofSeconds(120));
        JsonNode manifest = BulkData.json(done);
        assertTrue(manifest.path("requiresAccessToken").asBoolean(false), "requiresAccessToken: " + manifest);
        Set<String> patients = new HashSet<>();
        IParser parser = fhir.newJsonParser();
        for (JsonNode output : manifest.path("output")) {
            if (!output.path("type").asText().equals("Patient")) {
                continue;
            }
            HttpResponse<String> file = BulkData.get("clinician", URI.create(output.path("url").asText()));
            assertEquals(200, file.statusCode(), file.body());
            for (String line : file.body().split("\n")) {
                if (!line.isBlank()) {
                    patients.add(parser.parseResource(line).getIdElement().getIdPart());
                }
            }
        }
        assertTrue(patients.containsAll(List.of(chartPatient, quantityPatient)), "exported " + patients.size()
                + " patients without this test's own");
    }

    @Test
    void aResearcherMayNotExport() throws Exception {
        HttpResponse<String> refused = BulkData.kickOff("researcher", "/fhir/Patient/$export");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("OperationOutcome"), refused.body());
    }

    // ------------------------------------------------------------------------------------------------- fixtures

    /** A generic client of the FHIR base; {@code user} null makes one without credentials. */
    private static IGenericClient client(String user, RecordedExchange recorder) {
        IGenericClient client = fhir.newRestfulGenericClient(FHIR_BASE);
        // Panacea speaks JSON only; HAPI's default would be XML bodies and a _format parameter on every URL.
        client.setEncoding(EncodingEnum.JSON);
        client.setFormatParamStyle(RequestFormatParamStyleEnum.NONE);
        if (user != null) {
            client.registerInterceptor(new BasicAuthInterceptor(user, user));
        }
        client.registerInterceptor(recorder);
        return client;
    }

    private static Identifier identifier(String label) {
        return new Identifier().setSystem(SYSTEM).setValue(RUN + "-" + label);
    }

    private static Patient patient(String label, String birthDate) {
        Patient patient = new Patient();
        patient.addIdentifier(identifier(label));
        patient.addName().setFamily("Conformance").addGiven(label);
        patient.setGender(AdministrativeGender.OTHER);
        patient.setBirthDateElement(new DateType(birthDate));
        return patient;
    }

    private static Observation observation(String subject, String label, String effective, String loinc,
            double value, String unit) {
        Observation observation = new Observation();
        observation.addIdentifier(identifier(label));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(LOINC, loinc, null)));
        observation.setSubject(new Reference(subject.startsWith("urn:") ? subject : "Patient/" + subject));
        observation.setEffective(new DateTimeType(effective));
        // BigDecimal.valueOf keeps 5.4 as written; the double itself is 5.4000000000000003...
        observation.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setUnit(unit).setSystem(UCUM)
                .setCode(unit));
        return observation;
    }

    private static Encounter encounter(String patient, String label, String start, String end) {
        Encounter encounter = new Encounter();
        encounter.addIdentifier(identifier(label));
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        encounter.setSubject(new Reference("Patient/" + patient));
        encounter.setPeriod(new Period().setStartElement(new DateTimeType(start)).setEndElement(new DateTimeType(end)));
        return encounter;
    }

    private static String createPatient(String label, String birthDate) {
        return create(patient(label, birthDate));
    }

    /** Creates through HAPI's typed API and returns the new id. */
    private static String create(Resource resource) {
        MethodOutcome outcome = clinician.create().resource(resource).execute();
        return outcome.getId().getIdPart();
    }

    private static void updateFamily(String id, int fromVersion, String family) {
        Patient patient = clinician.read().resource(Patient.class).withId(id).execute();
        patient.getNameFirstRep().setFamily(family);
        clinician.update().resource(patient).withId(new IdType("Patient", id, String.valueOf(fromVersion))).execute();
    }

    /** The entries a search matched (search.mode match), in the order given. */
    private static List<Resource> matches(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(entry -> entry.getSearch().getMode() != SearchEntryMode.INCLUDE
                        && entry.getSearch().getMode() != SearchEntryMode.OUTCOME)
                .map(BundleEntryComponent::getResource).toList();
    }

    /** The entries a search added for _include or _revinclude (search.mode include). */
    private static List<Resource> included(Bundle bundle) {
        return bundle.getEntry().stream().filter(entry -> entry.getSearch().getMode() == SearchEntryMode.INCLUDE)
                .map(BundleEntryComponent::getResource).toList();
    }

    private static List<String> ids(List<? extends IBaseResource> resources) {
        return resources.stream().map(resource -> resource.getIdElement().getIdPart()).toList();
    }

    private static List<String> typedIds(List<? extends IBaseResource> resources) {
        return resources.stream().map(resource -> fhir.getResourceType(resource) + "/"
                + resource.getIdElement().getIdPart()).toList();
    }

    /** The labels of this run's resources: their identifier in {@link #SYSTEM} without the run prefix. */
    private static List<String> labels(List<Resource> resources) {
        List<String> labels = new ArrayList<>();
        for (Resource resource : resources) {
            Observation observation = (Observation) resource;
            labels.add(observation.getIdentifier().stream().filter(id -> SYSTEM.equals(id.getSystem()))
                    .map(id -> id.getValue().substring(RUN.length() + 1)).findFirst().orElse("?"));
        }
        return labels;
    }
}

package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.records.CareBasis;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareSettings;
import org.panacea.records.internal.care.ChartRefusedException;
import org.panacea.records.internal.images.DicomImageArchive;

/**
 * Care-relationship access as the record decides it, on a real Derby record: every kind of relationship opens a
 * chart and nothing else does, a consent that denies sharing closes it, break-glass opens one patient for a while
 * and says why in the audit trail. The data is written through the fixture's record (whose clinicians see every
 * chart); the callers under test go through a record with the rule and no such department rule.
 */
class CareAccessTest {

    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");
    private static final MovableClock CLOCK = new MovableClock(START);
    private static final Caller WRITER = RecordsContract.CLINICIAN;
    private static final Caller HOUSE = RecordsFixture.SEALS.issue("dr.house", Set.of(Role.CLINICIAN), "10.0.0.20");
    private static final Caller CUDDY = RecordsFixture.SEALS.issue("dr.cuddy", Set.of(Role.CLINICIAN), "10.0.0.21");
    private static final Caller RATCHED = RecordsFixture.SEALS.issue("nurse.ratched", Set.of(Role.NURSE),
            "10.0.0.22");

    private static RecordsFixture fixture;
    private static CareRelationshipAccess care;
    private static JpaPatientRecords records;
    private static String house;

    @BeforeAll
    static void record() throws Exception {
        fixture = RecordsFixture.derby(CLOCK);
        care = new CareRelationshipAccess(fixture.transactions, fixture.encryption, fixture.policy, fixture.audit,
                CLOCK, new CareSettings(Duration.ofMinutes(60), Duration.ofHours(72),
                        CareSettings.parseDepartments("ICU=@nurse")));
        records = new JpaPatientRecords(fixture.transactions, fixture.encryption, fixture.policy, fixture.audit,
                CLOCK, care);
        house = practitioner("dr.house");
        practitioner("nurse.ratched");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void anActiveCareTeamOpensTheChartAndAnEndedOneOrNoneDoesNot() {
        String onTeam = patient("CT-1");
        careTeam(onTeam, "active", house, null);
        String teamInactive = patient("CT-2");
        careTeam(teamInactive, "inactive", house, null);
        String leftTeam = patient("CT-3");
        careTeam(leftTeam, "active", house, "2026-12-01T00:00:00Z");
        String stranger = patient("CT-4");

        assertEquals(onTeam, records.read(HOUSE, "Patient", onTeam).id());
        assertEquals(CareBasis.CARE_TEAM, care.decide(HOUSE, onTeam).basis());
        for (String refused : List.of(teamInactive, leftTeam, stranger)) {
            fixture.audit.clear();
            ChartRefusedException e = assertThrows(ChartRefusedException.class,
                    () -> records.read(HOUSE, "Patient", refused));
            assertTrue(e.getMessage().startsWith("no care relationship with Patient/" + refused), e.getMessage());
            assertTrue(e.getMessage().contains("X-Purpose-Of-Use: BTG"), e.getMessage());
            AuditEvent denial = fixture.audit.single();
            assertEquals(AuditAction.ACCESS_DENIED, denial.action());
            assertEquals("Patient", denial.resourceType());
            assertEquals(refused, denial.resourceId());
            assertEquals(refused, denial.patientId());
            assertTrue(denial.details().startsWith("no care relationship"), denial.details());
        }
        // Another clinician of the same hospital is on no team of this patient.
        assertThrows(ChartRefusedException.class, () -> records.read(CUDDY, "Patient", onTeam));
    }

    @Test
    void anEncounterOpensTheChartWhileCurrentAndForTheWindowAfterItsEnd() {
        String inProgress = patient("EN-1");
        encounter(inProgress, "in-progress", null);
        String endedYesterday = patient("EN-2");
        encounter(endedYesterday, "finished", START.minus(Duration.ofDays(1)).toString());
        String endedLastWeek = patient("EN-3");
        encounter(endedLastWeek, "finished", START.minus(Duration.ofDays(7)).toString());
        String cancelled = patient("EN-4");
        encounter(cancelled, "cancelled", null);

        assertEquals(CareBasis.ENCOUNTER, care.decide(HOUSE, inProgress).basis());
        assertEquals(CareBasis.ENCOUNTER, care.decide(HOUSE, endedYesterday).basis());
        records.read(HOUSE, "Patient", endedYesterday);
        assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", endedLastWeek));
        assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", cancelled));
    }

    @Test
    void aDepartmentRuleOpensItsDepartmentsPatientsToTheRoleItNames() {
        String icu = fixture.records.create(WRITER, """
                {"resourceType": "Organization", "identifier": [{"system": "https://hospital.example/departments", "value": "ICU"}],
                 "name": "Intensive care"}""").id();
        String inIcu = fixture.records.create(WRITER, Samples.patient("Icu", "Ida", "DP-1").replace("\"gender\"",
                "\"managingOrganization\": {\"reference\": \"Organization/" + icu + "\"}, \"gender\"")).id();
        String elsewhere = patient("DP-2");

        assertEquals(CareBasis.DEPARTMENT, care.decide(RATCHED, inIcu).basis());
        records.read(RATCHED, "Patient", inIcu);
        assertThrows(ChartRefusedException.class, () -> records.read(RATCHED, "Patient", elsewhere));
        // The rule names nurses: a clinician is not given the department by it.
        assertThrows(ChartRefusedException.class, () -> records.read(CUDDY, "Patient", inIcu));
    }

    @Test
    void aConsentThatDeniesThePractitionerClosesTheChartDespiteTheCareTeamUntilTheGlassIsBroken() {
        String patient = patient("CO-1");
        careTeam(patient, "active", house, null);
        records.read(HOUSE, "Patient", patient);
        fixture.records.create(WRITER, """
                {"resourceType": "Consent", "status": "active",
                 "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
                 "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                 "patient": {"reference": "Patient/%s"}, "dateTime": "2026-12-01",
                 "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTOUT"}]},
                 "provision": {"type": "deny", "actor": [{"role": {"coding": [{"system":
                   "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP"}]},
                   "reference": {"reference": "Practitioner/%s"}}]}}""".formatted(patient, house));

        ChartRefusedException refused = assertThrows(ChartRefusedException.class,
                () -> records.read(HOUSE, "Patient", patient));
        assertTrue(refused.getMessage().contains("Consent"), refused.getMessage());
        assertEquals(CareBasis.CONSENT_DENIED, care.decide(HOUSE, patient).basis());

        care.breakGlass(HOUSE, patient, "cardiac arrest on the ward");
        fixture.audit.clear();
        records.read(HOUSE, "Patient", patient);
        assertEquals(AuditAction.BREAK_GLASS, fixture.audit.events().get(0).action());
    }

    @Test
    void breakGlassOpensOnePatientForTheConfiguredTimeAndEveryAccessIsAuditedWithTheReason() {
        String patient = patient("BG-1");
        String other = patient("BG-2");
        String observation = fixture.records.create(WRITER, Samples.clinical(patient).get("Observation")).id();
        assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", patient));

        fixture.audit.clear();
        care.breakGlass(HOUSE, patient, "unconscious patient in the emergency room");
        AuditEvent granted = fixture.audit.single();
        assertEquals(AuditAction.BREAK_GLASS, granted.action());
        assertEquals("unconscious patient in the emergency room", granted.details());
        assertEquals("dr.house", granted.actor());

        fixture.audit.clear();
        StoredResource read = records.read(HOUSE, "Observation", observation);
        assertEquals(observation, read.id());
        AuditEvent underGrant = fixture.audit.events().get(0);
        assertEquals(AuditAction.BREAK_GLASS, underGrant.action());
        assertEquals("Observation", underGrant.resourceType());
        assertEquals(patient, underGrant.patientId());
        assertEquals("unconscious patient in the emergency room", underGrant.details());
        assertEquals(AuditAction.READ, fixture.audit.last().action());

        // The grant is this user's, for this patient only.
        assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", other));
        assertThrows(ChartRefusedException.class, () -> records.read(CUDDY, "Patient", patient));

        CLOCK.advance(Duration.ofMinutes(59));
        records.read(HOUSE, "Patient", patient);
        CLOCK.advance(Duration.ofMinutes(2));
        try {
            assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", patient));
            assertEquals(CareBasis.NONE, care.decide(HOUSE, patient).basis());
        } finally {
            CLOCK.set(START);
        }
    }

    @Test
    void aMissingOrBlankReasonIsRefusedAndNothingIsGranted() throws Exception {
        String patient = patient("BG-3");
        long grants = fixture.count("PANACEA_BREAK_GLASS");
        for (String reason : new String[] { null, "", "   " }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> care.breakGlass(HOUSE, patient, reason));
            assertTrue(e.getMessage().contains("needs a reason"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> care.breakGlass(HOUSE, patient, "x".repeat(501)));
        // Break-glass is for clinicians.
        assertThrows(AccessDeniedException.class, () -> care.breakGlass(RATCHED, patient, "curious"));
        assertEquals(grants, fixture.count("PANACEA_BREAK_GLASS"));
        assertThrows(ChartRefusedException.class, () -> records.read(HOUSE, "Patient", patient));
    }

    @Test
    void searchesHistoryAndEverythingHoldOnlyRelatedCharts() {
        String related = patient("SE-1");
        careTeam(related, "active", house, null);
        String unrelated = patient("SE-2");
        fixture.records.create(WRITER, Samples.clinical(related).get("Observation"));
        fixture.records.create(WRITER, Samples.clinical(unrelated).get("Observation"));

        List<String> patients = records.search(HOUSE, new SearchQuery("Observation", Map.of(), 100, 0)).matches()
                .stream().map(match -> subject(match)).distinct().toList();
        // Other tests' patients of this record may be related too (or under a grant): this one is, that one is not.
        assertTrue(patients.contains("Patient/" + related), patients.toString());
        assertFalse(patients.contains("Patient/" + unrelated), patients.toString());
        assertEquals(0, records.search(HOUSE, new SearchQuery("Observation", Map.of("patient", unrelated), 10, 0))
                .total());
        assertTrue(records.history(HOUSE, "Observation", null, null, 100, 0).entries().stream()
                .noneMatch(entry -> entry.resource().map(resource -> subject(resource).equals("Patient/" + unrelated))
                        .orElse(false)));
        assertThrows(ChartRefusedException.class, () -> records.everything(HOUSE, unrelated, null, 10));
        assertEquals(related, records.everything(HOUSE, related, null, 10).matches().get(0).id());
    }

    @Test
    void aTokenLimitedToItsLaunchPatientOpensThatChartAloneOnEveryDoor() {
        String launch = patient("SM-1");
        String other = patient("SM-2");
        careTeam(launch, "active", house, null);
        careTeam(other, "active", house, null);
        String launchObservation = fixture.records.create(WRITER, Samples.clinical(launch).get("Observation")).id();
        String otherObservation = fixture.records.create(WRITER, Samples.clinical(other).get("Observation")).id();
        // An observation of the launch patient that points at the other patient's: _include must not follow it out.
        String pointing = fixture.records.create(WRITER, Samples.clinical(launch).get("Observation").replaceFirst(
                "\"status\"", "\"hasMember\": [{\"reference\": \"Observation/" + otherObservation
                        + "\"}], \"status\"")).id();
        Caller app = RecordsFixture.SEALS.issue("dr.house", Set.of(Role.CLINICIAN), "10.0.0.20",
                Set.of("patient/*.read"), launch);

        assertEquals(CareBasis.CARE_TEAM, care.decide(app, launch).basis());
        assertEquals(launchObservation, records.read(app, "Observation", launchObservation).id());
        assertEquals(CareBasis.OTHER_PATIENT_CONTEXT, care.decide(app, other).basis(), "the care team does not widen");
        fixture.audit.clear();
        ChartRefusedException refused = assertThrows(ChartRefusedException.class,
                () -> records.read(app, "Patient", other));
        assertTrue(refused.getMessage().startsWith("the token is limited to Patient/" + launch), refused.getMessage());
        AuditEvent denial = fixture.audit.single();
        assertEquals(AuditAction.ACCESS_DENIED, denial.action());
        assertEquals(other, denial.patientId());
        assertTrue(denial.details().endsWith("[token limited to Patient/" + launch + "]"), denial.details());
        assertThrows(ChartRefusedException.class, () -> records.read(app, "Observation", otherObservation));
        assertThrows(ChartRefusedException.class, () -> records.history(app, "Observation", otherObservation, null,
                10, 0));
        assertThrows(ChartRefusedException.class, () -> records.everything(app, other, null, 10));
        assertThrows(AccessDeniedException.class, () -> care.breakGlass(app, other, "the app asks"));

        // A search naming no patient holds the launch patient's resources only; one naming another is refused.
        List<String> subjects = records.search(app, new SearchQuery("Observation", Map.of(), 100, 0)).matches()
                .stream().map(CareAccessTest::subject).distinct().toList();
        assertEquals(List.of("Patient/" + launch), subjects);
        for (Map<String, String> naming : List.of(Map.of("patient", other), Map.of("subject", "Patient/" + other),
                Map.of("patient", launch + "," + other))) {
            assertThrows(ChartRefusedException.class, () -> records.search(app, new SearchQuery("Observation",
                    naming, 10, 0)), naming.toString());
        }
        assertThrows(ChartRefusedException.class, () -> records.search(app, new SearchQuery("Patient",
                Map.of("_id", other), 10, 0)));
        var included = records.fhirSearch(app, org.panacea.records.internal.search.SearchRequest.parse(
                "Observation", Map.of("_id", List.of(pointing), "_include", List.of("Observation:has-member")), 10,
                START));
        assertEquals(1, included.matches().size());
        assertTrue(included.warnings().stream().anyMatch(w -> w.contains("only the chart of Patient/" + launch)));
        assertTrue(included.included().stream().noneMatch(r -> r.id().equals(otherObservation)),
                "an _include reaching another patient's chart is left out");
        assertEquals(launch, records.everything(app, launch, null, 10).matches().get(0).id());

        // Scopes narrow: the read scope writes nothing, even in the launch patient's chart.
        assertThrows(AccessDeniedException.class, () -> records.create(app, Samples.clinical(launch)
                .get("Observation")));
        fixture.audit.clear();
        records.read(app, "Patient", launch);
        assertTrue(fixture.audit.single().details().contains("token limited to Patient/" + launch),
                "every entry names the launch context");

        // A write scope writes into the launch patient's chart only: no other chart, no new patient.
        Caller writer = RecordsFixture.SEALS.issue("dr.house", Set.of(Role.CLINICIAN), "10.0.0.20",
                Set.of("patient/*.cruds"), launch);
        assertEquals("Patient/" + launch, subject(records.create(writer, Samples.clinical(launch)
                .get("Observation"))));
        assertThrows(ChartRefusedException.class, () -> records.create(writer, Samples.clinical(other)
                .get("Observation")));
        ChartRefusedException newChart = assertThrows(ChartRefusedException.class, () -> records.create(writer,
                Samples.patient("New", "Nora", "SM-9")));
        assertTrue(newChart.getMessage().startsWith("the token is limited to Patient/" + launch),
                newChart.getMessage());
    }

    @Test
    void aLaunchPatientOpensNothingWithoutACareRelationship() {
        String stranger = patient("SM-3");
        Caller app = RecordsFixture.SEALS.issue("dr.cuddy", Set.of(Role.CLINICIAN), "10.0.0.21",
                Set.of("patient/*.read"), stranger);
        ChartRefusedException refused = assertThrows(ChartRefusedException.class,
                () -> records.read(app, "Patient", stranger));
        assertTrue(refused.getMessage().startsWith("no care relationship with Patient/" + stranger),
                refused.getMessage());
    }

    @Test
    void imagesOfAnUnrelatedPatientAreRefusedToAPersonButNotToAConfiguredDicomPeer() throws Exception {
        ArchivedInstance ct = fixture.archive().store(WRITER, new ByteArrayInputStream(
                RecordsContract.dicom("CT_small.dcm")));
        DicomImageArchive archive = new DicomImageArchive(fixture.transactions, fixture.policy, fixture.encryption,
                fixture.audit, CLOCK, 1L << 30, care);
        assertThrows(ChartRefusedException.class, () -> archive.describe(HOUSE, ct.sopInstanceUid()));
        assertThrows(ChartRefusedException.class, () -> archive.load(HOUSE, ct.sopInstanceUid(), 0));
        assertThrows(ChartRefusedException.class, () -> archive.retrieveAll(HOUSE, List.of(ct.sopInstanceUid()),
                (instance, content) -> { }));
        // A token limited to another patient gets the image refused on that ground, whatever else applies.
        Caller app = RecordsFixture.SEALS.issue("dr.house", Set.of(Role.CLINICIAN), "10.0.0.20",
                Set.of("patient/*.read"), "someone-else");
        ChartRefusedException limited = assertThrows(ChartRefusedException.class,
                () -> archive.describe(app, ct.sopInstanceUid()));
        assertTrue(limited.getMessage().startsWith("the token is limited to Patient/someone-else"),
                limited.getMessage());
        // A DICOM peer is a system its AE configuration admits, not a person: care relationships do not bind it.
        Caller pacs = RecordsFixture.SEALS.issue("dicom:PACS", Set.of(Role.CLINICIAN), "10.1.2.5");
        assertEquals(ct.sopInstanceUid(), archive.describe(pacs, ct.sopInstanceUid()).sopInstanceUid());
    }

    // ---------------------------------------------------------------------------------------------------- data

    private static String practitioner(String user) {
        return fixture.records.create(WRITER, """
                {"resourceType": "Practitioner", "identifier": [{"system": "urn:panacea:user", "value": "%s"}],
                 "name": [{"family": "%s"}]}""".formatted(user, user)).id();
    }

    private static String patient(String mrn) {
        return fixture.records.create(WRITER, Samples.patient("Test", "Pat", mrn)).id();
    }

    private static void careTeam(String patient, String status, String practitioner, String memberUntil) {
        fixture.records.create(WRITER, """
                {"resourceType": "CareTeam", "status": "%s", "subject": {"reference": "Patient/%s"},
                 "participant": [{"member": {"reference": "Practitioner/%s"}%s}]}""".formatted(status, patient,
                practitioner, memberUntil == null ? "" : ", \"period\": {\"end\": \"" + memberUntil + "\"}"));
    }

    private static void encounter(String patient, String status, String end) {
        fixture.records.create(WRITER, """
                {"resourceType": "Encounter", "status": "%s",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
                 "subject": {"reference": "Patient/%s"},
                 "participant": [{"individual": {"reference": "Practitioner/%s"}}],
                 "period": {"start": "2026-11-20T08:00:00Z"%s}}""".formatted(status, patient, house,
                end == null ? "" : ", \"end\": \"" + end + "\""));
    }

    private static String subject(StoredResource resource) {
        return org.panacea.records.internal.fhir.FhirJson.parseObject(resource.json()).path("subject")
                .path("reference").asText();
    }

    /** A clock the test moves: break-glass grants expire on it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

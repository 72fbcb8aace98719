package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.Role;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Every update and delete keeps the version it replaces, sealed; vread, history and 410 after a delete. */
class VersionHistoryTest {

    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller RESEARCHER = RecordsFixture.SEALS.issue("ada", Set.of(Role.RESEARCHER), "10.0.0.9");

    /** A clock the test moves forward, so versions have distinct times. */
    static final class SteppingClock extends Clock {
        Instant now = Instant.parse("2026-01-05T08:00:00Z");

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

        void advanceMinutes(long minutes) {
            now = now.plusSeconds(minutes * 60);
        }
    }

    private final SteppingClock clock = new SteppingClock();
    private RecordsFixture fixture;
    private JpaPatientRecords records;

    @BeforeEach
    void open() throws Exception {
        fixture = RecordsFixture.derby(clock);
        records = fixture.records;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private StoredResource renamed(StoredResource current, String family) {
        ObjectNode patient = FhirJson.parseObject(current.json());
        ((ObjectNode) patient.path("name").get(0)).put("family", family);
        clock.advanceMinutes(1);
        return records.update(CLINICIAN, "Patient", current.id(), current.versionId(), patient.toString());
    }

    private static String family(StoredResource resource) {
        return FhirJson.parseObject(resource.json()).path("name").get(0).path("family").asText();
    }

    @Test
    void everyEarlierVersionIsReadByVersionAndListedNewestFirst() throws Exception {
        StoredResource v1 = records.create(CLINICIAN, Samples.patient("Ashdown", "Ada", "MRN-H1"));
        StoredResource v2 = renamed(v1, "Birchwood");
        StoredResource v3 = renamed(v2, "Cranfield");

        assertEquals("Ashdown", family(records.readVersion(CLINICIAN, "Patient", v1.id(), 1)));
        assertEquals("Birchwood", family(records.readVersion(CLINICIAN, "Patient", v1.id(), 2)));
        assertEquals("Cranfield", family(records.readVersion(CLINICIAN, "Patient", v1.id(), 3)));
        assertEquals("1", FhirJson.parseObject(records.readVersion(CLINICIAN, "Patient", v1.id(), 1).json())
                .path("meta").path("versionId").asText());
        assertThrows(ResourceNotFoundException.class, () -> records.readVersion(CLINICIAN, "Patient", v1.id(), 4));
        assertEquals(2, fixture.count("PANACEA_RESOURCE_VERSION"), "the current version is not stored twice");

        JpaPatientRecords.HistoryPage history = records.history(CLINICIAN, "Patient", v1.id(), null, 10, 0);
        assertEquals(3, history.total());
        assertEquals(List.of(3L, 2L, 1L), history.entries().stream().map(HistoryEntry::versionId).toList());
        assertEquals(v3.lastUpdated(), history.entries().get(0).lastUpdated());
        assertEquals(v1.lastUpdated(), history.entries().get(2).lastUpdated());

        JpaPatientRecords.HistoryPage since = records.history(CLINICIAN, "Patient", v1.id(), v2.lastUpdated(), 10, 0);
        assertEquals(List.of(3L, 2L), since.entries().stream().map(HistoryEntry::versionId).toList());
        JpaPatientRecords.HistoryPage second = records.history(CLINICIAN, "Patient", v1.id(), null, 2, 2);
        assertEquals(List.of(1L), second.entries().stream().map(HistoryEntry::versionId).toList());
    }

    @Test
    void aDeletedResourceIsGoneButItsHistoryRemains() throws Exception {
        StoredResource v1 = records.create(CLINICIAN, Samples.patient("Dunmore", "Ada", "MRN-H2"));
        StoredResource v2 = renamed(v1, "Ellery");
        clock.advanceMinutes(1);
        records.delete(CLINICIAN, "Patient", v1.id());

        ResourceDeletedException gone = assertThrows(ResourceDeletedException.class,
                () -> records.read(CLINICIAN, "Patient", v1.id()));
        assertEquals(3, gone.deletedAsVersion());
        assertThrows(ResourceDeletedException.class, () -> records.readVersion(CLINICIAN, "Patient", v1.id(), 3));
        assertEquals("Ellery", family(records.readVersion(CLINICIAN, "Patient", v2.id(), 2)));

        JpaPatientRecords.HistoryPage history = records.history(CLINICIAN, "Patient", v1.id(), null, 10, 0);
        assertEquals(List.of(3L, 2L, 1L), history.entries().stream().map(HistoryEntry::versionId).toList());
        assertTrue(history.entries().get(0).deleted());
        assertFalse(history.entries().get(1).deleted());
        // A never-existing id is still 404, not 410.
        assertThrows(ResourceNotFoundException.class, () -> records.read(CLINICIAN, "Patient", "no-such-id"));
        assertFalse(assertThrows(ResourceNotFoundException.class, () -> records.read(CLINICIAN, "Patient",
                "no-such-id")) instanceof ResourceDeletedException);
    }

    @Test
    void theTypeHistoryInterleavesCurrentAndEarlierVersionsByTime() {
        StoredResource a1 = records.create(CLINICIAN, Samples.patient("Fairleigh", "Ada", "MRN-H3"));
        clock.advanceMinutes(1);
        StoredResource b1 = records.create(CLINICIAN, Samples.patient("Gresham", "Ada", "MRN-H4"));
        StoredResource a2 = renamed(a1, "Hollis");
        Instant afterFirst = b1.lastUpdated();

        JpaPatientRecords.HistoryPage all = records.history(CLINICIAN, "Patient", null, null, 10, 0);
        assertEquals(3, all.total());
        assertEquals(List.of(a2.id() + "/2", b1.id() + "/1", a1.id() + "/1"), all.entries().stream()
                .map(entry -> entry.id() + "/" + entry.versionId()).toList());
        JpaPatientRecords.HistoryPage since = records.history(CLINICIAN, "Patient", null, afterFirst, 10, 0);
        assertEquals(2, since.total());
    }

    @Test
    void anEarlierVersionCopiedOntoAnotherResourceDoesNotOpen() throws Exception {
        StoredResource a = records.create(CLINICIAN, Samples.patient("Ibbotson", "Ada", "MRN-H5"));
        renamed(a, "Jessop");
        StoredResource b = records.create(CLINICIAN, Samples.patient("Kettering", "Ada", "MRN-H6"));
        renamed(b, "Lowther");
        try (Connection connection = fixture.dataSource.getConnection();
                PreparedStatement copy = connection.prepareStatement("UPDATE PANACEA_RESOURCE_VERSION SET SEALED = "
                        + "(SELECT SEALED FROM PANACEA_RESOURCE_VERSION WHERE RESOURCE_ID = ?) WHERE RESOURCE_ID = ?")) {
            copy.setString(1, a.id());
            copy.setString(2, b.id());
            assertEquals(1, copy.executeUpdate());
        }
        assertThrows(DecryptionException.class, () -> records.readVersion(CLINICIAN, "Patient", b.id(), 1));
    }

    @Test
    void historyIsDecidedByThePolicyAndAudited() {
        StoredResource v1 = records.create(CLINICIAN, Samples.patient("Marlow", "Ada", "MRN-H7"));
        renamed(v1, "Norris");
        assertThrows(AccessDeniedException.class, () -> records.history(RESEARCHER, "Patient", v1.id(), null, 10, 0));
        assertThrows(AccessDeniedException.class, () -> records.readVersion(RESEARCHER, "Patient", v1.id(), 1));

        fixture.audit.clear();
        records.readVersion(CLINICIAN, "Patient", v1.id(), 1);
        assertEquals(AuditAction.READ, fixture.audit.last().action());
        assertEquals(v1.id(), fixture.audit.last().patientId());
        assertTrue(fixture.audit.last().details().contains("version 1"), fixture.audit.last().details());
        fixture.audit.clear();
        records.history(CLINICIAN, "Patient", v1.id(), null, 10, 0);
        assertEquals(1, fixture.audit.events().size());
        assertTrue(fixture.audit.last().details().contains("2 of 2 versions"), fixture.audit.last().details());
    }
}

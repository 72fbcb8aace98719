package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

import javax.persistence.EntityManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.images.DicomImageArchive;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Attacks by someone who can write the records database but holds no key: each sealed value is bound to its row's
 * version and clear patient column, so rolling a value back or re-linking a row to another patient makes reading it
 * fail with an integrity error instead of returning stale or misfiled data. Rows sealed before this binding still
 * read, and cannot be used to downgrade newer rows. All on a real embedded Derby database, tampered with plain SQL.
 */
class SealBindingTest {

    private RecordsFixture fixture;
    private JpaPatientRecords records;
    private EntityManagerFactory reopened;
    private Transactions reopenedTransactions;

    @BeforeEach
    void open() throws Exception {
        fixture = RecordsFixture.derby(Clock.fixed(RecordsContract.NOW, ZoneOffset.UTC));
        records = fixture.records;
    }

    @AfterEach
    void close() {
        if (reopened != null) {
            reopened.close();
        }
        fixture.close();
    }

    // ------------------------------------------------------------------------------------------------- attacks

    @Test
    void anOlderVersionCopiedOverTheCurrentRowFailsItsIntegrityCheck() throws Exception {
        String id = records.create(RecordsContract.CLINICIAN, Samples.patient("Rollback", "Ada", "MRN-RB-1")).id();
        byte[] version1 = column("PANACEA_RESOURCE", "SEALED", "ID", id);
        update("Patient", id, 1, "Rollforward");
        assertEquals("Rollforward", family(id));

        setBytes("PANACEA_RESOURCE", "SEALED", "ID", id, version1);
        DecryptionException e = assertThrows(DecryptionException.class, () -> records.read(RecordsContract.CLINICIAN,
                "Patient", id));
        assertTrue(e.getMessage().contains("Patient/" + id + " (version 2) failed its integrity check"), e.getMessage());
        assertTrue(e.getMessage().contains("rolled back to another version"), e.getMessage());
        assertTrue(!e.getMessage().contains("Rollback"), "no plaintext in the message");
        // Searches open the rows they return: no stale data through them either.
        assertThrows(DecryptionException.class, () -> records.search(RecordsContract.CLINICIAN,
                new SearchQuery("Patient", Map.of("_id", id), 10, 0)));
    }

    @Test
    void aRecordReLinkedToAnotherPatientFailsItsIntegrityCheck() throws Exception {
        String alice = records.create(RecordsContract.CLINICIAN, Samples.patient("Alice", "Ann", "MRN-RL-1")).id();
        String bob = records.create(RecordsContract.CLINICIAN, Samples.patient("Bob", "Ben", "MRN-RL-2")).id();
        String observation = records.create(RecordsContract.CLINICIAN, Samples.clinical(alice).get("Observation"))
                .id();
        setString("PANACEA_RESOURCE", "PATIENT_ID", "ID", observation, bob);

        DecryptionException e = assertThrows(DecryptionException.class, () -> records.read(RecordsContract.CLINICIAN,
                "Observation", observation));
        assertTrue(e.getMessage().contains("moved to another patient"), e.getMessage());
        assertThrows(DecryptionException.class, () -> records.search(RecordsContract.CLINICIAN,
                new SearchQuery("Observation", Map.of("patient", bob), 10, 0)));
        // Put back, it reads again: the check is exact, not a one-way alarm.
        setString("PANACEA_RESOURCE", "PATIENT_ID", "ID", observation, alice);
        records.read(RecordsContract.CLINICIAN, "Observation", observation);
    }

    @Test
    void anImageReLinkedToAnotherPatientOrResizedFailsItsIntegrityCheck() throws Exception {
        DicomImageArchive archive = fixture.archive();
        ArchivedInstance ct = archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(
                RecordsContract.dicom("CT_small.dcm")));
        String other = records.create(RecordsContract.CLINICIAN, Samples.patient("Other", "Olga", "MRN-IM-2")).id();
        String token = fixture.encryption.blindIndex("ImageInstance.uid", ct.sopInstanceUid());

        setString("PANACEA_IMAGE_INSTANCE", "PATIENT_ID", "UID_TOKEN", token, other);
        assertTrue(assertThrows(DecryptionException.class, () -> archive.describe(RecordsContract.CLINICIAN,
                ct.sopInstanceUid())).getMessage().contains("failed its integrity check"));
        assertThrows(DecryptionException.class, () -> archive.retrieve(RecordsContract.CLINICIAN,
                ct.sopInstanceUid(), new ByteArrayOutputStream()));
        assertThrows(DecryptionException.class, () -> archive.load(RecordsContract.CLINICIAN, ct.sopInstanceUid(),
                0));
        setString("PANACEA_IMAGE_INSTANCE", "PATIENT_ID", "UID_TOKEN", token, ct.patientId());
        assertEquals(ct, archive.describe(RecordsContract.CLINICIAN, ct.sopInstanceUid()));

        execute("UPDATE PANACEA_IMAGE_INSTANCE SET CHUNK_COUNT = 0 WHERE UID_TOKEN = '" + token + "'");
        assertThrows(DecryptionException.class, () -> archive.retrieve(RecordsContract.CLINICIAN,
                ct.sopInstanceUid(), new ByteArrayOutputStream()));
    }

    /**
     * An ImagingStudy lists instances from their rows, and keeps what it opened of them in memory: a row moved into
     * another study afterwards (its study column changed) is opened and checked again, and fails; it is not listed
     * under the other study from memory.
     */
    @Test
    void anInstanceRowMovedToAnotherStudyFailsItsIntegrityCheckWhenTheStudyIsRead() throws Exception {
        DicomImageArchive archive = fixture.archive();
        DicomVariants ct = new DicomVariants(RecordsContract.dicom("CT_small.dcm"));
        var original = ct.original();
        String patient = ct.newPatientId();
        String study = DicomVariants.newUid(original.study().instanceUid());
        String series = DicomVariants.newUid(original.series().instanceUid());
        ArchivedInstance first = archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(ct.with(patient,
                study, series, DicomVariants.newUid(original.instance().sopInstanceUid()))));
        ArchivedInstance second = archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(ct.with(patient,
                study, series, DicomVariants.newUid(original.instance().sopInstanceUid()))));
        ArchivedInstance elsewhere = archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(ct.with(patient,
                DicomVariants.newUid(original.study().instanceUid()), series,
                DicomVariants.newUid(original.instance().sopInstanceUid()))));
        records.read(RecordsContract.CLINICIAN, "ImagingStudy", first.imagingStudyId());
        records.read(RecordsContract.CLINICIAN, "ImagingStudy", elsewhere.imagingStudyId());

        String token = fixture.encryption.blindIndex("ImageInstance.uid", second.sopInstanceUid());
        setString("PANACEA_IMAGE_INSTANCE", "IMAGING_STUDY_ID", "UID_TOKEN", token, elsewhere.imagingStudyId());
        assertThrows(DecryptionException.class, () -> records.read(RecordsContract.CLINICIAN, "ImagingStudy",
                elsewhere.imagingStudyId()));
        setString("PANACEA_IMAGE_INSTANCE", "IMAGING_STUDY_ID", "UID_TOKEN", token, first.imagingStudyId());
        assertEquals(2, FhirJson.parseObject(records.read(RecordsContract.CLINICIAN, "ImagingStudy",
                first.imagingStudyId()).json()).path("numberOfInstances").asInt());
    }

    // --------------------------------------------------------------------------------------------- older rows

    @Test
    void rowsSealedBeforeTheBindingStillReadAndAreResealedOnTheirNextWrite() throws Exception {
        String id = records.create(RecordsContract.CLINICIAN, Samples.patient("Legacy", "Lea", "MRN-LG-1")).id();
        String directory = records.create(RecordsContract.CLINICIAN, "{\"resourceType\":\"Organization\","
                + "\"name\":\"Old Clinic\"}").id();
        DicomImageArchive archive = fixture.archive();
        byte[] file = RecordsContract.dicom("CT_small.dcm");
        ArchivedInstance ct = archive.store(RecordsContract.CLINICIAN, new ByteArrayInputStream(file));
        downgradeDatabaseToTheOldFormat();

        JpaPatientRecords upgraded = reopen();
        assertEquals("Legacy", family(upgraded, id));
        assertEquals("Old Clinic", FhirJson.parseObject(upgraded.read(RecordsContract.CLINICIAN, "Organization",
                directory).json()).path("name").asText());
        DicomImageArchive upgradedArchive = new DicomImageArchive(reopenedTransactions, fixture.policy,
                fixture.encryption, fixture.audit, fixture.clock,
                org.panacea.dicom.read.DicomReadLimits.DEFAULT.maxPixelDataBytes(), fixture.care);
        assertEquals(ct, upgradedArchive.describe(RecordsContract.CLINICIAN, ct.sopInstanceUid()));
        ByteArrayOutputStream retrieved = new ByteArrayOutputStream();
        upgradedArchive.retrieve(RecordsContract.CLINICIAN, ct.sopInstanceUid(), retrieved);
        assertArrayEquals(file, retrieved.toByteArray());
        assertEquals(Sealed.LEGACY, integer("PANACEA_RESOURCE", "SEAL_FORMAT", "ID", id));

        // The next write seals it in the current format and drops its permit.
        ObjectNode patient = FhirJson.parseObject(upgraded.read(RecordsContract.CLINICIAN, "Patient", id).json());
        ((ObjectNode) patient.withArray("name").get(0)).put("family", "Renewed");
        upgraded.update(RecordsContract.CLINICIAN, "Patient", id, 1, patient);
        assertEquals(Sealed.BOUND, integer("PANACEA_RESOURCE", "SEAL_FORMAT", "ID", id));
        assertNull(string("PANACEA_RESOURCE", "LEGACY_SEAL", "ID", id));
        assertEquals("Renewed", family(upgraded, id));
    }

    @Test
    void anOldValueCannotBeReplayedIntoANewerRow() throws Exception {
        String id = records.create(RecordsContract.CLINICIAN, Samples.patient("Before", "Bea", "MRN-DG-1")).id();
        downgradeDatabaseToTheOldFormat();
        JpaPatientRecords upgraded = reopen();
        byte[] oldValue = column("PANACEA_RESOURCE", "SEALED", "ID", id);
        String oldPermit = string("PANACEA_RESOURCE", "LEGACY_SEAL", "ID", id);
        ObjectNode patient = FhirJson.parseObject(upgraded.read(RecordsContract.CLINICIAN, "Patient", id).json());
        ((ObjectNode) patient.withArray("name").get(0)).put("family", "After");
        upgraded.update(RecordsContract.CLINICIAN, "Patient", id, 1, patient);

        // The old value, its old marker and its old permit, pasted over version 2: the permit was for version 1.
        setBytes("PANACEA_RESOURCE", "SEALED", "ID", id, oldValue);
        execute("UPDATE PANACEA_RESOURCE SET SEAL_FORMAT = 1, LEGACY_SEAL = '" + oldPermit + "' WHERE ID = '" + id
                + "'");
        assertThrows(DecryptionException.class, () -> upgraded.read(RecordsContract.CLINICIAN, "Patient", id));

        // Without a marker at all, hoping a restart adopts the row: a database already marked issues no permits.
        String later = upgraded.create(RecordsContract.CLINICIAN, Samples.patient("Later", "Lou", "MRN-DG-2")).id();
        execute("UPDATE PANACEA_RESOURCE SET SEAL_FORMAT = NULL, LEGACY_SEAL = NULL WHERE ID = '" + id + "'");
        JpaPatientRecords restarted = reopen();
        assertThrows(DecryptionException.class, () -> restarted.read(RecordsContract.CLINICIAN, "Patient", id));
        assertNull(integer("PANACEA_RESOURCE", "SEAL_FORMAT", "ID", id));

        // Every marker removed, so that the database looks older than this version: the rows written since do not
        // open the old way, so nothing is adopted.
        execute("UPDATE PANACEA_RESOURCE SET SEAL_FORMAT = NULL, LEGACY_SEAL = NULL");
        JpaPatientRecords wiped = reopen();
        assertThrows(DecryptionException.class, () -> wiped.read(RecordsContract.CLINICIAN, "Patient", id));
        assertThrows(DecryptionException.class, () -> wiped.read(RecordsContract.CLINICIAN, "Patient", later));
        assertNull(integer("PANACEA_RESOURCE", "SEAL_FORMAT", "ID", id));
    }

    @Test
    void aPermittedOldRowCannotTakeAnotherOldValueOrPatient() throws Exception {
        String id = records.create(RecordsContract.CLINICIAN, Samples.patient("First", "Fay", "MRN-PM-1")).id();
        String other = records.create(RecordsContract.CLINICIAN, Samples.patient("Second", "Sam", "MRN-PM-2")).id();
        String observation = records.create(RecordsContract.CLINICIAN, Samples.clinical(id).get("Observation"))
                .id();
        // Two versions sealed the old way: version 1's value is kept to be replayed over version 2 later.
        ObjectNode patient = FhirJson.parseObject(records.read(RecordsContract.CLINICIAN, "Patient", id).json());
        byte[] version1 = legacyValue(id);
        ((ObjectNode) patient.withArray("name").get(0)).put("family", "Firstly");
        records.update(RecordsContract.CLINICIAN, "Patient", id, 1, patient);
        downgradeDatabaseToTheOldFormat();
        JpaPatientRecords upgraded = reopen();
        assertEquals("Firstly", family(upgraded, id));

        setBytes("PANACEA_RESOURCE", "SEALED", "ID", id, version1);
        assertThrows(DecryptionException.class, () -> upgraded.read(RecordsContract.CLINICIAN, "Patient", id));

        setString("PANACEA_RESOURCE", "PATIENT_ID", "ID", observation, other);
        assertThrows(DecryptionException.class, () -> upgraded.read(RecordsContract.CLINICIAN, "Observation",
                observation));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The records store started again on the same database, as after an upgrade or a restart. */
    private JpaPatientRecords reopen() {
        if (reopened != null) {
            reopened.close();
        }
        if (fixture.entityManagers.isOpen()) {
            fixture.entityManagers.close();
        }
        reopened = RecordsFixture.entityManagerFactory(fixture.dataSource);
        reopenedTransactions = new Transactions(reopened, fixture.encryption);
        return new JpaPatientRecords(reopenedTransactions, fixture.encryption, fixture.policy, fixture.audit,
                Clock.fixed(RecordsContract.NOW, ZoneOffset.UTC), fixture.care);
    }

    /**
     * Makes the database look as the previous release left it: every value sealed with the binding of type, id and
     * column only, and no binding-format columns.
     */
    private void downgradeDatabaseToTheOldFormat() throws Exception {
        try (Connection connection = fixture.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery(
                    "SELECT ID, RESOURCE_TYPE, VERSION_ID, PATIENT_ID, SEALED, SEAL_FORMAT FROM PANACEA_RESOURCE");
                    PreparedStatement write = connection.prepareStatement(
                            "UPDATE PANACEA_RESOURCE SET SEALED = ? WHERE ID = ?")) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    String type = rows.getString(2);
                    byte[] sealed = rows.getBytes(5);
                    byte[] plaintext = rows.getInt(6) == Sealed.BOUND
                            ? fixture.encryption.decrypt(Sealed.resource(type, id, rows.getLong(3), rows.getString(4)),
                                    sealed)
                            : fixture.encryption.decrypt(Sealed.legacyResource(type, id), sealed);
                    write.setBytes(1, fixture.encryption.encrypt(Sealed.legacyResource(type, id), plaintext));
                    write.setString(2, id);
                    write.executeUpdate();
                }
            }
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery(
                    "SELECT UID_TOKEN, BINARY_ID, PATIENT_ID, IMAGING_STUDY_ID, FORMAT, MODALITY, WIDTH, HEIGHT, "
                            + "FRAMES, BYTE_COUNT, CHUNK_COUNT, SEALED_METADATA FROM PANACEA_IMAGE_INSTANCE");
                    PreparedStatement write = connection.prepareStatement(
                            "UPDATE PANACEA_IMAGE_INSTANCE SET SEALED_METADATA = ? WHERE UID_TOKEN = ?")) {
                while (rows.next()) {
                    FieldBinding bound = Sealed.imageMetadata(rows.getString(2), rows.getString(1), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getInt(7), rows.getInt(8),
                            rows.getInt(9), rows.getLong(10), rows.getInt(11));
                    byte[] plaintext = fixture.encryption.decrypt(bound, rows.getBytes(12));
                    write.setBytes(1, fixture.encryption.encrypt(Sealed.legacyImageMetadata(rows.getString(2)),
                            plaintext));
                    write.setString(2, rows.getString(1));
                    write.executeUpdate();
                }
            }
            try (Statement alter = connection.createStatement()) {
                for (String table : new String[] { "PANACEA_RESOURCE", "PANACEA_IMAGE_INSTANCE" }) {
                    alter.execute("ALTER TABLE " + table + " DROP COLUMN SEAL_FORMAT");
                    alter.execute("ALTER TABLE " + table + " DROP COLUMN LEGACY_SEAL");
                }
            }
            connection.commit();
        }
    }

    /** The current value of a resource sealed the old way (type, id, column), as the previous release wrote it. */
    private byte[] legacyValue(String id) throws Exception {
        byte[] plaintext = fixture.encryption.decrypt(Sealed.resource("Patient", id, 1, id),
                column("PANACEA_RESOURCE", "SEALED", "ID", id));
        return fixture.encryption.encrypt(Sealed.legacyResource("Patient", id), plaintext);
    }

    private void update(String type, String id, long version, String family) {
        ObjectNode patient = FhirJson.parseObject(records.read(RecordsContract.CLINICIAN, type, id).json());
        ((ObjectNode) patient.withArray("name").get(0)).put("family", family);
        records.update(RecordsContract.CLINICIAN, type, id, version, patient);
    }

    private String family(String id) {
        return family(records, id);
    }

    private static String family(JpaPatientRecords store, String id) {
        return FhirJson.parseObject(store.read(RecordsContract.CLINICIAN, "Patient", id).json()).path("name").get(0)
                .path("family").asText();
    }

    private byte[] column(String table, String column, String key, String id) throws Exception {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + key + " = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), table + " " + id);
                return row.getBytes(1);
            }
        }
    }

    private String string(String table, String column, String key, String id) throws Exception {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + key + " = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), table + " " + id);
                return row.getString(1);
            }
        }
    }

    private Integer integer(String table, String column, String key, String id) throws Exception {
        String value = string(table, column, key, id);
        return value == null ? null : Integer.valueOf(value);
    }

    private void setBytes(String table, String column, String key, String id, byte[] value) throws Exception {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE " + key + " = ?")) {
            update.setBytes(1, value);
            update.setString(2, id);
            assertEquals(1, update.executeUpdate());
        }
    }

    private void setString(String table, String column, String key, String id, String value) throws Exception {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE " + key + " = ?")) {
            update.setString(1, value);
            update.setString(2, id);
            assertEquals(1, update.executeUpdate());
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = fixture.dataSource.getConnection(); Statement statement =
                connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

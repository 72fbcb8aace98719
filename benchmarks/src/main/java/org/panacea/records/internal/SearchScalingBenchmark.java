package org.panacea.records.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.persistence.EntityManagerFactory;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Role;
import org.panacea.dicom.http.QidoRs;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareSettings;
import org.panacea.security.internal.BenchmarkEncryption;

/**
 * Whether a search by a token costs the same however many patients are stored: the record store (real envelope
 * encryption and keyed blind indexes, embedded Derby) holds {@code patients} patients, each with an MRN and a DICOM
 * patient ID of its own, a birth date spread over a century and one ImagingStudy, and the benchmark times a search by
 * identifier (one match), by birth date (a few matches: the date buckets) and a QIDO-RS study search by PatientID
 * (the DICOMweb answer, built by the same {@link QidoRs} the server uses) at each size. Flat means the figures at
 * 10,000 and 100,000 are alike.
 * <p>
 * Seeding 100,000 patients through the store takes minutes: run it on demand, e.g.
 * {@code java -jar benchmarks/target/benchmarks.jar SearchScalingBenchmark -p patients=10000,100000}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SearchScalingBenchmark {

    private static final Caller CLINICIAN = new Caller("bench", java.util.Set.of(Role.CLINICIAN), "internal");
    private static final String MRN_SYSTEM = "https://panacea.example/fhir/sid/mrn";
    private static final LocalDate FIRST_BIRTH_DATE = LocalDate.of(1920, 1, 1);
    private static final int BIRTH_DAYS = 36_500;
    private static final String PATIENT = """
            {"resourceType": "Patient",
             "identifier": [{"system": "%s", "value": "%s"}, {"system": "%s", "value": "%s"}],
             "name": [{"use": "official", "family": "Brunner", "given": ["Elena"]}],
             "gender": "female", "birthDate": "%s"}
            """;
    /** A study as the archive files one: its UID as identifier, one CT series (instances are rows of their own). */
    private static final String STUDY = """
            {"resourceType": "ImagingStudy", "status": "available",
             "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:%s"}],
             "subject": {"reference": "Patient/%s"}, "started": "2026-01-02T10:00:00Z",
             "series": [{"uid": "%s.1", "modality": {"system": "http://dicom.nema.org/resources/ontology/DCM",
                         "code": "CT"}}]}
            """;

    @Param({ "10000", "100000" })
    int patients;

    private JpaPatientRecords records;
    private EntityManagerFactory entityManagers;
    private QidoRs qido;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("panacea-search-bench");
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        // The seeding is a hundred thousand commits; without a disk flush each it takes minutes instead of an hour on
        // a small machine. The timed searches only read, so the flushes would not change what is measured.
        System.setProperty("derby.system.durability", "test");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("records").toString());
        dataSource.setCreateDatabase("create");
        EmbeddedDataSource keys = new EmbeddedDataSource();
        keys.setDatabaseName(dir.resolve("keys").toString());
        keys.setCreateDatabase("create");
        FieldEncryption fields = BenchmarkEncryption.create(dir.resolve("keys.bcfks"), keys);
        Map<String, Object> properties = new HashMap<>();
        properties.put("javax.persistence.nonJtaDataSource", dataSource);
        entityManagers = new PersistenceProvider().createEntityManagerFactory("panacea-records", properties);
        // The clinician sees every patient through a department rule, as the demo's clinicians do: the care check
        // runs on every search and read, as it does in the server.
        Transactions transactions = new Transactions(entityManagers, fields);
        RecordsBenchmark.AllowAll policy = new RecordsBenchmark.AllowAll();
        RecordsBenchmark.NoAudit audit = new RecordsBenchmark.NoAudit();
        CareSettings care = new CareSettings(CareSettings.DEFAULTS.breakGlassDuration(),
                CareSettings.DEFAULTS.encounterWindow(),
                CareSettings.parseDepartments(CareSettings.EVERY_PATIENT + "=" + CLINICIAN.name()));
        records = new JpaPatientRecords(transactions, fields, policy, audit, Clock.systemUTC(),
                new CareRelationshipAccess(transactions, fields, policy, audit, Clock.systemUTC(), care));
        long started = System.nanoTime();
        for (int i = 0; i < patients; i++) {
            String patient = records.create(CLINICIAN, PATIENT.formatted(MRN_SYSTEM, mrn(i),
                    ImageArchive.DICOM_PATIENT_ID_SYSTEM, dicomPatientId(i), birthDate(i))).id();
            records.create(CLINICIAN, STUDY.formatted(studyUid(i), patient, studyUid(i)));
            if ((i + 1) % 10_000 == 0) {
                System.out.printf("  %,d patients and their studies stored (%.0f s)%n", i + 1, (System.nanoTime() - started) / 1e9);
            }
        }
        qido = new QidoRs(records);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        entityManagers.close();
    }

    /** {@code Patient?identifier=system|value}: one match among all. */
    @Benchmark
    public long searchByIdentifier() {
        int i = ThreadLocalRandom.current().nextInt(patients);
        long found = records.search(CLINICIAN, new SearchQuery("Patient",
                Map.of("identifier", MRN_SYSTEM + "|" + mrn(i)), 10, 0)).total();
        if (found != 1) {
            throw new IllegalStateException("identifier " + mrn(i) + " matched " + found);
        }
        return found;
    }

    /** {@code Patient?birthdate=YYYY-MM-DD}: the patients born that day (about patients / 36,500). */
    @Benchmark
    public long searchByBirthDate() {
        int i = ThreadLocalRandom.current().nextInt(patients);
        long found = records.search(CLINICIAN, new SearchQuery("Patient", Map.of("birthdate", birthDate(i)), 100, 0))
                .total();
        if (found < 1) {
            throw new IllegalStateException("birth date " + birthDate(i) + " matched nothing");
        }
        return found;
    }

    /** QIDO-RS {@code GET /dicomweb/studies?PatientID=...}: the patient's one study, in the DICOM JSON model. */
    @Benchmark
    public List<Map<String, Object>> qidoStudiesByPatientId() {
        int i = ThreadLocalRandom.current().nextInt(patients);
        List<Map<String, Object>> studies = qido.studies(CLINICIAN,
                Map.of("PatientID", new String[] { dicomPatientId(i) })).matches();
        if (studies.size() != 1) {
            throw new IllegalStateException("PatientID " + dicomPatientId(i) + " matched " + studies.size());
        }
        return studies;
    }

    private static String dicomPatientId(int i) {
        return "PID-" + i;
    }

    private static String studyUid(int i) {
        return "1.2.826.0.1.3680043.10.1234." + (i + 1);
    }

    private static String mrn(int i) {
        return "SCALE-" + i;
    }

    private static String birthDate(int i) {
        // A stride coprime with the number of days spreads the patients over the century evenly.
        return FIRST_BIRTH_DATE.plusDays((i * 7919L) % BIRTH_DAYS).toString();
    }
}

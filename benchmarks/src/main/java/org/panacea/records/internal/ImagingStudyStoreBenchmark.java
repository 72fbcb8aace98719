package org.panacea.records.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.derby.jdbc.EmbeddedDataSource;
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
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Role;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareSettings;
import org.panacea.records.internal.images.DicomImageArchive;
import org.panacea.security.internal.BenchmarkEncryption;

/**
 * The record's side of one C-STORE or STOW-RS instance: {@link DicomImageArchive#store} of one more CT instance into
 * a study that already holds {@code instancesInStudy} instances (the file read, its chunks and metadata sealed, the
 * patient and study found, each store one durable Derby commit), and a read of that study's ImagingStudy. Real
 * envelope encryption; access policy and audit trail are no-ops (measured elsewhere). The study grows by the
 * instances the benchmark stores, a few hundred at most.
 * <p>
 * Run from the checkout's root (it reads {@code CT_small.dcm} from the records tests, or the file named by
 * {@code -Dpanacea.bench.dicom=...}):
 * {@code java -jar benchmarks/target/benchmarks.jar ImagingStudyStoreBenchmark -wi 2 -i 4 -w 2 -r 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ImagingStudyStoreBenchmark {

    /** A DICOM network caller: such platform callers are not bound by care relationships. */
    private static final Caller MODALITY = new Caller("dicom:BENCH", Set.of(Role.CLINICIAN), "internal");

    @Param({ "50", "500" })
    int instancesInStudy;

    private ArchiveOnDerby store;
    private byte[] sample;
    private byte[] sopUid;
    private String imagingStudyId;
    private long next = 1;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sample = Files.readAllBytes(Path.of(System.getProperty("panacea.bench.dicom",
                "bundles/records/src/test/resources/dicom/CT_small.dcm")));
        sopUid = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322".getBytes(StandardCharsets.US_ASCII);
        store = new ArchiveOnDerby();
        for (int i = 0; i < instancesInStudy; i++) {
            storeOne();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public String storeAnInstanceIntoTheStudy() {
        return storeOne();
    }

    @Benchmark
    public int readTheImagingStudy() {
        return store.records.read(MODALITY, "ImagingStudy", imagingStudyId).json().length();
    }

    /** Stores the sample under a SOP Instance UID of its own (same length, so the file stays valid). */
    private String storeOne() {
        byte[] uid = ("1.3.6.1.4.1.5962.1.1.1.1.1." + String.format("1%013d", next++) + ".12322")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] file = sample.clone();
        for (int i = 0; i <= file.length - sopUid.length; i++) {
            if (Arrays.equals(file, i, i + sopUid.length, sopUid, 0, sopUid.length)) {
                System.arraycopy(uid, 0, file, i, uid.length);
            }
        }
        imagingStudyId = store.archive.store(MODALITY, new ByteArrayInputStream(file)).imagingStudyId();
        return imagingStudyId;
    }

    /** The record store and image archive on a fresh embedded Derby, as the bundle wires them. */
    static final class ArchiveOnDerby implements AutoCloseable {
        final javax.persistence.EntityManagerFactory entityManagers;
        final JpaPatientRecords records;
        final DicomImageArchive archive;

        ArchiveOnDerby() throws Exception {
            Path dir = Files.createTempDirectory("panacea-imaging-bench");
            System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
            EmbeddedDataSource dataSource = new EmbeddedDataSource();
            dataSource.setDatabaseName(dir.resolve("records").toString());
            dataSource.setCreateDatabase("create");
            EmbeddedDataSource keys = new EmbeddedDataSource();
            keys.setDatabaseName(dir.resolve("keys").toString());
            keys.setCreateDatabase("create");
            FieldEncryption encryption = BenchmarkEncryption.create(dir.resolve("keys.bcfks"), keys);
            java.util.Map<String, Object> properties = new java.util.HashMap<>();
            properties.put("javax.persistence.nonJtaDataSource", dataSource);
            entityManagers = new org.eclipse.persistence.jpa.PersistenceProvider()
                    .createEntityManagerFactory("panacea-records", properties);
            Transactions transactions = new Transactions(entityManagers, encryption);
            RecordsBenchmark.AllowAll policy = new RecordsBenchmark.AllowAll();
            RecordsBenchmark.NoAudit audit = new RecordsBenchmark.NoAudit();
            CareRelationshipAccess care = new CareRelationshipAccess(transactions, encryption, policy, audit,
                    Clock.systemUTC(), CareSettings.DEFAULTS);
            records = new JpaPatientRecords(transactions, encryption, policy, audit, Clock.systemUTC(), care);
            archive = new DicomImageArchive(transactions, policy, encryption, audit, Clock.systemUTC(),
                    org.panacea.dicom.read.DicomReadLimits.DEFAULT.maxPixelDataBytes(), care);
        }

        @Override
        public void close() {
            entityManagers.close();
        }
    }
}

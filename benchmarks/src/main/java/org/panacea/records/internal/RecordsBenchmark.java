package org.panacea.records.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.security.internal.BenchmarkEncryption;

/**
 * Patient create and read-by-id through Panacea's record store (validation, JPA on EclipseLink, embedded Derby,
 * blind-index tokens) with the real envelope encryption ({@code encryption=on}) and with a pass-through
 * ({@code off}), side by side with raw JDBC inserts and primary-key reads of the same JSON into a table of the same
 * shape in the same Derby. The audit trail and access policy are no-ops here: they are measured elsewhere.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RecordsBenchmark {

    private static final Caller CLINICIAN = new Caller("bench", java.util.Set.of(Role.CLINICIAN), "internal");
    private static final String PATIENT = """
            {"resourceType": "Patient",
             "identifier": [{"system": "https://panacea.example/fhir/sid/mrn", "value": "%s"}],
             "name": [{"use": "official", "family": "Brunner", "given": ["Elena", "Maria"]}],
             "gender": "female", "birthDate": "1958-11-03",
             "telecom": [{"system": "phone", "value": "+41 44 555 12 34"}],
             "address": [{"line": ["Seestrasse 42"], "city": "Zürich", "postalCode": "8002", "country": "CH"}]}
            """;

    @Param({ "on", "off" })
    String encryption;

    private JpaPatientRecords records;
    private EntityManagerFactory entityManagers;
    private EmbeddedDataSource dataSource;
    private final List<String> ids = new ArrayList<>();
    private final AtomicLong counter = new AtomicLong();
    private Connection jdbc;
    private PreparedStatement insert;
    private PreparedStatement select;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("panacea-records-bench");
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("records").toString());
        dataSource.setCreateDatabase("create");
        EmbeddedDataSource keys = new EmbeddedDataSource();
        keys.setDatabaseName(dir.resolve("keys").toString());
        keys.setCreateDatabase("create");
        FieldEncryption fields = encryption.equals("on") ? BenchmarkEncryption.create(dir.resolve("keys.bcfks"), keys)
                : new PassThrough();
        Map<String, Object> properties = new HashMap<>();
        properties.put("javax.persistence.nonJtaDataSource", dataSource);
        entityManagers = new PersistenceProvider().createEntityManagerFactory("panacea-records", properties);
        records = new JpaPatientRecords(entityManagers, fields, new AllowAll(), new NoAudit(), Clock.systemUTC());
        for (int i = 0; i < 2000; i++) {
            ids.add(records.create(CLINICIAN, PATIENT.formatted("SEED-" + i)).id());
        }
        jdbc = dataSource.getConnection();
        try (Statement statement = jdbc.createStatement()) {
            statement.execute("CREATE TABLE RAW_RESOURCE (ID VARCHAR(64) PRIMARY KEY, RESOURCE_TYPE VARCHAR(64) NOT "
                    + "NULL, VERSION_ID BIGINT NOT NULL, LAST_UPDATED BIGINT NOT NULL, PATIENT_ID VARCHAR(64), "
                    + "MODELLED SMALLINT NOT NULL, SEALED BLOB(64M) NOT NULL)");
        }
        insert = jdbc.prepareStatement("INSERT INTO RAW_RESOURCE VALUES (?, 'Patient', 1, ?, ?, 1, ?)");
        select = jdbc.prepareStatement("SELECT SEALED, VERSION_ID FROM RAW_RESOURCE WHERE ID = ?");
        for (String id : ids) {
            rawInsert(id);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        jdbc.close();
        entityManagers.close();
    }

    @Benchmark
    public String createPatient() {
        return records.create(CLINICIAN, PATIENT.formatted("BENCH-" + counter.incrementAndGet())).id();
    }

    @Benchmark
    public String readPatientById() {
        return records.read(CLINICIAN, "Patient", ids.get(ThreadLocalRandom.current().nextInt(ids.size()))).json();
    }

    /** The floor: one autocommitted INSERT of the plain JSON, no validation, no index, no encryption. */
    @Benchmark
    public int rawJdbcInsert() throws Exception {
        return rawInsert(UUID.randomUUID().toString());
    }

    @Benchmark
    public int rawJdbcReadById() throws Exception {
        select.setString(1, ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
        try (ResultSet result = select.executeQuery()) {
            result.next();
            return result.getBytes(1).length;
        }
    }

    private int rawInsert(String id) throws Exception {
        insert.setString(1, id);
        insert.setLong(2, Instant.now().toEpochMilli());
        insert.setString(3, id);
        insert.setBytes(4, PATIENT.formatted("RAW-" + counter.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        return insert.executeUpdate();
    }

    /** Encryption off: the same code path with the plaintext stored as is. */
    static final class PassThrough implements FieldEncryption {
        @Override
        public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
            return plaintext;
        }

        @Override
        public byte[] decrypt(FieldBinding binding, byte[] sealed) {
            return sealed;
        }

        @Override
        public String blindIndex(String field, String value) {
            // An unkeyed hash: the same token shape and search path, without the HMAC key.
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((field + '\u0000'
                        + value.strip().toLowerCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
                return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final class AllowAll implements AccessPolicy {
        @Override
        public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
            return AccessDecision.allow("benchmark");
        }

        @Override
        public void require(Caller caller, Operation operation, String resourceType) {
        }
    }

    static final class NoAudit implements AuditTrail {
        @Override
        public AuditEntry record(AuditEvent event) {
            return null;
        }

        @Override
        public List<AuditEntry> search(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(true, 0, 0, "");
        }
    }
}

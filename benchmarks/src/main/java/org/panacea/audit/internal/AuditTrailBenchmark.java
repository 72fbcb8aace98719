package org.panacea.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditVerification;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Panacea's {@link HashChainedAuditTrail} over embedded Derby, side by side with the bare costs it is built from, in
 * the same run and on the same kind of database:
 * <ul>
 * <li>{@code appendSingle} / {@code append8Writers}: durable {@link HashChainedAuditTrail#record} calls, one caller
 * and eight concurrent callers (group commit shares one transaction among whoever is queued);</li>
 * <li>{@code rawDerbyInsertSingle} / {@code rawDerbyInsert8Threads}: the same row inserted with plain JDBC into a table
 * of the same columns, primary key and indexes as {@code AUDIT_ENTRY}, each insert its own auto-committed
 * transaction;</li>
 * <li>{@code verify20000}: {@link HashChainedAuditTrail#verify()} over a trail pre-filled with {@value #VERIFY_ENTRIES}
 * entries (a checkpoint every 1000). It declares {@value #VERIFY_ENTRIES} operations per invocation, so its score is
 * <b>entries verified per second</b>; divide by {@value #VERIFY_ENTRIES} for whole verifications per second;</li>
 * <li>{@code rawSha256}: one {@link MessageDigest} SHA-256 over the canonical encoding of an equivalent entry, the
 * hash {@code verify()} recomputes per entry;</li>
 * <li>{@code appendPostgres8Writers}: durable appends from eight callers on PostgreSQL, through one trail
 * ({@code nodes=1}) or through two trails on the same database, four callers each ({@code nodes=2}), as two nodes
 * sharing one chain; beside {@code rawPostgresInsert8Threads}, the same row auto-committed by eight threads. Each
 * caller's stored and failed calls are counted apart ({@code stored}, {@code failed}); at the end of the trial the
 * chain is verified and its sequence numbers checked for gaps, and the outcome printed. These need a PostgreSQL
 * server: {@code -D}{@value #POSTGRES_URL_PROPERTY}{@code =jdbc:postgresql://host:port/db?user=...&password=...} on
 * the command line ({@code .ci/postgres start} prints one); its {@code AUDIT_*} and {@code RAW_ENTRY} tables are
 * dropped first. Without it they fail at set-up and the others run.</li>
 * </ul>
 * Each trial (one per benchmark, each in its own fork) gets a fresh temporary folder and Derby database, shut down and
 * deleted at the end of the trial. Derby runs with its default full durability (the log is synced at every commit);
 * PostgreSQL with whatever the server is configured for.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        // verify() logs one INFO line per call; keep the benchmark output readable.
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" })
public class AuditTrailBenchmark {

    /** Entries in the trail that {@code verify20000} checks. */
    static final int VERIFY_ENTRIES = 20_000;
    /** System property naming the PostgreSQL server of the PostgreSQL benchmarks. */
    static final String POSTGRES_URL_PROPERTY = "panacea.bench.postgres.url";

    // ------------------------------------------------------------------------------------------------ Panacea

    /** A fresh, empty trail in its own database, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Trail {

        BenchDatabase database;
        HashChainedAuditTrail trail;

        @Setup(Level.Trial)
        public void open() throws IOException {
            database = BenchDatabase.create("panacea-audit-bench");
            trail = database.openTrail();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            trail.close();
            database.shutdownAndDelete();
        }
    }

    /** A trail pre-filled with {@value #VERIFY_ENTRIES} entries through {@code record()}. */
    @State(Scope.Benchmark)
    public static class FilledTrail {

        BenchDatabase database;
        HashChainedAuditTrail trail;

        @Setup(Level.Trial)
        public void open() throws IOException {
            database = BenchDatabase.create("panacea-audit-verify-bench");
            trail = database.openTrail();
            fill(trail, VERIFY_ENTRIES);
            AuditVerification check = trail.verify();
            if (!check.intact() || check.entriesChecked() != VERIFY_ENTRIES) {
                throw new IllegalStateException("The pre-filled trail does not verify: " + check.summary());
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            trail.close();
            database.shutdownAndDelete();
        }
    }

    /** Durable appends, one caller. */
    @Benchmark
    public AuditEntry appendSingle(Trail state) {
        return state.trail.record(Events.random());
    }

    /** Durable appends, eight concurrent callers on one trail (group commit). */
    @Benchmark
    @Threads(8)
    public AuditEntry append8Writers(Trail state) {
        return state.trail.record(Events.random());
    }

    /**
     * Verification of the whole {@value #VERIFY_ENTRIES}-entry trail. The score is entries verified per second
     * ({@link OperationsPerInvocation}); one verification per second is {@value #VERIFY_ENTRIES} of it.
     */
    @Benchmark
    @OperationsPerInvocation(VERIFY_ENTRIES)
    public AuditVerification verify20000(FilledTrail state) {
        AuditVerification result = state.trail.verify();
        if (!result.intact() || result.entriesChecked() != VERIFY_ENTRIES) {
            throw new IllegalStateException(result.summary());
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ SHA-256

    /** The canonical encoding of one realistic entry, exactly as {@link EntryHasher} lays it out. */
    @State(Scope.Thread)
    public static class Hashing {

        MessageDigest sha256;
        byte[] canonicalEntry;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            sha256 = MessageDigest.getInstance("SHA-256");
            EntryHasher hasher = new EntryHasher();
            AuditEvent event = Events.random();
            EntryRow row = EntryRow.unhashed(12_345, Instant.now().truncatedTo(ChronoUnit.MICROS), event,
                    hasher.digestDetails(event.details()), Events.randomHex64());
            canonicalEntry = EntryHasher.canonical(row);
            // Same bytes as the trail hashes: the reference hashes exactly what verify() recomputes per entry.
            String expected = hasher.hash(row);
            if (!HexFormat.of().formatHex(sha256.digest(canonicalEntry)).equals(expected)) {
                throw new IllegalStateException("The canonical encoding differs from EntryHasher's");
            }
            System.out.println("\nCanonical entry: " + canonicalEntry.length + " bytes");
        }
    }

    /** One SHA-256 over an equivalent canonical entry. */
    @Benchmark
    public byte[] rawSha256(Hashing state) {
        return state.sha256.digest(state.canonicalEntry);
    }

    // ------------------------------------------------------------------------------------------------ raw Derby

    /** A table with the columns, primary key and indexes of {@code AUDIT_ENTRY}, nothing chained or sealed. */
    @State(Scope.Benchmark)
    public static class RawTable {

        static final String INSERT = "INSERT INTO RAW_ENTRY (SEQ, EVENT_TIME, ACTOR, ACTOR_ROLE, AUDIT_ACTION, "
                + "RESOURCE_TYPE, RESOURCE_ID, PATIENT_ID, OUTCOME, CLIENT_ADDRESS, DETAILS_DIGEST, PREVIOUS_HASH, "
                + "ENTRY_HASH) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

        BenchDatabase database;
        final AtomicLong sequence = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws Exception {
            database = BenchDatabase.create("panacea-derby-bench");
            try (Connection connection = database.dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                createRawTable(statement);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            database.shutdownAndDelete();
        }
    }

    /** An auto-committing connection with the prepared insert of the raw table. */
    abstract static class RawInserter {

        Connection connection;
        PreparedStatement insert;
        final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        /** Pre-computed stand-ins for the three digests: the raw path stores them, it does not compute them. */
        final String detailsDigest = Events.randomHex64();
        final String previousHash = Events.randomHex64();
        final String entryHash = Events.randomHex64();

        void connect(DataSource dataSource) throws SQLException {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            insert = connection.prepareStatement(RawTable.INSERT);
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // the database may already be shut down
            }
        }
    }

    /** Each benchmark thread's own auto-committing Derby connection and prepared insert. */
    @State(Scope.Thread)
    public static class RawConnection extends RawInserter {

        @Setup(Level.Trial)
        public void open(RawTable table) throws SQLException {
            connect(table.database.dataSource);
        }
    }

    /** One durable insert of an equivalent row, auto-committed, one thread. */
    @Benchmark
    public int rawDerbyInsertSingle(RawTable table, RawConnection state) throws SQLException {
        return insertRaw(table.sequence, state);
    }

    /** One durable insert of an equivalent row, auto-committed, eight threads each on its own connection. */
    @Benchmark
    @Threads(8)
    public int rawDerbyInsert8Threads(RawTable table, RawConnection state) throws SQLException {
        return insertRaw(table.sequence, state);
    }

    /** A table with the columns, primary key and indexes of {@code AUDIT_ENTRY}; SQL both databases accept. */
    static void createRawTable(Statement statement) throws SQLException {
        statement.executeUpdate("CREATE TABLE RAW_ENTRY (SEQ BIGINT NOT NULL PRIMARY KEY, "
                + "EVENT_TIME TIMESTAMP NOT NULL, ACTOR VARCHAR(256) NOT NULL, "
                + "ACTOR_ROLE VARCHAR(64) NOT NULL, AUDIT_ACTION VARCHAR(32) NOT NULL, "
                + "RESOURCE_TYPE VARCHAR(128) NOT NULL, RESOURCE_ID VARCHAR(512) NOT NULL, "
                + "PATIENT_ID VARCHAR(128) NOT NULL, OUTCOME VARCHAR(16) NOT NULL, "
                + "CLIENT_ADDRESS VARCHAR(256) NOT NULL, DETAILS_DIGEST VARCHAR(64) NOT NULL, "
                + "PREVIOUS_HASH VARCHAR(64) NOT NULL, ENTRY_HASH VARCHAR(64) NOT NULL)");
        statement.executeUpdate("CREATE INDEX RAW_ENTRY_PATIENT ON RAW_ENTRY (PATIENT_ID)");
        statement.executeUpdate("CREATE INDEX RAW_ENTRY_ACTOR ON RAW_ENTRY (ACTOR)");
        statement.executeUpdate("CREATE INDEX RAW_ENTRY_TIME ON RAW_ENTRY (EVENT_TIME)");
    }

    private static int insertRaw(AtomicLong sequence, RawInserter state) throws SQLException {
        AuditEvent event = Events.random();
        PreparedStatement insert = state.insert;
        insert.setLong(1, sequence.incrementAndGet());
        insert.setTimestamp(2, Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)), state.utc);
        insert.setString(3, event.actor());
        insert.setString(4, event.role());
        insert.setString(5, event.action().name());
        insert.setString(6, event.resourceType());
        insert.setString(7, event.resourceId());
        insert.setString(8, event.patientId());
        insert.setString(9, event.outcome().name());
        insert.setString(10, event.clientAddress());
        insert.setString(11, state.detailsDigest);
        insert.setString(12, state.previousHash);
        insert.setString(13, state.entryHash);
        return insert.executeUpdate();
    }

    // ------------------------------------------------------------------------------------------------ PostgreSQL

    /**
     * One or two trails ("nodes") on one fresh PostgreSQL chain, each with its own anchor file, all with one key;
     * benchmark threads are dealt out to the nodes in turn.
     */
    @State(Scope.Benchmark)
    public static class PostgresNodes {

        @Param({"1", "2"})
        public int nodes;

        Path folder;
        DataSource dataSource;
        final List<HashChainedAuditTrail> trails = new ArrayList<>();
        private final AtomicInteger dealt = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() throws Exception {
            dataSource = postgres("AUDIT_ENTRY", "AUDIT_CHECKPOINT", "AUDIT_HEAD");
            folder = Files.createTempDirectory("panacea-audit-pg-bench");
            for (int node = 1; node <= nodes; node++) {
                trails.add(new HashChainedAuditTrail(dataSource,
                        new TrailSettings(folder.resolve("etc").resolve(TrailSettings.KEY_FILE_NAME), 1000, 256,
                                folder.resolve(TrailSettings.ANCHOR_FOLDER_NAME), "bench-" + node,
                                Duration.ofMinutes(1))));
            }
        }

        HashChainedAuditTrail nextTrail() {
            return trails.get(dealt.getAndIncrement() % trails.size());
        }

        /** Prints whether the chain the trial left verifies and is gap-free, then closes the nodes. */
        @TearDown(Level.Trial)
        public void close() throws Exception {
            String verification;
            try {
                verification = trails.get(0).verify().summary();
            } catch (AuditException e) {
                verification = "verification failed: " + e.getMessage();
            }
            long rows;
            long highest;
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                    var result = statement.executeQuery("SELECT COUNT(*), COALESCE(MAX(SEQ), 0) FROM AUDIT_ENTRY")) {
                result.next();
                rows = result.getLong(1);
                highest = result.getLong(2);
            }
            System.out.println("\n" + nodes + (nodes == 1 ? " node: " : " nodes: ") + rows + " entries, highest"
                    + " sequence " + highest + (rows == highest ? " (no gap)" : " (GAPS)") + "; " + verification);
            trails.forEach(HashChainedAuditTrail::close);
            deleteTree(folder);
        }
    }

    /** A benchmark thread's node, and how many of its calls were stored and how many failed. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class PostgresWriter {

        public long stored;
        public long failed;
        HashChainedAuditTrail trail;

        @Setup(Level.Trial)
        public void pick(PostgresNodes nodes) {
            trail = nodes.nextTrail();
        }

        @Setup(Level.Iteration)
        public void reset() {
            stored = 0;
            failed = 0;
        }
    }

    /**
     * Durable appends from eight callers on PostgreSQL, through one node or shared by two. A failed call is counted,
     * not thrown: how many calls fail when nodes share a chain is part of the result.
     */
    @Benchmark
    @Threads(8)
    public AuditEntry appendPostgres8Writers(PostgresNodes nodes, PostgresWriter writer) {
        try {
            AuditEntry entry = writer.trail.record(Events.random());
            writer.stored++;
            return entry;
        } catch (AuditException e) {
            writer.failed++;
            return null;
        }
    }

    /** The raw reference table on PostgreSQL. */
    @State(Scope.Benchmark)
    public static class PostgresRawTable {

        DataSource dataSource;
        final AtomicLong sequence = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws Exception {
            dataSource = postgres("RAW_ENTRY");
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                createRawTable(statement);
            }
        }
    }

    /** Each benchmark thread's own auto-committing PostgreSQL connection and prepared insert. */
    @State(Scope.Thread)
    public static class PostgresRawConnection extends RawInserter {

        @Setup(Level.Trial)
        public void open(PostgresRawTable table) throws SQLException {
            connect(table.dataSource);
        }
    }

    /** One insert of an equivalent row, auto-committed, eight threads each on its own PostgreSQL connection. */
    @Benchmark
    @Threads(8)
    public int rawPostgresInsert8Threads(PostgresRawTable table, PostgresRawConnection state) throws SQLException {
        return insertRaw(table.sequence, state);
    }

    /** The server named by {@value #POSTGRES_URL_PROPERTY}, without the given tables. */
    static DataSource postgres(String... tables) throws SQLException {
        String url = System.getProperty(POSTGRES_URL_PROPERTY, "");
        if (url.isBlank()) {
            throw new IllegalStateException("No PostgreSQL server: run with -D" + POSTGRES_URL_PROPERTY
                    + "=jdbc:postgresql://host:port/database?user=...&password=...");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return dataSource;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Records {@code count} events through {@code record()}, from 64 threads so group commit fills it quickly. */
    static void fill(HashChainedAuditTrail trail, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<AuditEntry>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pending.add(pool.submit(() -> trail.record(Events.random())));
            }
            for (Future<AuditEntry> entry : pending) {
                entry.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not pre-fill the audit trail", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fresh embedded Derby database in its own temporary folder. */
    static final class BenchDatabase {

        final Path folder;
        final String path;
        final EmbeddedDataSource dataSource = new EmbeddedDataSource();

        private BenchDatabase(Path folder) {
            this.folder = folder;
            this.path = folder.resolve("db").toString();
            dataSource.setDatabaseName(path);
            dataSource.setCreateDatabase("create");
        }

        static BenchDatabase create(String prefix) throws IOException {
            Path folder = Files.createTempDirectory(prefix);
            // Derby reads this when its engine boots (the first connection of the fork): keep derby.log out of the
            // working directory.
            if (System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.file", folder.resolve("derby.log").toString());
            }
            return new BenchDatabase(folder);
        }

        /**
         * The trail with the defaults of {@code AuditTrailConfig}: a checkpoint every 1000, batches of up to 256, the
         * head anchored every minute.
         */
        HashChainedAuditTrail openTrail() {
            return new HashChainedAuditTrail(dataSource,
                    new TrailSettings(folder.resolve("etc").resolve(TrailSettings.KEY_FILE_NAME), 1000, 256,
                            folder.resolve(TrailSettings.ANCHOR_FOLDER_NAME), "bench", Duration.ofMinutes(1)));
        }

        void shutdownAndDelete() throws IOException {
            try {
                DriverManager.getConnection("jdbc:derby:" + path + ";shutdown=true").close();
                throw new IllegalStateException("Derby did not report the shutdown of " + path);
            } catch (SQLException expected) {
                // Derby reports a successful database shutdown as SQLState 08006.
                if (!"08006".equals(expected.getSQLState())) {
                    throw new IllegalStateException("Derby shutdown failed", expected);
                }
            }
            deleteTree(folder);
        }
    }

    static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Realistic events: a clinician reading a random patient's chart from a random workstation. */
    static final class Events {

        private Events() {
        }

        static AuditEvent random() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String patient = new UUID(random.nextLong(), random.nextLong()).toString();
            String session = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
            // ~100 characters, the size of a typical request summary.
            String details = "GET /fhir/Patient/" + patient + " _elements=name,birthDate,address purpose=TREAT sid="
                    + session.substring(0, 8);
            return new AuditEvent("clinician", "clinician", AuditAction.READ, "Patient", patient, patient,
                    AuditOutcome.SUCCESS, "10.20." + random.nextInt(256) + "." + random.nextInt(1, 255), details);
        }

        static String randomHex64() {
            byte[] bytes = new byte[32];
            ThreadLocalRandom.current().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }
}

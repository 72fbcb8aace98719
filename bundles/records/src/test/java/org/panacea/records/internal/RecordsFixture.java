package org.panacea.records.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareSettings;
import org.panacea.records.internal.images.DicomImageArchive;
import org.panacea.security.internal.CallerSeals;
import org.panacea.security.internal.RoleBasedAccessPolicy;
import org.panacea.security.internal.TestEncryption;
import org.panacea.testsupport.RecordingAuditTrail;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The records store and image archive as the platform builds them, outside OSGi: the bundle's own persistence unit on
 * EclipseLink, the security bundle's real envelope encryption and access policy, and an audit trail that remembers
 * every event.
 */
final class RecordsFixture implements AutoCloseable {

    /** Seals the test callers as the security bundle does, so the real policy accepts them. */
    static final CallerSeals SEALS = new CallerSeals();

    static final String POSTGRES_URL = System.getProperty("panacea.test.postgres.url", "");
    static final String[] TABLES = { "PANACEA_SEARCH_TOKEN", "PANACEA_IDENTIFIER_CLAIM", "PANACEA_RESOURCE",
            "PANACEA_RESOURCE_VERSION", "PANACEA_RECORD_SETTING", "PANACEA_SEARCH", "PANACEA_SEARCH_MATCH",
            "PANACEA_EXPORT_JOB", "PANACEA_EXPORT_ITEM", "PANACEA_IMAGE_INSTANCE", "PANACEA_BINARY_CHUNK",
            "PANACEA_BREAK_GLASS" };

    final Path directory;
    final DataSource dataSource;
    final EntityManagerFactory entityManagers;
    final FieldEncryption encryption;
    final RecordingAuditTrail audit = new RecordingAuditTrail();
    final Clock clock;
    final AccessPolicy policy;
    final Transactions transactions;
    /**
     * Care relationships as a department rule giving clinicians and nurses every patient: the record's own tests are
     * about storing and finding, not about who is related to whom ({@code CareAccessTest} is, with no such rule).
     */
    final CareRelationshipAccess care;
    final JpaPatientRecords records;

    /** The department rule of {@link #care}. */
    static final CareSettings EVERY_CHART = new CareSettings(CareSettings.DEFAULTS.breakGlassDuration(),
            CareSettings.DEFAULTS.encounterWindow(), CareSettings.parseDepartments("*=@clinician+@nurse"));

    private RecordsFixture(Path directory, DataSource dataSource, Clock clock) throws Exception {
        this.directory = directory;
        this.dataSource = dataSource;
        this.entityManagers = entityManagerFactory(dataSource);
        EmbeddedDataSource keyDatabase = new EmbeddedDataSource();
        keyDatabase.setDatabaseName(directory.resolve("keys-db").toString());
        keyDatabase.setCreateDatabase("create");
        this.encryption = TestEncryption.create(directory.resolve("keys.bcfks"), keyDatabase, audit);
        this.clock = clock;
        this.policy = new RoleBasedAccessPolicy(audit, SEALS);
        this.transactions = new Transactions(entityManagers, encryption);
        this.care = new CareRelationshipAccess(transactions, encryption, policy, audit, clock, EVERY_CHART);
        this.records = new JpaPatientRecords(transactions, encryption, policy, audit, clock, care);
    }

    /** The image archive on this fixture's database, with the default limits. */
    DicomImageArchive archive() {
        return new DicomImageArchive(transactions, policy, encryption, audit, clock,
                org.panacea.dicom.read.DicomReadLimits.DEFAULT.maxPixelDataBytes(), care);
    }

    /** The image archive on this fixture's database, storing at most {@code maxPixelBytes} per instance. */
    DicomImageArchive archive(long maxPixelBytes) {
        return new DicomImageArchive(transactions, policy, encryption, audit, clock, maxPixelBytes, care);
    }

    static EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("javax.persistence.nonJtaDataSource", dataSource);
        return new PersistenceProvider().createEntityManagerFactory("panacea-records", properties);
    }

    /** A fresh embedded Derby database in the build folder. */
    static RecordsFixture derby(Clock clock) throws Exception {
        Path directory = Files.createTempDirectory(Path.of("target"), "records-");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(directory.resolve("records-db").toString());
        dataSource.setCreateDatabase("create");
        return new RecordsFixture(directory, dataSource, clock);
    }

    /** The PostgreSQL server named by {@code panacea.test.postgres.url}, emptied of Panacea's tables first. */
    static RecordsFixture postgres(Clock clock) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(POSTGRES_URL);
        dropTables(dataSource);
        return new RecordsFixture(Files.createTempDirectory(Path.of("target"), "records-pg-"), dataSource, clock);
    }

    /**
     * A fresh database behind a HikariCP pool of {@code poolSize} connections, lent within {@code waitMillis} or
     * refused, as the platform's data sources are (pax-jdbc-pool-hikaricp): embedded Derby, or the PostgreSQL server
     * of {@code panacea.test.postgres.url} emptied of Panacea's tables.
     */
    static RecordsFixture pooled(boolean postgres, Clock clock, int poolSize, long waitMillis) throws Exception {
        Path directory = Files.createTempDirectory(Path.of("target"), postgres ? "records-pooled-pg-" : "records-pooled-");
        DataSource database;
        if (postgres) {
            PGSimpleDataSource server = new PGSimpleDataSource();
            server.setUrl(POSTGRES_URL);
            dropTables(server);
            database = server;
        } else {
            EmbeddedDataSource embedded = new EmbeddedDataSource();
            embedded.setDatabaseName(directory.resolve("records-db").toString());
            embedded.setCreateDatabase("create");
            // Created before the pool sees it: the pool gives the data source its own wait as the login timeout,
            // and making a new Derby database on a busy machine can take longer than the short waits tested here.
            embedded.getConnection().close();
            database = embedded;
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(database);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(waitMillis);
        config.setPoolName("test-records");
        return new RecordsFixture(directory, new HikariDataSource(config), clock);
    }

    private static void dropTables(DataSource server) throws SQLException {
        try (Connection connection = server.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** Rows in a table, counted with plain SQL. */
    long count(String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    @Override
    public void close() {
        if (entityManagers.isOpen()) {
            entityManagers.close();
        }
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }
}

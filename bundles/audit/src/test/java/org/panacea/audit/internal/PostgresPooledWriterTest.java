package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditVerification;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The audit writer on a connection pool of one connection, as the platform's audit data source is a pool
 * (pax-jdbc-pool-hikaricp): the writer keeps a connection, sets PostgreSQL session limits on it, and must give it
 * back as it was lent; and when its connection dies with the server's session, it must get a working one from the
 * pool rather than the dead one again.
 */
class PostgresPooledWriterTest {

    private static final String URL = System.getProperty("panacea.test.postgres.url", "");
    /** Names this test's sessions in pg_stat_activity, so that only they are ended. */
    private static final String APPLICATION = "panacea-pooled-writer-test";

    @TempDir
    Path folder;

    private HikariDataSource pool;
    private PGSimpleDataSource server;

    @BeforeAll
    static void requireServer() {
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(URL.isBlank(), "CI must run the PostgreSQL tests: set panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @BeforeEach
    void poolOfOne() throws SQLException {
        server = new PGSimpleDataSource();
        server.setUrl(URL);
        server.setApplicationName(APPLICATION);
        try (Connection connection = server.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : new String[] {"AUDIT_ENTRY", "AUDIT_CHECKPOINT", "AUDIT_HEAD"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(server);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(5_000);
        config.setPoolName("test-audit");
        pool = new HikariDataSource(config);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void theWriterGivesItsConnectionBackWithoutItsSessionLimits() throws Exception {
        HashChainedAuditTrail trail = new HashChainedAuditTrail(pool, settings());
        try {
            trail.record(Events.read(1));
        } finally {
            trail.close();
        }
        // The pool's one connection is the one the writer had.
        try (Connection lent = pool.getConnection(); Statement statement = lent.createStatement()) {
            assertEquals("0", show(statement, "lock_timeout"));
            assertEquals("0", show(statement, "idle_in_transaction_session_timeout"));
        }
    }

    @Test
    void aWriterWhoseSessionDiedTakesAWorkingConnectionFromThePool() throws Exception {
        HashChainedAuditTrail trail = new HashChainedAuditTrail(pool, settings());
        try {
            AuditEntry first = trail.record(Events.read(1));
            endThisTestsPooledSessions();
            // The writer finds its connection dead before the batch; the pool must not lend it the same one again.
            AuditEntry second = trail.record(Events.read(2));
            assertEquals(first.sequence() + 1, second.sequence());
        } finally {
            trail.close();
        }
        // Verified by a trail of its own (not pooled: a trail's writer keeps a connection of its own).
        HashChainedAuditTrail reader = new HashChainedAuditTrail(server, settings());
        try {
            AuditVerification verification = reader.verify();
            assertTrue(verification.intact(), verification.summary());
        } finally {
            reader.close();
        }
    }

    private void endThisTestsPooledSessions() throws SQLException {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(URL);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
                ResultSet ended = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM "
                        + "pg_stat_activity WHERE application_name = '" + APPLICATION + "'")) {
            assertTrue(ended.next() && ended.getInt(1) == 1, "the pool's one session was ended");
        }
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet value = statement.executeQuery("SHOW " + setting)) {
            value.next();
            return value.getString(1);
        }
    }

    private TrailSettings settings() {
        return new TrailSettings(folder.resolve("etc").resolve(TrailSettings.KEY_FILE_NAME), 50, 256,
                folder.resolve(TrailSettings.ANCHOR_FOLDER_NAME), "pooled", Duration.ofHours(1));
    }
}

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Nodes sharing one chain on a real PostgreSQL server, as a hospital runs several Panacea nodes on one audit database.
 * {@code .ci/run} starts a server and passes {@code panacea.test.postgres.url}; under CI a missing server fails the
 * build instead of skipping. The audit tables are dropped before each test.
 */
class PostgresSharedChainTest extends SharedChainContract {

    private static final String URL = System.getProperty("panacea.test.postgres.url", "");

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    @BeforeAll
    static void requireServer() {
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(URL.isBlank(), "CI must run the PostgreSQL tests: set panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @BeforeEach
    void emptyDatabase() throws SQLException {
        dataSource.setUrl(URL);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : new String[] {"AUDIT_ENTRY", "AUDIT_CHECKPOINT", "AUDIT_HEAD"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    /**
     * The server ends the node's session, as it does when the node's process or host dies: the node says nothing, the
     * server rolls its transaction back and releases its locks.
     */
    @Override
    void kill(Connection connection) throws SQLException {
        int backend = connection.unwrap(PGConnection.class).getBackendPID();
        try (Connection admin = dataSource.getConnection();
                PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            terminate.setInt(1, backend);
            try (ResultSet result = terminate.executeQuery()) {
                assertTrue(result.next() && result.getBoolean(1), "the node's session was ended");
            }
        }
    }
}

package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases the alert tests run on: embedded Derby (the default, one node) in a test folder, and the real
 * PostgreSQL server several nodes share ({@code panacea.test.postgres.url}, which {@code .ci/run} sets), skipped
 * without one except where {@code panacea.test.postgres.required} says CI.
 */
final class TestDatabases {

    private static final String POSTGRES_URL = System.getProperty("panacea.test.postgres.url", "");
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestDatabases() {
    }

    /** A new, empty Derby database in {@code folder}. */
    static DataSource derby(Path folder) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("alerts-" + NEXT.incrementAndGet()).toString());
        dataSource.setCreateDatabase("create");
        return dataSource;
    }

    /** Skips the calling test class without a PostgreSQL server, or fails it in CI. */
    static void requirePostgres() {
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(POSTGRES_URL.isBlank(),
                    "CI must run the PostgreSQL tests: set panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(POSTGRES_URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    /** The PostgreSQL server, emptied of {@code tables} first. */
    static DataSource postgres(String... tables) throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(POSTGRES_URL);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return dataSource;
    }
}

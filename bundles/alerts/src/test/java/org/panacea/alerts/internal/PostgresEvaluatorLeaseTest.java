package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The evaluation lease on a real PostgreSQL server ({@code panacea.test.postgres.url}), the database several nodes
 * share; skipped without one, except where {@code panacea.test.postgres.required} says CI.
 */
class PostgresEvaluatorLeaseTest extends EvaluatorLeaseContract {

    private static final String URL = System.getProperty("panacea.test.postgres.url", "");

    @BeforeAll
    static void requireServer() {
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(URL.isBlank(), "CI must run the PostgreSQL tests: set panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @Override
    DataSource emptyDatabase() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(URL);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + EvaluatorLease.TABLE);
        }
        return dataSource;
    }
}

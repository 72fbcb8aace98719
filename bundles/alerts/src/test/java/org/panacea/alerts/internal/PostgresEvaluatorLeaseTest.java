package org.panacea.alerts.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** The evaluation lease on a real PostgreSQL server, the database several nodes share (see {@link TestDatabases}). */
class PostgresEvaluatorLeaseTest extends EvaluatorLeaseContract {

    @BeforeAll
    static void requireServer() {
        TestDatabases.requirePostgres();
    }

    @Override
    DataSource emptyDatabase() throws Exception {
        return TestDatabases.postgres(EvaluatorLease.TABLE);
    }
}

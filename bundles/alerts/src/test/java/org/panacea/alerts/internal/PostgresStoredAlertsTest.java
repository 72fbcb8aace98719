package org.panacea.alerts.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/** The alert store on a real PostgreSQL server, the database several nodes share (see {@link TestDatabases}). */
class PostgresStoredAlertsTest extends StoredAlertsContract {

    @BeforeAll
    static void requireServer() {
        TestDatabases.requirePostgres();
    }

    @Override
    DataSource emptyDatabase() throws Exception {
        return TestDatabases.postgres("PANACEA_ALERT");
    }
}

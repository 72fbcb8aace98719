package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

/**
 * The shared-keys contract on a real PostgreSQL server: what several nodes pointing
 * {@code etc/org.ops4j.datasource-panacea-security.cfg} at one server get. {@code .ci/run} starts a server and passes
 * {@code panacea.test.postgres.url}; under CI a missing server fails the build instead of skipping.
 */
class PostgresSharedKeysTest extends SharedKeysContract {

    @BeforeAll
    static void requireServer() {
        boolean required = "true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""));
        if (required) {
            assertFalse(KeyDatabases.POSTGRES_URL.isBlank(), "CI must run the PostgreSQL tests: set "
                    + "panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(KeyDatabases.POSTGRES_URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @Override
    DataSource emptyDatabase() throws Exception {
        return KeyDatabases.postgres();
    }
}

package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Clock;

import org.junit.jupiter.api.BeforeAll;

/**
 * The same contract on a real PostgreSQL server: what a hospital gets by pointing
 * {@code etc/org.ops4j.datasource-panacea-records.cfg} at PostgreSQL. {@code .ci/run} starts a server and passes
 * {@code panacea.test.postgres.url}; under CI a missing server fails the build instead of skipping.
 */
class PostgresRecordsTest extends RecordsContract {

    @BeforeAll
    static void requireServer() {
        boolean required = "true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""));
        if (required) {
            assertFalse(RecordsFixture.POSTGRES_URL.isBlank(), "CI must run the PostgreSQL tests: set "
                    + "panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(RecordsFixture.POSTGRES_URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @Override
    RecordsFixture openFixture(Clock clock) throws Exception {
        return RecordsFixture.postgres(clock);
    }
}

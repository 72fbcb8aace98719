package org.panacea.alerts.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;

/** The evaluation lease on embedded Derby, the default database (one node, but the same rules). */
class DerbyEvaluatorLeaseTest extends EvaluatorLeaseContract {

    @TempDir
    Path folder;

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.derby(folder);
    }
}

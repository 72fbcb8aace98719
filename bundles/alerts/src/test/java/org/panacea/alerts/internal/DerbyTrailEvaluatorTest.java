package org.panacea.alerts.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;

/** The alert evaluator on embedded Derby, the default database (its nodes in one JVM). */
class DerbyTrailEvaluatorTest extends TrailEvaluatorContract {

    @TempDir
    Path folder;

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.derby(folder);
    }
}

package org.panacea.alerts.internal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The alert evaluator on embedded Derby, the default database (its nodes in one JVM). */
class DerbyTrailEvaluatorTest extends TrailEvaluatorContract {

    private static final AtomicInteger NEXT = new AtomicInteger();

    @TempDir
    Path folder;

    @Override
    DataSource emptyDatabase() {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("alerts-" + NEXT.incrementAndGet()).toString());
        dataSource.setCreateDatabase("create");
        return dataSource;
    }
}

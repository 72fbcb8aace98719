package org.panacea.alerts.internal;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;

/** The alert store on embedded Derby, the default database. */
class DerbyStoredAlertsTest extends StoredAlertsContract {

    @TempDir
    Path folder;

    @Override
    DataSource emptyDatabase() {
        return TestDatabases.derby(folder);
    }
}

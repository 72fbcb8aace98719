package org.panacea.security.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

/** The shared-keys contract on embedded Derby, the default security database; "nodes" share one JVM. */
class DerbySharedKeysTest extends SharedKeysContract {

    private final List<Path> databases = new ArrayList<>();

    @Override
    DataSource emptyDatabase() {
        Path folder = dir.resolve("db-" + databases.size());
        databases.add(folder);
        return KeyDatabases.derby(folder);
    }

    @AfterEach
    void shutDown() {
        databases.forEach(KeyDatabases::shutDownDerby);
    }
}

package org.panacea.audit.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Nodes sharing one chain on embedded Derby, the default database. Derby runs inside one JVM, so the nodes are trails
 * in this one, each with its own writer and connection: the database's row lock orders them as it would separate
 * processes.
 */
class DerbySharedChainTest extends SharedChainContract {

    private EmbeddedDataSource dataSource;
    private Path path;

    @BeforeEach
    void createDatabase() {
        path = folder.resolve("shared-audit-db");
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(path.toString());
        dataSource.setCreateDatabase("create");
    }

    @AfterEach
    void shutDown() {
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(path.toString());
        shutdown.setShutdownDatabase("shutdown");
        try {
            shutdown.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a successful shutdown as an exception.
        }
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    /** An embedded database has no server to notice a dead client: the transaction ends by rollback. */
    @Override
    void kill(Connection connection) throws SQLException {
        connection.rollback();
        connection.close();
    }
}

package org.panacea.audit.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;

/** A fresh embedded Derby database in a test's temporary folder, with plain-JDBC helpers for tampering with it. */
final class DerbyDatabase implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();

    final EmbeddedDataSource dataSource = new EmbeddedDataSource();
    final Path keyFile;
    private final String path;

    DerbyDatabase(Path folder) {
        this.path = folder.resolve("audit-db-" + NEXT.incrementAndGet()).toString();
        this.keyFile = folder.resolve("etc").resolve("panacea-audit.key");
        dataSource.setDatabaseName(path);
        dataSource.setCreateDatabase("create");
    }

    HashChainedAuditTrail openTrail(int checkpointInterval) {
        return new HashChainedAuditTrail(dataSource, new TrailSettings(keyFile, checkpointInterval, 256));
    }

    int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    List<Long> longs(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            List<Long> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getLong(1));
            }
            return values;
        }
    }

    String string(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /** The stored rows of the entry table, in sequence order. */
    List<EntryRow> rows() throws SQLException {
        List<EntryRow> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            new AuditStore().forEachEntry(connection, Long.MAX_VALUE, rows::add);
        }
        return rows;
    }

    /** Shuts the database down: every open connection to it fails from now on. */
    void shutdown() {
        EmbeddedDataSource shutdown = new EmbeddedDataSource();
        shutdown.setDatabaseName(path);
        shutdown.setShutdownDatabase("shutdown");
        try {
            shutdown.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a successful shutdown as SQLState 08006; "not booted" (XJ004) is fine too.
            if (!"08006".equals(expected.getSQLState()) && !"XJ004".equals(expected.getSQLState())) {
                throw new IllegalStateException("Derby shutdown failed", expected);
            }
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}

package org.panacea.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * A fresh embedded Derby database in a test's temporary folder, with plain-JDBC helpers for tampering with it, and the
 * trail's key file and anchor folder beside it.
 */
final class DerbyDatabase implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();

    final EmbeddedDataSource dataSource = new EmbeddedDataSource();
    final Path keyFile;
    final Path anchorFolder;
    private final String path;

    DerbyDatabase(Path folder) {
        this.path = folder.resolve("audit-db-" + NEXT.incrementAndGet()).toString();
        this.keyFile = folder.resolve("etc").resolve("panacea-audit.key");
        this.anchorFolder = folder.resolve("data").resolve("audit-anchors");
        dataSource.setDatabaseName(path);
        dataSource.setCreateDatabase("create");
    }

    /** A trail as a node of its own: every trail opened this way writes its own anchor file. */
    HashChainedAuditTrail openTrail(int checkpointInterval) {
        return openTrail(checkpointInterval, "node-" + NEXT.incrementAndGet());
    }

    HashChainedAuditTrail openTrail(int checkpointInterval, String node) {
        return new HashChainedAuditTrail(dataSource, settings(checkpointInterval, node));
    }

    /** Settings whose periodic anchoring never fires by itself during a test: tests call anchorNow(). */
    TrailSettings settings(int checkpointInterval, String node) {
        return new TrailSettings(keyFile, checkpointInterval, 256, anchorFolder, node, Duration.ofHours(1));
    }

    /** Copies the database's files to {@code backup}, as a backup taken while it is shut down. */
    void backupTo(Path backup) {
        shutdown();
        copyTree(Path.of(path), backup);
    }

    /** Replaces the database's files with {@code backup}, as a restore from that backup. */
    void restoreFrom(Path backup) {
        shutdown();
        deleteTree(Path.of(path));
        copyTree(backup, Path.of(path));
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

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

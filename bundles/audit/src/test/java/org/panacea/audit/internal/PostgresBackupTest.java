package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.audit.backup.BackupException;
import org.panacea.audit.backup.BackupFolder;
import org.panacea.audit.backup.BackupWriter;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code platform:backup} on a real PostgreSQL server ({@code panacea.test.postgres.url}, which {@code .ci/run}
 * names): three data sources in one database are one {@code pg_dump}; a missing pg_dump and a refused login are
 * named, without the password, and leave nothing behind.
 */
class PostgresBackupTest {

    private static final String URL = System.getProperty("panacea.test.postgres.url", "");

    @TempDir
    Path folder;

    @BeforeAll
    static void requireServer() {
        if ("true".equalsIgnoreCase(System.getProperty("panacea.test.postgres.required", ""))) {
            assertFalse(URL.isBlank(), "CI must run the PostgreSQL tests: set panacea.test.postgres.url (see .ci/run)");
        }
        assumeFalse(URL.isBlank(), "no PostgreSQL server named by panacea.test.postgres.url");
    }

    @Test
    void threeDataSourcesInOneDatabaseAreOneDumpAndTheManifestHoldsNoCredentials() throws Exception {
        PGSimpleDataSource dataSource = dataSource();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS PANACEA_BACKUP_PROBE (ID INT PRIMARY KEY)");
        }
        BackupWriter.Result result = writer("pg_dump", source -> parameter("password")).write("pg", List.of(
                new BackupWriter.Source("records", dataSource), new BackupWriter.Source("security", dataSource),
                new BackupWriter.Source("audit", dataSource)), line -> { });
        Path backup = result.folder();
        byte[] dump = Files.readAllBytes(backup.resolve("postgresql/records.dump"));
        assertArrayEquals("PGDMP".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(dump, 5), "a custom-format dump");
        try (Stream<Path> dumps = Files.list(backup.resolve("postgresql"))) {
            assertEquals(1, dumps.count(), "one database, one dump");
        }
        JsonNode manifest = new ObjectMapper().readTree(backup.resolve("manifest.json").toFile());
        for (JsonNode source : manifest.path("dataSources")) {
            assertEquals("postgresql", source.path("kind").asText());
            assertEquals("postgresql/records.dump", source.path("path").asText());
        }
        String text = Files.readString(backup.resolve("manifest.json"));
        assertFalse(text.contains(parameter("password")), "the password is not in the manifest");
        assertFalse(text.contains("jdbc:"), "no URL in the manifest");
    }

    @Test
    void aMissingPgDumpIsNamedAndLeavesNothing() throws Exception {
        BackupException failed = assertThrows(BackupException.class, () -> writer("pg_dump-not-installed-here",
                source -> parameter("password")).write("missing", List.of(new BackupWriter.Source("records",
                        dataSource())), line -> { }));
        assertTrue(failed.getMessage().contains("Cannot run pg_dump-not-installed-here"), failed::getMessage);
        try (Stream<Path> left = Files.list(folder.resolve("backups"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aRefusedLoginIsSummarisedWithoutThePassword() throws Exception {
        String wrong = "wrong-password-" + System.nanoTime();
        BackupException failed = assertThrows(BackupException.class, () -> writer("pg_dump", source -> wrong)
                .write("refused", List.of(new BackupWriter.Source("records", dataSource())), line -> { }));
        assertTrue(failed.getMessage().startsWith("pg_dump refused"), failed::getMessage);
        assertFalse(failed.getMessage().contains(wrong), failed::getMessage);
        try (Stream<Path> left = Files.list(folder.resolve("backups"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    private BackupWriter writer(String pgDump, Function<String, String> password) throws Exception {
        return new BackupWriter(new BackupFolder(folder.resolve("backups")), folder.resolve("anchors"),
                new BackupWriter.PgDump(pgDump, Duration.ofMinutes(2), password), "node-pg", "0.1.0",
                Clock.systemUTC());
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(URL);
        return dataSource;
    }

    private static String parameter(String key) {
        String query = URI.create(URL.substring("jdbc:".length())).getRawQuery();
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].equals(key)) {
                return pair[1];
            }
        }
        return "";
    }
}

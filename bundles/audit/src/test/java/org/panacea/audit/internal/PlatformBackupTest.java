package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.audit.backup.BackupException;
import org.panacea.audit.backup.BackupFolder;
import org.panacea.audit.backup.BackupWriter;

/**
 * {@code platform:backup}'s writer on real embedded Derby databases: a backup taken while the trail runs restores to
 * databases that hold the same rows and a chain that verifies against the backed-up anchors; names cannot leave the
 * backup folder; a failed backup leaves nothing; the restore marker becomes one {@code RESTORE_EPOCH} entry.
 */
class PlatformBackupTest {

    @TempDir
    Path folder;

    @Test
    void aDerbyBackupRestoresEveryRowAndAChainThatVerifiesAgainstItsAnchors() throws Exception {
        try (DerbyDatabase audit = new DerbyDatabase(folder)) {
            HashChainedAuditTrail trail = audit.openTrail(10, "node-a");
            for (int i = 1; i <= 25; i++) {
                trail.record(Events.read(i));
            }
            trail.anchorNow();
            EmbeddedDataSource records = derby("records");
            EmbeddedDataSource security = derby("security");
            byte[] chunk = new byte[300_000];
            new java.util.Random(7).nextBytes(chunk);
            execute(records, "CREATE TABLE PANACEA_BINARY_CHUNK (ID INT PRIMARY KEY, DATA BLOB)");
            try (Connection c = records.getConnection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO PANACEA_BINARY_CHUNK VALUES (1, ?)")) {
                insert.setBytes(1, chunk);
                insert.executeUpdate();
            }
            execute(security, "CREATE TABLE PANACEA_DATA_KEY (ID INT PRIMARY KEY, WRAPPED VARCHAR(64))");
            execute(security, "INSERT INTO PANACEA_DATA_KEY VALUES (1, 'wrapped')");

            List<String> progress = new ArrayList<>();
            BackupWriter.Result result = writer("backups").write("nightly", List.of(
                    new BackupWriter.Source("records", records), new BackupWriter.Source("security", security),
                    new BackupWriter.Source("audit", audit.dataSource)), progress::add);
            // Written on after the backup: the restored chain ends before this entry.
            trail.record(Events.read(26));
            trail.anchorNow();
            trail.close();

            Path backup = folder.resolve("backups/nightly");
            assertEquals(backup, result.folder());
            assertEquals(25, result.auditHead());
            assertFalse(Files.exists(folder.resolve("backups/nightly.partial")));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(backup)), "a backup is its owner's only");
            assertTrue(progress.stream().anyMatch(line -> line.contains("records database")), progress::toString);
            JsonNode manifest = new ObjectMapper().readTree(backup.resolve("manifest.json").toFile());
            assertEquals(1, manifest.path("format").asInt());
            assertEquals("node-a", manifest.path("node").asText());
            assertEquals(25, manifest.path("auditHead").path("sequence").asLong());
            assertEquals(List.of("records", "security", "audit"), names(manifest.path("dataSources")));
            for (JsonNode source : manifest.path("dataSources")) {
                assertEquals("derby", source.path("kind").asText());
                assertTrue(Files.isDirectory(backup.resolve(source.path("path").asText())), source::toString);
            }
            assertFalse(manifest.toString().contains("password"), "no credentials in the manifest");
            // Every file but the two lists is in the manifest with its checksum, and in SHA256SUMS.
            List<String> sums = Files.readAllLines(backup.resolve("SHA256SUMS"));
            for (JsonNode file : manifest.path("files")) {
                Path path = backup.resolve(file.path("path").asText());
                assertEquals(file.path("size").asLong(), Files.size(path));
                assertTrue(sums.contains(sha256(path) + "  " + file.path("path").asText()), path::toString);
            }
            assertTrue(sums.contains(sha256(backup.resolve("manifest.json")) + "  manifest.json"));
            assertTrue(Files.isRegularFile(backup.resolve("anchors/node-a.anchors")));

            // Restored: the databases as they were backed up, the chain sound against the backed-up anchors.
            EmbeddedDataSource restoredRecords = open(backup.resolve("derby/records/records"));
            try (Connection c = restoredRecords.getConnection(); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT DATA FROM PANACEA_BINARY_CHUNK WHERE ID = 1")) {
                assertTrue(rows.next());
                assertArrayEquals(chunk, rows.getBytes(1), "an image chunk reads back byte for byte");
            }
            EmbeddedDataSource restoredAudit = open(backup.resolve("derby/audit/" + manifest.path("dataSources")
                    .get(2).path("database").asText()));
            Path anchors = folder.resolve("restored-anchors");
            Files.createDirectories(anchors);
            Files.copy(backup.resolve("anchors/node-a.anchors"), anchors.resolve("node-a.anchors"));
            TrailSettings settings = new TrailSettings(audit.keyFile, 10, 256, anchors, "node-b",
                    Duration.ofHours(1));
            HashChainedAuditTrail restored = new HashChainedAuditTrail(restoredAudit, settings);
            try {
                assertTrue(restored.verify().intact(), () -> restored.verify().summary());
                assertEquals(25, restored.verify().entriesChecked());

                // The marker bin/panacea-restore leaves is recorded once, as a restore epoch, and removed.
                Path marker = folder.resolve("data/restore/pending");
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, "backup = nightly\nnode = node-a\ntaken = 2026-12-07T10:00:00Z\n"
                        + "restoredBy = ops@host\nrestoredAt = 2026-12-07T11:00:00Z\n");
                restored.settleRestore(marker);
                assertFalse(Files.exists(marker));
                List<AuditEntry> epochs = restored.search(new AuditQuery(null, null, AuditAction.RESTORE_EPOCH,
                        null, null, 10));
                assertEquals(1, epochs.size());
                assertEquals("system:restore", epochs.get(0).event().actor());
                assertTrue(restored.verify().intact(), () -> restored.verify().summary());
                assertTrue(restored.verify().summary().contains("backup nightly of node node-a"),
                        () -> restored.verify().summary());
            } finally {
                restored.close();
            }
        }
    }

    @Test
    void aNameNeverLeavesTheBackupFolderAndNeverReplacesABackup() throws Exception {
        BackupWriter writer = writer("backups");
        Files.createDirectories(folder.resolve("backups/taken"));
        for (String name : List.of("../escaped", "a/b", "/tmp/escaped", "..", ".hidden", "x.partial", "a\\b",
                "name with space", "x".repeat(65), "taken")) {
            assertThrows(IllegalArgumentException.class, () -> writer.write(name, List.of(), line -> { }), name);
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of("backups"), left.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> left = Files.list(folder.resolve("backups"))) {
            assertEquals(List.of("taken"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aBackupFolderThatIsASymbolicLinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(folder.resolve("elsewhere"));
        Files.createSymbolicLink(folder.resolve("link"), elsewhere);
        IOException refused = assertThrows(IOException.class, () -> new BackupFolder(folder.resolve("link")));
        assertTrue(refused.getMessage().contains("symbolic link"), refused::getMessage);
    }

    @Test
    void aLeftoverPartialThatIsASymbolicLinkIsRemovedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(folder.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Files.createDirectories(folder.resolve("backups"));
        Files.createSymbolicLink(folder.resolve("backups/b1.partial"), outside);
        EmbeddedDataSource records = derby("records");
        writer("backups").write("b1", List.of(new BackupWriter.Source("records", records)), line -> { });
        assertTrue(Files.isRegularFile(outside.resolve("keep")), "the link's target is untouched");
        assertTrue(Files.isDirectory(folder.resolve("backups/b1/derby/records")));
    }

    @Test
    void aFailedBackupLeavesNothingAndSaysWhy() throws Exception {
        EmbeddedDataSource records = derby("records");
        DataSource broken = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> {
                    throw new SQLException("connection refused by the test");
                });
        BackupException failed = assertThrows(BackupException.class, () -> writer("backups").write("b2", List.of(
                new BackupWriter.Source("records", records), new BackupWriter.Source("security", broken)),
                line -> { }));
        assertTrue(failed.getMessage().contains("connection refused by the test"), failed::getMessage);
        try (Stream<Path> left = Files.list(folder.resolve("backups"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aMissingPgDumpIsNamedAndThePasswordNeverAppears() {
        assertEquals("FATAL: password authentication failed for ***",
                BackupWriter.summarise("FATAL:  password authentication\nfailed for s3cret", "s3cret"));
        assertEquals("secret", PlatformBackup.resolve("secret"));
        assertEquals("fallback", PlatformBackup.resolve("$[env:PANACEA_TEST_SURELY_UNSET;default=fallback]"));
        assertEquals("", PlatformBackup.resolve("$[env:PANACEA_TEST_SURELY_UNSET]"));
    }

    private BackupWriter writer(String backups) throws IOException {
        return new BackupWriter(new BackupFolder(folder.resolve(backups)), folder.resolve("data/audit-anchors"),
                new BackupWriter.PgDump("pg_dump", Duration.ofMinutes(1), source -> ""), "node-a", "0.1.0",
                Clock.systemUTC());
    }

    private EmbeddedDataSource derby(String name) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("db").resolve(name).toString());
        dataSource.setCreateDatabase("create");
        return dataSource;
    }

    private static EmbeddedDataSource open(Path database) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(database.toString());
        return dataSource;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> names(JsonNode sources) {
        List<String> names = new ArrayList<>();
        sources.forEach(source -> names.add(source.path("name").asText()));
        return names;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }
}

package org.panacea.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The backup and restore drill of docs/operations.md "Backups and restore epochs", on embedded Derby and on
 * PostgreSQL: a node gets patients, observations and CT instances, {@code platform:backup} backs it up while it runs,
 * and a new, empty node with the same passphrase restores the backup with {@code bin/panacea-restore} and starts.
 * Every record then reads back equal, every instance byte for byte, and {@code audit:verify} says OK. On the way: a
 * clinician cannot back up, and a backup altered by one byte is refused with nothing restored. Prints the recovery
 * figures ({@code RECOVERY ...} lines) the documentation quotes.
 */
class BackupRestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START = Duration.ofSeconds(300);
    private static final int PATIENTS = 4;
    private static final int OBSERVATIONS_PER_PATIENT = 3;
    private static final int INSTANCES = 3;
    /** The PostgreSQL server's JDBC URL with its credentials, when the PostgreSQL drill runs. */

    @Test
    void derbyBackupRestoredOntoAnEmptyNode() throws Exception {
        assumeSsh();
        drill("derby", null, null);
    }

    @Test
    void postgresBackupRestoredIntoAnEmptyDatabase() throws Exception {
        assumeSsh();
        String server = System.getProperty("panacea.test.postgres.url", "");
        if (server.isBlank()) {
            if (Boolean.parseBoolean(System.getProperty("panacea.test.postgres.required", "false"))) {
                fail("panacea.test.postgres.url names no PostgreSQL server, and CI requires the PostgreSQL drill");
            }
            Assumptions.abort("No PostgreSQL server named (panacea.test.postgres.url): the PostgreSQL drill is skipped");
        }
        Node.Database source = Node.freshDatabase(server, "panacea_backup_");
        Node.Database target = Node.freshDatabase(server, "panacea_backup_");
        drill("postgresql", source, target);
        assertTrue(panaceaTables(target) > 0, "the restored database holds Panacea's tables");
    }

    private static void drill(String kind, Node.Database sourceDatabase, Node.Database targetDatabase)
            throws Exception {
        Path work = Path.of(System.getProperty("panacea.cluster.work", "target/cluster")).resolve("backup-" + kind);
        Node.deleteTree(work);
        Files.createDirectories(work);
        Path distribution = Path.of(System.getProperty("panacea.cluster.distribution"));
        String passphrase = "backup-drill-" + UUID.randomUUID();
        Map<String, JsonNode> records = new LinkedHashMap<>();
        Map<String, byte[]> instances = new LinkedHashMap<>();
        Path backup;
        String afterBackup = "AFTER-" + UUID.randomUUID();
        Node source = Node.unpack(distribution, work.resolve("source"), "source-" + kind, sourceDatabase, null,
                passphrase);
        try {
            source.start();
            source.awaitReady(START);
            fill(source, records, instances);

            // A clinician is refused by the console's allow-list; nothing is written.
            Node.Outcome clinician = source.console("clinician", "platform:backup --name by-clinician");
            assertTrue(clinician.output().contains("platform:backup"), clinician::toString);
            assertFalse(clinician.output().contains("complete"), clinician::toString);
            assertFalse(Files.exists(source.home.resolve("data/backup/by-clinician")), "a clinician's backup");
            // A name that is a path is refused.
            Node.Outcome escape = source.console("admin", "platform:backup --name ../../escaped");
            assertTrue(escape.output().contains("Refused"), escape::toString);

            long backupStarted = System.nanoTime();
            Node.Outcome backedUp = source.console("admin", "platform:backup --name drill");
            long backupMillis = (System.nanoTime() - backupStarted) / 1_000_000;
            assertTrue(backedUp.output().contains("Backup drill complete"), backedUp::toString);
            backup = source.home.resolve("data/backup/drill");
            assertTrue(Files.isRegularFile(backup.resolve("manifest.json")), backedUp::toString);
            System.out.printf("RECOVERY %s: platform:backup of %d patients, %d observations, %d CT instances took"
                    + " %d ms, %d bytes%n", kind, PATIENTS, PATIENTS * OBSERVATIONS_PER_PATIENT, INSTANCES,
                    backupMillis, size(backup));
            // Written after the backup: not in it (the recovery point is the backup).
            createPatient(source, afterBackup);
            // The restore refuses a running node.
            Node.Outcome running = source.restore(backup.toString());
            assertNotEquals(0, running.exit(), running::toString);
            assertTrue(running.output().contains("the node is running"), running::toString);
        } finally {
            source.close();
            source.keepLogs(work.resolve("logs"));
        }

        Node target = Node.unpack(distribution, work.resolve("target"), "restored-" + kind, targetDatabase, null,
                passphrase);
        try {
            // A backup with one byte changed is refused, and nothing is restored.
            Path tampered = work.resolve("tampered");
            copyTree(backup, tampered);
            Path victim = largestFile(tampered);
            byte[] bytes = Files.readAllBytes(victim);
            bytes[bytes.length / 2] ^= 1;
            Files.write(victim, bytes);
            Node.Outcome refused = target.restore(tampered.toString());
            assertNotEquals(0, refused.exit(), refused::toString);
            assertTrue(refused.output().contains("checksum mismatch") && refused.output().contains("nothing restored"),
                    refused::toString);
            assertFalse(Files.exists(target.home.resolve("data/db")), "a Derby database restored from a tampered"
                    + " backup");
            assertFalse(Files.exists(target.home.resolve("data/restore/pending")));
            if (targetDatabase != null) {
                assertEquals(0, panaceaTables(targetDatabase), "tables restored from a tampered backup");
            }

            long restoreStarted = System.nanoTime();
            Node.Outcome restored = target.restore(backup.toString());
            long restoreMillis = (System.nanoTime() - restoreStarted) / 1_000_000;
            assertEquals(0, restored.exit(), restored::toString);
            assertTrue(Files.exists(target.home.resolve("data/restore/pending")), restored::toString);
            // A second restore onto the now non-empty node is refused without --force.
            Node.Outcome again = target.restore(backup.toString());
            assertNotEquals(0, again.exit(), again::toString);
            assertTrue(again.output().contains("--force"), again::toString);

            long startStarted = System.nanoTime();
            target.start();
            target.awaitReady(START);
            long startMillis = (System.nanoTime() - startStarted) / 1_000_000;
            System.out.printf("RECOVERY %s: bin/panacea-restore took %d ms, the restored node served FHIR %d ms after"
                    + " its start: recovery time %d s plus the copy of the backup to the node%n", kind, restoreMillis,
                    startMillis, (restoreMillis + startMillis) / 1000);

            for (Map.Entry<String, JsonNode> record : records.entrySet()) {
                HttpResponse<String> read = target.send("GET", "/fhir/" + record.getKey(), "clinician", null);
                assertEquals(200, read.statusCode(), () -> record.getKey() + ": " + read.body());
                assertEquals(record.getValue(), JSON.readTree(read.body()), record.getKey() + " reads back equal");
            }
            for (Map.Entry<String, byte[]> instance : instances.entrySet()) {
                assertArrayEquals(instance.getValue(), retrieve(target, instance.getKey()),
                        instance.getKey() + " reads back byte for byte");
            }
            HttpResponse<String> after = target.send("GET", "/fhir/Patient?identifier="
                    + "https://panacea.example/fhir/sid/mrn%7C" + afterBackup, "clinician", null);
            assertEquals(200, after.statusCode(), after::body);
            assertEquals(0, JSON.readTree(after.body()).path("entry").size(), "a patient created after the backup");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String verified;
            do {
                // The restore is recorded by the audit trail just after its start.
                verified = target.console("auditor", "audit:verify").output();
                if (verified.contains("restore epoch")) {
                    break;
                }
                Thread.sleep(1000);
            } while (System.nanoTime() < deadline);
            System.out.println("RECOVERY " + kind + ": audit:verify on the restored node: " + verified.strip());
            assertTrue(verified.strip().startsWith("OK "), verified);
            assertTrue(verified.contains("restore epoch") && verified.contains("backup drill of node source-" + kind),
                    verified);
            assertFalse(Files.exists(target.home.resolve("data/restore/pending")), "the marker is consumed");
        } finally {
            target.close();
            target.keepLogs(work.resolve("logs"));
        }
    }

    /** Patients with observations over FHIR and CT instances over STOW-RS; each as the source node reads it back. */
    private static void fill(Node node, Map<String, JsonNode> records, Map<String, byte[]> instances)
            throws Exception {
        for (int p = 0; p < PATIENTS; p++) {
            String patient = createPatient(node, "BACKUP-" + UUID.randomUUID());
            records.put("Patient/" + patient, null);
            for (int o = 0; o < OBSERVATIONS_PER_PATIENT; o++) {
                String observation = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
                        + "[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},"
                        + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":"
                        + "\"2026-12-0" + (o + 1) + "T09:10:00+01:00\",\"valueQuantity\":{\"value\":" + (60 + p * 3 + o)
                        + ",\"unit\":\"beats/minute\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
                HttpResponse<String> created = node.send("POST", "/fhir/Observation", "clinician", observation);
                assertEquals(201, created.statusCode(), created::body);
                records.put("Observation/" + JSON.readTree(created.body()).path("id").asText(), null);
            }
        }
        byte[] ct = SampleCt.original();
        long run = SampleCt.newRun();
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            copies.add(SampleCt.withNewUids(ct, run, 10_000 + i));
        }
        HttpResponse<String> stored = node.stow(copies);
        assertEquals(200, stored.statusCode(), stored::body);
        JsonNode answer = JSON.readTree(stored.body()).path("stored");
        assertEquals(INSTANCES, answer.size(), stored::body);
        for (int i = 0; i < INSTANCES; i++) {
            String url = answer.get(i).path("url").asText();
            byte[] retrieved = retrieve(node, url);
            assertArrayEquals(copies.get(i), retrieved, "the source serves " + url + " as received");
            instances.put(url, retrieved);
            records.put(answer.get(i).path("imagingStudy").asText(), null);
        }
        for (String reference : new ArrayList<>(records.keySet())) {
            HttpResponse<String> read = node.send("GET", "/fhir/" + reference, "clinician", null);
            assertEquals(200, read.statusCode(), () -> reference + ": " + read.body());
            records.put(reference, JSON.readTree(read.body()));
        }
    }

    private static String createPatient(Node node, String mrn) throws Exception {
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                + "\"https://panacea.example/fhir/sid/mrn\",\"value\":\"" + mrn + "\"}],\"name\":[{\"family\":"
                + "\"Backup\",\"given\":[\"Drill\"]}],\"gender\":\"female\",\"birthDate\":\"1971-02-03\"}";
        HttpResponse<String> created = node.send("POST", "/fhir/Patient", "clinician", patient);
        assertEquals(201, created.statusCode(), created::body);
        return JSON.readTree(created.body()).path("id").asText();
    }

    /** WADO-RS retrieval of one instance as the archive received it. */
    private static byte[] retrieve(Node node, String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(request(node, url, "clinician").header("Accept", "application/dicom")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    private static HttpRequest.Builder request(Node node, String path, String user) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
    }

    private static int panaceaTables(Node.Database database) throws Exception {
        String url = database.url() + "?user=" + database.user() + "&password=" + database.password();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM information_schema.tables WHERE"
                        + " table_schema = current_schema() AND upper(table_name) LIKE 'PANACEA%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void assumeSsh() {
        Assumptions.assumeTrue(Node.sshClientPresent(), "no ssh client to run platform:backup in the console");
    }

    private static Path largestFile(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals("SHA256SUMS"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}

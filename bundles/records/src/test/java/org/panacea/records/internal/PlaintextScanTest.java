package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.search.SearchRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * After storing, updating, searching (with dates, kept for paging) and exporting, the database's own files hold
 * no date of birth, date of care, name or identifier in any common spelling: they exist only inside sealed values.
 */
class PlaintextScanTest {

    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");

    @Test
    void theDatabaseFilesHoldNoPlaintextDatesOrNames() throws Exception {
        Path directory;
        String clearPatientId;
        List<String> secrets = List.of("1961-04-17", "19610417", "17.04.1961", "2023-03-01", "20230301",
                "2023-03-01T09:10", "Zyxwvutsrq", "MRN-PLAIN-7731", "Bahnhofstrasse");
        try (RecordsFixture fixture = RecordsFixture.derby(Clock.systemUTC())) {
            directory = fixture.directory;
            JpaPatientRecords records = fixture.records;
            var patient = records.create(CLINICIAN, Samples.patient("Zyxwvutsrq", "Ada", "MRN-PLAIN-7731"));
            clearPatientId = patient.id();
            ObjectNode changed = FhirJson.parseObject(patient.json());
            changed.put("gender", "other");
            records.update(CLINICIAN, "Patient", patient.id(), 1, changed.toString());
            for (int i = 0; i < 3; i++) {
                records.create(CLINICIAN, FhirSearchTest.observation(patient.id(), "2023-03-01T09:10:00+01:00",
                        "72.5"));
            }
            var page = records.fhirSearch(CLINICIAN, SearchRequest.parse("Observation", Map.of("date",
                    List.of("2023-03-01"), "_count", List.of("1")), 50, java.time.Instant.now()));
            assertTrue(page.next() != null, "the search was kept for paging");
            records.fhirSearch(CLINICIAN, SearchRequest.parse("Patient", Map.of("birthdate", List.of("1961-04-17")),
                    50, java.time.Instant.now()));
            records.stop();
        }
        shutDown(directory.resolve("records-db"));
        List<String> found = new ArrayList<>();
        boolean sawClearColumn = false;
        try (Stream<Path> files = Files.walk(directory.resolve("records-db"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                sawClearColumn |= contains(content, clearPatientId.getBytes(StandardCharsets.UTF_8))
                        || contains(content, clearPatientId.getBytes(StandardCharsets.UTF_16BE));
                for (String secret : secrets) {
                    if (contains(content, secret.getBytes(StandardCharsets.UTF_8))
                            || contains(content, secret.getBytes(StandardCharsets.UTF_16BE))) {
                        found.add(secret + " in " + directory.relativize(file));
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "plaintext found: " + found);
        assertTrue(sawClearColumn, "the scan reads the stored rows: the clear patient id column is in the files");
        assertFalse(secrets.isEmpty());
    }

    /** Shuts the embedded database down, so everything it holds is in its files (checkpointed). */
    private static void shutDown(Path database) throws IOException {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(database.toString());
        dataSource.setShutdownDatabase("shutdown");
        try {
            dataSource.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as an exception.
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

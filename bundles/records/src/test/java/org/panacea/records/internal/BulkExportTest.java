package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.internal.export.BulkExports;
import org.panacea.records.internal.export.ExportJobRow;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.JsonNode;

/** Bulk Data export of a group: job state in the database, NDJSON per type, owner-bound, audited per patient. */
class BulkExportTest {

    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller OTHER = RecordsFixture.SEALS.issue("dr.blue", Set.of(Role.CLINICIAN), "10.0.0.8");
    private static final Caller RESEARCHER = RecordsFixture.SEALS.issue("ada", Set.of(Role.RESEARCHER), "10.0.0.9");

    private final VersionHistoryTest.SteppingClock clock = new VersionHistoryTest.SteppingClock();
    private RecordsFixture fixture;
    private JpaPatientRecords records;

    @BeforeEach
    void open() throws Exception {
        fixture = RecordsFixture.derby(clock);
        records = fixture.records;
    }

    @AfterEach
    void close() {
        records.stop();
        fixture.close();
    }

    private BulkExports.Status awaitDone(Caller caller, String job) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            BulkExports.Status status = records.exports().status(caller, job);
            if (status.job().state() != ExportJobRow.State.QUEUED
                    && status.job().state() != ExportJobRow.State.RUNNING) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("export " + job + " did not finish");
    }

    private List<JsonNode> file(String job, String type) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.exports().writeFile(CLINICIAN, job, type, out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(FhirJson.parseObject(line));
            }
        }
        return lines;
    }

    @Test
    void aGroupsMembersAreExportedTypeByTypeAndNobodyElseIs() throws Exception {
        List<String> members = new ArrayList<>();
        Set<String> memberObservations = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String patient = records.create(CLINICIAN, Samples.patient("Export" + i, "Ada", "MRN-E" + i)).id();
            memberObservations.add(records.create(CLINICIAN, FhirSearchTest.observation(patient, "2024-01-0" + (i + 1),
                    "70")).id());
            members.add(patient);
        }
        String outsider = records.create(CLINICIAN, Samples.patient("Outsider", "Bo", "MRN-E9")).id();
        records.create(CLINICIAN, FhirSearchTest.observation(outsider, "2024-02-01", "90"));
        StringBuilder group = new StringBuilder("{\"resourceType\": \"Group\", \"type\": \"person\", \"actual\": true, "
                + "\"member\": [");
        for (int i = 0; i < members.size(); i++) {
            group.append(i == 0 ? "" : ",").append("{\"entity\": {\"reference\": \"Patient/").append(members.get(i))
                    .append("\"}}");
        }
        String groupId = records.create(CLINICIAN, group.append("]}").toString()).id();

        assertThrows(AccessDeniedException.class, () -> records.exports().kickOff(RESEARCHER, groupId, List.of(),
                null, "x"));
        fixture.audit.clear();
        String job = records.exports().kickOff(CLINICIAN, groupId, List.of("Patient", "Observation"), null,
                "https://panacea.example/fhir/Group/" + groupId + "/$export");
        BulkExports.Status status = awaitDone(CLINICIAN, job);
        assertEquals(ExportJobRow.State.DONE, status.job().state(), status.job().message());
        assertEquals(3L, status.countsByType().get("Patient"));
        assertEquals(3L, status.countsByType().get("Observation"));

        List<JsonNode> patients = file(job, "Patient");
        assertEquals(Set.copyOf(members), patients.stream().map(p -> p.path("id").asText())
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(memberObservations, file(job, "Observation").stream().map(o -> o.path("id").asText())
                .collect(java.util.stream.Collectors.toSet()));
        for (String member : members) {
            assertTrue(fixture.audit.events().stream().anyMatch(e -> e.action() == AuditAction.EXPORT
                    && e.patientId().equals(member)), "export of " + member + " audited");
        }
        assertTrue(fixture.audit.events().stream().noneMatch(e -> e.patientId().equals(outsider)));

        assertThrows(ResourceNotFoundException.class, () -> records.exports().status(OTHER, job),
                "another user cannot see my export");
        assertThrows(ResourceNotFoundException.class, () -> records.exports().writeFile(OTHER, job, "Patient",
                new ByteArrayOutputStream()));
        assertThrows(IllegalArgumentException.class, () -> records.exports().kickOff(CLINICIAN, groupId,
                List.of("Practitioner"), null, "x"));
    }

    @Test
    void sinceLimitsTheExportToLaterChanges() throws Exception {
        String early = records.create(CLINICIAN, Samples.patient("Early", "Ada", "MRN-S1")).id();
        clock.advanceMinutes(10);
        Instant cut = clock.instant();
        String late = records.create(CLINICIAN, Samples.patient("Late", "Ada", "MRN-S2")).id();
        String job = records.exports().kickOff(CLINICIAN, null, List.of("Patient"), cut, "x");
        awaitDone(CLINICIAN, job);
        List<String> exported = file(job, "Patient").stream().map(p -> p.path("id").asText()).toList();
        assertEquals(List.of(late), exported);
        assertTrue(!exported.contains(early));
    }
}

package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.internal.search.SearchRequest;

/**
 * The Patient's security labels as the record keeps them in step with the chart: written, changed and deleted with
 * the Patient, asked by label, searchable as {@code _security}, never stored in clear, and indexed for Patients
 * stored before the labels were.
 */
class PatientSecurityLabelIndexTest {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final List<String> FLAGGING = List.of(ACT_CODE + "|CEL", ACT_CODE + "|EMP");
    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN),
            "10.0.0.7");

    private static RecordsFixture fixture;
    private static PatientSecurityLabelIndex labels;

    @BeforeAll
    static void record() throws Exception {
        fixture = RecordsFixture.derby(Clock.systemUTC());
        labels = new PatientSecurityLabelIndex(fixture.transactions, fixture.encryption, fixture.audit);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static String labelled(String mrn, String system, String code) {
        return Samples.patient("Labelled", "Lou", mrn).replaceFirst("\\{", "{\"meta\": {\"security\": [{\"system\": \""
                + system + "\", \"code\": \"" + code + "\"}]},");
    }

    @Test
    void aLabelFlagsThePatientFromTheWriteThatAddsItUntilTheWriteThatRemovesIt() {
        String employee = fixture.records.create(CLINICIAN, labelled("SL-1", ACT_CODE, "EMP")).id();
        String plain = fixture.records.create(CLINICIAN, Samples.patient("Plain", "Pia", "SL-2")).id();
        String otherSystem = fixture.records.create(CLINICIAN, labelled("SL-3", "urn:example:local", "EMP")).id();

        assertTrue(labels.carriesAny(employee, FLAGGING));
        assertFalse(labels.carriesAny(employee, List.of(ACT_CODE + "|CEL")), "only the labels asked for");
        assertFalse(labels.carriesAny(plain, FLAGGING));
        assertFalse(labels.carriesAny(otherSystem, FLAGGING), "a code counts only in its system");
        assertFalse(labels.carriesAny("no-such-patient", FLAGGING));

        var stored = fixture.records.read(CLINICIAN, "Patient", employee);
        fixture.records.update(CLINICIAN, "Patient", employee, stored.versionId(), Samples.patient("Labelled", "Lou",
                "SL-1").replaceFirst("\\{", "{\"id\": \"" + employee + "\","));
        assertFalse(labels.carriesAny(employee, FLAGGING), "the label was removed by the update");

        String celebrity = fixture.records.create(CLINICIAN, labelled("SL-4", ACT_CODE, "CEL")).id();
        assertTrue(labels.carriesAny(celebrity, FLAGGING));
        fixture.records.delete(CLINICIAN, "Patient", celebrity);
        assertFalse(labels.carriesAny(celebrity, FLAGGING), "a deleted patient carries nothing");
    }

    @Test
    void labelsAreSearchableAsSecurityButNeverStoredInClear() throws Exception {
        String employee = fixture.records.create(CLINICIAN, labelled("SL-5", ACT_CODE, "EMP")).id();
        List<String> found = fixture.records.fhirSearch(CLINICIAN, SearchRequest.parse("Patient", Map.of(
                "_security", List.of(ACT_CODE + "|EMP")), 100, Instant.now())).matches().stream()
                .map(match -> match.id()).toList();
        assertTrue(found.contains(employee), found.toString());
        try (Stream<Path> files = Files.walk(fixture.directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains("v3-ActCode"), "label system in clear in " + file);
            }
        }
    }

    @Test
    void aLabelThatIsNotSystemBarCodeIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> labels.carriesAny("p", List.of("EMP")));
        assertTrue(refused.getMessage().contains("'EMP' is not system|code"), refused.getMessage());
    }

    @Test
    void patientsStoredBeforeLabelsWereIndexedAreIndexedByTheUpgrade() throws Exception {
        String employee = fixture.records.create(CLINICIAN, labelled("SL-6", ACT_CODE, "EMP")).id();
        String observation = fixture.records.create(CLINICIAN, Samples.clinical(employee).get("Observation")).id();
        long observationTokens = fixture.count("PANACEA_SEARCH_TOKEN WHERE RESOURCE_ID = '" + observation + "'");
        try (Connection connection = fixture.dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            // As index version 2 left it: no _security tokens.
            statement.executeUpdate("DELETE FROM PANACEA_SEARCH_TOKEN WHERE PARAM = '_security'");
            statement.executeUpdate("UPDATE PANACEA_RECORD_SETTING SET SETTING_VALUE = '2'");
        }
        assertFalse(labels.carriesAny(employee, FLAGGING));
        SearchIndexUpgrade.upgrade(fixture.transactions, fixture.encryption);
        assertTrue(labels.carriesAny(employee, FLAGGING));
        assertEquals(observationTokens, fixture.count("PANACEA_SEARCH_TOKEN WHERE RESOURCE_ID = '" + observation
                + "'"), "other types keep the tokens version 2 wrote");
    }
}

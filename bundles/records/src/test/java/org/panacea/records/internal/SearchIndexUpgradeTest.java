package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.records.internal.search.SearchRequest;

/** A record indexed by an older version is re-indexed once on the first start of this one. */
class SearchIndexUpgradeTest {

    private static final Caller CLINICIAN = RecordsFixture.SEALS.issue("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");

    @Test
    void rowsIndexedBeforeDateTokensAreFoundByDateAfterTheUpgrade() throws Exception {
        try (RecordsFixture fixture = RecordsFixture.derby(Clock.systemUTC())) {
            String patient = fixture.records.create(CLINICIAN, Samples.patient("Oldindex", "Ada", "MRN-U1")).id();
            // As an older version left it: birth dates as exact tokens only, no index version.
            try (Connection connection = fixture.dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM PANACEA_SEARCH_TOKEN WHERE PARAM = 'birthdate'");
                statement.executeUpdate("DELETE FROM PANACEA_RECORD_SETTING");
            }
            assertEquals(0, search(fixture.records, "birthdate=lt1970").size());

            Transactions restarted = new Transactions(fixture.entityManagers, fixture.encryption);
            JpaPatientRecords upgraded = new JpaPatientRecords(restarted, fixture.encryption, fixture.policy,
                    fixture.audit, Clock.systemUTC(), fixture.care);
            assertEquals(List.of(patient), search(upgraded, "birthdate=lt1970"));
            assertEquals(List.of(patient), search(upgraded, "identifier=MRN-U1"));
            assertEquals(1, fixture.count("PANACEA_RECORD_SETTING"));
        }
    }

    private static List<String> search(JpaPatientRecords records, String parameter) {
        String[] parts = parameter.split("=", 2);
        return records.fhirSearch(CLINICIAN, SearchRequest.parse("Patient", Map.of(parts[0], List.of(parts[1])), 10,
                java.time.Instant.now())).matches().stream().map(match -> match.id()).toList();
    }
}

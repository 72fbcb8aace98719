package org.panacea.records.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;
import org.panacea.records.internal.JpaPatientRecords;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Demo data is written by a caller the security bundle issued for the platform itself, never a hand-made one. */
class DemoDataTest {

    /** Stands for the sealed caller the security bundle issues: the test checks this very object is used. */
    private static final Caller ISSUED = new Caller("system:demo-data", Set.of(Role.CLINICIAN), "internal", "seal");

    private static CallerAuthentication authentication() {
        CallerAuthentication authentication = mock(CallerAuthentication.class);
        when(authentication.internal("demo-data", Set.of(Role.CLINICIAN))).thenReturn(ISSUED);
        return authentication;
    }

    private static JpaPatientRecords emptyRecord() {
        JpaPatientRecords records = mock(JpaPatientRecords.class);
        when(records.search(any(), any())).thenReturn(new SearchResult(0, List.of()));
        when(records.create(any(Caller.class), any(ObjectNode.class))).thenReturn(new StoredResource("Practitioner",
                "demo-practitioner", 1, java.time.Instant.now(), "{}"));
        when(records.importBundle(any(Caller.class), any(ObjectNode.class)))
                .thenReturn(new BundleOutcome(Map.of(), List.of(), List.of()));
        return records;
    }

    @Test
    void theFirstStartLoadsAsTheInternalCallerTheSecurityBundleIssued() throws Exception {
        JpaPatientRecords records = emptyRecord();
        DemoData.Config config = mock(DemoData.Config.class);
        when(config.load_on_first_start()).thenReturn(true);
        when(config.patients()).thenReturn(3);
        when(config.seed()).thenReturn(5L);
        DemoData demo = new DemoData(records, authentication(), config);
        try {
            verify(records, timeout(10_000).times(3)).importBundle(eq(ISSUED), any(ObjectNode.class));
            ArgumentCaptor<Caller> searcher = ArgumentCaptor.forClass(Caller.class);
            verify(records, org.mockito.Mockito.atLeastOnce()).search(searcher.capture(), any(SearchQuery.class));
            searcher.getAllValues().forEach(caller -> assertSame(ISSUED, caller,
                    "the emptiness check and the practitioner lookups run as the issued caller too"));
        } finally {
            demo.stop();
        }
    }

    @Test
    void loadWritesAsTheGivenCaller() {
        JpaPatientRecords records = emptyRecord();
        Caller loader = DemoData.loader(authentication());
        assertSame(ISSUED, loader);
        DemoData.load(records, loader, 2, 7, done -> { });
        verify(records, org.mockito.Mockito.times(2)).importBundle(eq(ISSUED), any(ObjectNode.class));
    }

    @Test
    void theDemoUsersAreOnTheCareTeamOfAMinorityOfThePatients() {
        JpaPatientRecords records = emptyRecord();
        DemoData.load(records, DemoData.loader(authentication()), 10, 7, done -> { });
        // The demo users' Practitioners are created, each with the identifier that links it to its login.
        ArgumentCaptor<ObjectNode> practitioners = ArgumentCaptor.forClass(ObjectNode.class);
        verify(records, org.mockito.Mockito.times(2)).create(eq(ISSUED), practitioners.capture());
        assertEquals(List.of("clinician", "nurse"), practitioners.getAllValues().stream().map(p -> p.path(
                "identifier").path(0).path("value").asText()).toList());
        assertEquals("urn:panacea:user", practitioners.getValue().path("identifier").path(0).path("system").asText());
        ArgumentCaptor<ObjectNode> bundles = ArgumentCaptor.forClass(ObjectNode.class);
        verify(records, org.mockito.Mockito.times(10)).importBundle(eq(ISSUED), bundles.capture());
        List<Integer> related = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (var entry : bundles.getAllValues().get(i).path("entry")) {
                String type = entry.path("resource").path("resourceType").asText();
                if (type.equals("CareTeam") || entry.path("resource").path("status").asText().equals("in-progress")) {
                    related.add(i + 1);
                    assertTrue(entry.toString().contains("Practitioner/demo-practitioner"), entry.toString());
                }
            }
        }
        // Every fifth on a care team, every seventh in an encounter in progress: 5, 7 and 10 of the first ten.
        assertEquals(List.of(5, 7, 10), related);
    }
}

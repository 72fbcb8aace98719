package org.panacea.records.internal.demo;

import static org.junit.jupiter.api.Assertions.assertSame;
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
            verify(records).search(searcher.capture(), any(SearchQuery.class));
            assertSame(ISSUED, searcher.getValue(), "the emptiness check runs as the issued caller too");
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
}

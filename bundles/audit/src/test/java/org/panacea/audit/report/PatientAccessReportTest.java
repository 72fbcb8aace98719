package org.panacea.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

class PatientAccessReportTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");
    private long sequence;

    private AuditEntry entry(String actor, String role, AuditAction action, AuditOutcome outcome, int minute,
            String from) {
        return new AuditEntry(++sequence, T0.plusSeconds(60L * minute), new AuditEvent(actor, role, action, "Patient",
                "p1", "p1", outcome, from, ""), "0", "0", "0");
    }

    @Test
    void groupsByUserAndWayOfAccessNewestFirst() {
        // Newest first, as the trail's search returns them.
        List<AuditEntry> entries = List.of(
                entry("system:alerts", "BULK_ACCESS", AuditAction.ALERT_RAISED, AuditOutcome.SUCCESS, 40, "internal"),
                entry("dr-er", "clinician", AuditAction.READ, AuditOutcome.SUCCESS, 31, "10.0.0.9"),
                entry("dr-er", "clinician", AuditAction.BREAK_GLASS, AuditOutcome.SUCCESS, 30, "10.0.0.9"),
                entry("dr-er", "clinician", AuditAction.ACCESS_DENIED, AuditOutcome.DENIED, 29, "10.0.0.9"),
                entry("nurse-a", "nurse", AuditAction.SEARCH, AuditOutcome.SUCCESS, 20, "10.0.0.2"),
                entry("nurse-a", "nurse", AuditAction.READ, AuditOutcome.SUCCESS, 10, "10.0.0.1"));

        PatientAccessReport report = PatientAccessReport.of("p1", entries, 100);

        assertEquals(6, report.entries());
        assertFalse(report.truncated());
        List<String> lines = report.accesses().stream().map(a -> a.user() + " " + a.why() + " " + a.count()).toList();
        assertEquals(List.of("dr-er as clinician 1", "dr-er break-glass 1", "dr-er refused 1", "nurse-a as nurse 2"),
                lines, "alerts about the chart are not accesses to it");
        PatientAccessReport.Access nurse = report.accesses().get(3);
        assertEquals(T0.plusSeconds(600), nurse.first());
        assertEquals(T0.plusSeconds(1200), nurse.last());
        assertEquals(List.of("READ", "SEARCH"), nurse.actions());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), nurse.from());
    }

    @Test
    void saysWhenTheLimitCutOffOlderEntries() {
        List<AuditEntry> entries = List.of(entry("a", "clinician", AuditAction.READ, AuditOutcome.SUCCESS, 1, "x"),
                entry("b", "clinician", AuditAction.READ, AuditOutcome.SUCCESS, 0, "x"));
        assertTrue(PatientAccessReport.of("p1", entries, 2).truncated());
    }
}

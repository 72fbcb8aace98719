package org.panacea.alerts.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;

class BulkAccessRuleTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final BulkAccessRule rule = new BulkAccessRule(50, Duration.ofMinutes(10));

    private List<Finding> feed(List<AuditEntry> entries) {
        List<Finding> findings = new ArrayList<>();
        entries.forEach(entry -> rule.evaluate(entry).ifPresent(findings::add));
        return findings;
    }

    @Test
    void sixtyChartsInAMinuteRaiseExactlyOneAlertAtTheFiftyFirst() {
        List<AuditEntry> reads = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            reads.add(Entries.read("dr-mole", "p" + i, T0.plusSeconds(i)));
        }
        List<Finding> findings = feed(reads);

        assertEquals(1, findings.size());
        Finding alert = findings.get(0);
        assertEquals(AlertRule.BULK_ACCESS, alert.rule());
        assertEquals("dr-mole", alert.actor());
        assertEquals("p51", alert.patientId(), "raised by the read that passed the threshold");
        assertEquals(reads.get(50).sequence(), alert.auditSequence());
        assertTrue(alert.summary().contains("51 distinct charts within 10 min"), alert.summary());
    }

    @Test
    void exactlyTheThresholdRaisesNothing() {
        List<AuditEntry> reads = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            reads.add(Entries.read("dr-busy", "p" + i, T0.plusSeconds(i)));
        }
        assertEquals(List.of(), feed(reads));
    }

    @Test
    void theSameChartReadAgainCountsOnce() {
        List<AuditEntry> reads = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            reads.add(Entries.read("dr-busy", "p" + (i % 50), T0.plusSeconds(i / 10)));
        }
        assertEquals(List.of(), feed(reads));
    }

    @Test
    void chartsSpreadWiderThanTheWindowDoNotAdd() {
        List<AuditEntry> reads = new ArrayList<>();
        // 100 charts, one every 15 s: never more than 41 within any 10 minutes.
        for (int i = 1; i <= 100; i++) {
            reads.add(Entries.read("dr-steady", "p" + i, T0.plusSeconds(15L * i)));
        }
        assertEquals(List.of(), feed(reads));
    }

    @Test
    void usersAreCountedApart() {
        List<AuditEntry> reads = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            reads.add(Entries.read("dr-a", "p" + i, T0.plusSeconds(i)));
            reads.add(Entries.read("dr-b", "p" + i, T0.plusSeconds(i)));
        }
        assertEquals(List.of(), feed(reads));
    }

    @Test
    void aSecondBurstAfterTheWindowEmptiedRaisesASecondAlert() {
        List<AuditEntry> reads = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            reads.add(Entries.read("dr-mole", "p" + i, T0.plusSeconds(i)));
        }
        // Still inside the first burst's window: no new alert.
        reads.add(Entries.read("dr-mole", "p61", T0.plus(Duration.ofMinutes(5))));
        // Eleven minutes later the window holds only what follows.
        for (int i = 100; i <= 160; i++) {
            reads.add(Entries.read("dr-mole", "p" + i, T0.plus(Duration.ofMinutes(20)).plusSeconds(i - 100)));
        }
        assertEquals(2, feed(reads).size());
    }

    @Test
    void deniedReadsSearchesWithoutPatientAndThePlatformItselfDoNotCount() {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            entries.add(Entries.event("dr-mole", AuditAction.READ, "p" + i, "p" + i, AuditOutcome.DENIED,
                    T0.plusSeconds(i)));
            entries.add(Entries.event("dr-mole", AuditAction.SEARCH, "", "", AuditOutcome.SUCCESS, T0.plusSeconds(i)));
            entries.add(Entries.read("system:engine", "p" + i, T0.plusSeconds(i)));
            entries.add(Entries.event("dr-mole", AuditAction.UPDATE, "p" + i, "p" + i, AuditOutcome.SUCCESS,
                    T0.plusSeconds(i)));
        }
        assertEquals(List.of(), feed(entries));
    }
}

package org.panacea.alerts.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditVerification;

/** The rules other than bulk access and working hours, each fed the entries it is about and some it is not. */
class SingleEntryRulesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void everyBreakGlassEntryIsAnAlertNamingUserAndPatient() {
        BreakGlassRule rule = new BreakGlassRule(Duration.ofMinutes(60));
        AuditEntry glass = Entries.event("dr-er", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS, T0);

        Finding finding = rule.evaluate(glass).orElseThrow();

        assertEquals(AlertRule.BREAK_GLASS, finding.rule());
        assertEquals("dr-er", finding.actor());
        assertEquals("p7", finding.patientId());
        assertEquals(glass.sequence(), finding.auditSequence());
        assertTrue(finding.summary().contains("Patient/p7"), finding.summary());
        assertFalse(finding.summary().contains("reason given"), "the reason stays in the audit trail");
        assertTrue(rule.evaluate(Entries.event("dr-er", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS,
                T0.plusSeconds(1))).isEmpty(), "the accesses under the same grant raise no second alert");
        assertTrue(rule.evaluate(Entries.event("dr-er", AuditAction.BREAK_GLASS, "p8", "p8", AuditOutcome.SUCCESS,
                T0.plusSeconds(2))).isPresent(), "another chart is another alert");
        assertTrue(rule.evaluate(Entries.event("dr-icu", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS,
                T0.plusSeconds(3))).isPresent(), "another user is another alert");
        assertTrue(rule.evaluate(Entries.event("dr-er", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS,
                T0.plusSeconds(1).plus(Duration.ofMinutes(61)))).isPresent(), "after a quiet hour, again");
        assertTrue(rule.evaluate(Entries.read("dr-er", "p7", T0)).isEmpty());
    }

    @Test
    void theStartOfLoginThrottlingIsAnAlertItsEndIsNot() {
        ThrottledLoginRule rule = new ThrottledLoginRule();
        AuditEntry start = Entries.entry(new AuditEvent("mallory", "", AuditAction.LOGIN_THROTTLED, "login",
                "started after 5 failed logins; retry after 2 s", "", AuditOutcome.DENIED, "10.9.9.9", ""), T0);
        AuditEntry end = Entries.entry(new AuditEvent("mallory", "", AuditAction.LOGIN_THROTTLED, "login",
                "ended (login succeeded): 3 tries refused", "", AuditOutcome.DENIED, "10.9.9.9", ""), T0);
        AuditEntry failedLogin = Entries.entry(new AuditEvent("mallory", "", AuditAction.LOGIN, "login", "", "",
                AuditOutcome.DENIED, "10.9.9.9", ""), T0);

        Finding finding = rule.evaluate(start).orElseThrow();
        assertEquals(AlertRule.FAILED_LOGINS, finding.rule());
        assertTrue(finding.summary().contains("10.9.9.9") && finding.summary().contains("5 failed logins"));
        assertTrue(rule.evaluate(end).isEmpty());
        assertTrue(rule.evaluate(failedLogin).isEmpty(), "single failures are the throttle's to count");
    }

    @Test
    void repeatedDenialsAlertOnceWhenTheCountPassesTheThreshold() {
        RepeatedDenialsRule rule = new RepeatedDenialsRule(10, Duration.ofMinutes(10));
        List<Finding> findings = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            // The same chart over and over: each refusal counts.
            rule.evaluate(Entries.event("dr-nosy", AuditAction.ACCESS_DENIED, "p1", "p1", AuditOutcome.DENIED,
                    T0.plusSeconds(i))).ifPresent(findings::add);
        }
        assertEquals(1, findings.size());
        assertEquals(AlertRule.REPEATED_DENIALS, findings.get(0).rule());
        assertTrue(findings.get(0).summary().contains("11 times"), findings.get(0).summary());
    }

    @Test
    void bulkExportCountsDistinctPatientsExported() {
        BulkExportRule rule = new BulkExportRule(100, Duration.ofMinutes(60));
        List<Finding> findings = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            for (String type : List.of("Patient", "Observation")) {
                rule.evaluate(Entries.entry(new AuditEvent("analyst", "clinician", AuditAction.EXPORT, type, "",
                        "p" + i, AuditOutcome.SUCCESS, "10.0.0.1", ""), T0.plusSeconds(i))).ifPresent(findings::add);
            }
        }
        assertEquals(1, findings.size());
        assertEquals(AlertRule.BULK_EXPORT, findings.get(0).rule());
        assertTrue(findings.get(0).summary().contains("101 patients"), findings.get(0).summary());
    }

    @Test
    void aFlaggedChartAlertsOncePerUserAndVisit() {
        FlaggedChartRule rule = new FlaggedChartRule(Set.of("vip-1"), Duration.ofMinutes(60));
        assertTrue(rule.evaluate(Entries.read("dr-a", "p1", T0)).isEmpty());
        Finding finding = rule.evaluate(Entries.read("dr-a", "vip-1", T0)).orElseThrow();
        assertEquals(AlertRule.FLAGGED_CHART, finding.rule());
        assertEquals("vip-1", finding.patientId());
        assertTrue(rule.evaluate(Entries.read("dr-a", "vip-1", T0.plusSeconds(30))).isEmpty(), "same visit");
        assertTrue(rule.evaluate(Entries.read("dr-b", "vip-1", T0.plusSeconds(30))).isPresent(), "another user");
        assertTrue(rule.evaluate(Entries.read("dr-a", "vip-1", T0.plus(Duration.ofHours(2)))).isPresent(),
                "a later visit");
    }

    @Test
    void aBrokenVerificationAlertsOncePerFinding() {
        VerificationRule rule = new VerificationRule();
        AuditVerification intact = new AuditVerification(true, 10, 0, "");
        AuditVerification broken = new AuditVerification(false, 10, 4, "entry hash does not match");
        AuditVerification brokenElsewhere = new AuditVerification(false, 10, 7, "entry hash does not match");

        assertTrue(rule.evaluate(intact, T0).isEmpty());
        Finding finding = rule.evaluate(broken, T0).orElseThrow();
        assertEquals(AlertRule.AUDIT_VERIFY_FAILED, finding.rule());
        assertTrue(finding.summary().contains("BROKEN at entry 4"), finding.summary());
        assertTrue(rule.evaluate(broken, T0.plusSeconds(5)).isEmpty(), "the same break verified again");
        assertTrue(rule.evaluate(brokenElsewhere, T0.plusSeconds(5)).isPresent());
    }
}

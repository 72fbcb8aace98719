package org.panacea.alerts.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.records.PatientSecurityLabels;

/** Flagged charts by listed id and by security label, with the bounded cache that keeps nodes at most so stale. */
class FlaggedChartsTest {

    private static final String EMP = "http://terminology.hl7.org/CodeSystem/v3-ActCode|EMP";
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** The record's labels as the test sets them, counting the reads. */
    private static final class Record implements PatientSecurityLabels {
        final Set<String> labelled = new HashSet<>();
        final List<String> reads = new ArrayList<>();
        boolean down;

        @Override
        public boolean carriesAny(String patientId, Collection<String> labels) {
            reads.add(patientId);
            if (down) {
                throw new IllegalStateException("records database unavailable");
            }
            return labels.contains(EMP) && labelled.contains(patientId);
        }
    }

    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Record record = new Record();
    private final MovableClock clock = new MovableClock();
    private final FlaggedCharts flagged = new FlaggedCharts(Set.of("vip-1"), List.of(EMP), record,
            Duration.ofSeconds(60), clock);

    @Test
    void listedIdsAndLabelledPatientsAreFlagged() {
        record.labelled.add("emp-1");
        assertTrue(flagged.flagged("vip-1"));
        assertTrue(flagged.flagged("emp-1"));
        assertFalse(flagged.flagged("p-1"));
        assertFalse(flagged.flagged(""), "an entry of no patient");
        assertEquals(List.of("emp-1", "p-1"), record.reads, "listed ids need no read");
    }

    @Test
    void aLabelChangeIsSeenWithinTheCacheTimeAndABurstCostsOneRead() {
        record.labelled.add("emp-1");
        assertTrue(flagged.flagged("emp-1"));
        record.labelled.remove("emp-1"); // another node updates the Patient
        clock.now = T0.plusSeconds(59);
        assertTrue(flagged.flagged("emp-1"), "still trusted");
        assertEquals(1, record.reads.size());
        clock.now = T0.plusSeconds(60);
        assertFalse(flagged.flagged("emp-1"), "no older than the cache time");
        assertEquals(2, record.reads.size());
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i <= FlaggedCharts.MAX_CACHED; i++) {
            flagged.flagged("p-" + i);
        }
        flagged.flagged("p-" + FlaggedCharts.MAX_CACHED);
        assertEquals(FlaggedCharts.MAX_CACHED + 1, record.reads.size(), "the newest is still cached");
        flagged.flagged("p-0");
        assertEquals(FlaggedCharts.MAX_CACHED + 2, record.reads.size(), "the least recently asked was dropped");
    }

    @Test
    void anUnreadableRecordFlagsOnlyTheListedAndIsAskedAgainNextTime() {
        record.labelled.add("emp-1");
        record.down = true;
        assertFalse(flagged.flagged("emp-1"));
        assertTrue(flagged.flagged("vip-1"));
        record.down = false;
        assertTrue(flagged.flagged("emp-1"), "a failure is not cached");
    }

    @Test
    void theRuleAlertsOnALabelledChartOncePerVisitAndNotOnceTheLabelIsGone() {
        record.labelled.add("emp-1");
        FlaggedChartRule rule = new FlaggedChartRule(new FlaggedCharts(Set.of(), List.of(EMP), record, Duration.ZERO,
                clock), Duration.ofMinutes(60));
        Finding finding = rule.evaluate(Entries.read("dr-a", "emp-1", T0)).orElseThrow();
        assertEquals(AlertRule.FLAGGED_CHART, finding.rule());
        assertEquals("emp-1", finding.patientId());
        assertTrue(rule.evaluate(Entries.read("dr-a", "emp-1", T0.plusSeconds(30))).isEmpty(), "same visit");
        record.labelled.remove("emp-1");
        assertTrue(rule.evaluate(Entries.read("dr-b", "emp-1", T0.plusSeconds(40))).isEmpty(),
                "unflagged: another user's opening no longer alerts");
    }
}

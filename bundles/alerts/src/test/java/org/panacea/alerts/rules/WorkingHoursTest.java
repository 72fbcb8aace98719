package org.panacea.alerts.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.alerts.AlertRule;

class WorkingHoursTest {

    private final WorkingHours hours = WorkingHours.parse("clinician=07:00-19:00, Nurse=22:00-08:00");

    @Test
    void aDayShiftIncludesItsStartAndExcludesItsEnd() {
        assertFalse(hours.allows("clinician", LocalTime.of(6, 59)));
        assertTrue(hours.allows("clinician", LocalTime.of(7, 0)));
        assertTrue(hours.allows("clinician", LocalTime.of(18, 59)));
        assertFalse(hours.allows("clinician", LocalTime.of(19, 0)));
    }

    @Test
    void aNightShiftRunsAcrossMidnight() {
        assertTrue(hours.allows("nurse", LocalTime.of(22, 0)));
        assertTrue(hours.allows("nurse", LocalTime.of(23, 59)));
        assertTrue(hours.allows("nurse", LocalTime.MIDNIGHT));
        assertTrue(hours.allows("nurse", LocalTime.of(7, 59)));
        assertFalse(hours.allows("nurse", LocalTime.of(8, 0)));
        assertFalse(hours.allows("nurse", LocalTime.of(12, 0)));
        assertFalse(hours.allows("nurse", LocalTime.of(21, 59)));
    }

    @Test
    void aRoleWithoutHoursMayWorkAnyTime() {
        assertTrue(hours.allows("researcher", LocalTime.of(3, 0)));
    }

    @Test
    void badSettingsAreRefusedNamingThePart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkingHours.parse("clinician=7-19"));
        assertTrue(e.getMessage().contains("clinician=7-19"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkingHours.parse("clinician"));
        assertThrows(IllegalArgumentException.class, () -> WorkingHours.parse("clinician=08:00-08:00"));
        assertTrue(WorkingHours.parse(" ").isEmpty());
    }

    @Test
    void theRuleAlertsOncePerNightInTheHospitalsZone() {
        ZoneId zurich = ZoneId.of("Europe/Zurich");
        WorkingHoursRule rule = new WorkingHoursRule(hours, zurich, Duration.ofMinutes(60));
        // 06:30 UTC is 07:30 in Zurich in December: inside the clinician's day.
        assertEquals(List.of(), rule.evaluate(Entries.read("dr-day", "p1",
                Instant.parse("2026-12-07T06:30:00Z"))).stream().toList());
        // 22:30 and 23:00 in Zurich: one alert for the evening's reading.
        Finding late = rule.evaluate(Entries.read("dr-day", "p2", Instant.parse("2026-12-07T21:30:00Z")))
                .orElseThrow();
        assertEquals(AlertRule.OUTSIDE_WORKING_HOURS, late.rule());
        assertEquals("p2", late.patientId());
        assertTrue(late.summary().contains("22:30") && late.summary().contains("07:00-19:00"), late.summary());
        assertTrue(rule.evaluate(Entries.read("dr-day", "p3", Instant.parse("2026-12-07T22:00:00Z"))).isEmpty());
        // The night nurse at 02:00 Zurich is within her shift across midnight.
        assertTrue(rule.evaluate(Entries.read("n-night", "nurse", "p4", Instant.parse("2026-12-08T01:00:00Z")))
                .isEmpty());
        // ... but at noon she is not.
        assertTrue(rule.evaluate(Entries.read("n-night", "nurse", "p4", Instant.parse("2026-12-08T11:00:00Z")))
                .isPresent());
    }
}

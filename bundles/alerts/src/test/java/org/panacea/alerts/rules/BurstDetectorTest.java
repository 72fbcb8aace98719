package org.panacea.alerts.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class BurstDetectorTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theBurstEndsOnlyOnceTheCountFellBackToTheThreshold() {
        BurstDetector detector = new BurstDetector(2, Duration.ofMinutes(1));
        assertEquals(0, detector.add("u", "a", T0));
        assertEquals(0, detector.add("u", "b", T0.plusSeconds(10)));
        assertEquals(3, detector.add("u", "c", T0.plusSeconds(20)));
        assertEquals(0, detector.add("u", "d", T0.plusSeconds(30)), "same burst");
        // At 75 s, "a" and "b" left the window (c, d remain: 2 = threshold), so the burst is over; e makes 3 again.
        assertEquals(3, detector.add("u", "e", T0.plusSeconds(75)));
    }

    @Test
    void thresholdZeroReportsOncePerEpisode() {
        BurstDetector detector = new BurstDetector(0, Duration.ofMinutes(60));
        assertEquals(1, detector.add("u", "", T0));
        assertEquals(0, detector.add("u", "", T0.plus(Duration.ofMinutes(59))));
        assertEquals(0, detector.add("u", "", T0.plus(Duration.ofMinutes(118))), "quiet for less than an hour");
        assertEquals(1, detector.add("u", "", T0.plus(Duration.ofMinutes(179))));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BurstDetector(-1, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new BurstDetector(1, Duration.ZERO));
    }
}

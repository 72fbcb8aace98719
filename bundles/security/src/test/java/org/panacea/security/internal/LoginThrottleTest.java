package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.testsupport.RecordingAuditTrail;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T08:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final RecordingAuditTrail audit = new RecordingAuditTrail();

    /** 5 free failures per user and address, 20 per address, 2 s doubling up to 60 s, forgotten after 300 s. */
    private LoginThrottle throttle(int maxEntries) {
        return new LoginThrottle(new LoginThrottleSettings(true, 5, 20, Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(300), maxEntries), clock, audit::record);
    }

    private final LoginThrottle throttle = throttle(10_000);

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(Optional.empty(), throttle.refusal(user, address), "try " + (i + 1) + " is checked");
            throttle.failed(user, address);
        }
    }

    private List<AuditEvent> throttlingEntries() {
        return audit.events().stream().filter(e -> e.action() == AuditAction.LOGIN_THROTTLED)
                .collect(Collectors.toList());
    }

    @Test
    void theBackOffStartsAfterTheFreeFailuresDoublesAndIsCapped() {
        fail("nurse", "10.0.0.5", 4);
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"), "4 failures are free");
        throttle.failed("nurse", "10.0.0.5");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.refusal("nurse", "10.0.0.5"));

        long[] expected = { 4, 8, 16, 32, 60, 60, 60 };
        for (long seconds : expected) {
            clock.advance(throttle.refusal("nurse", "10.0.0.5").orElseThrow());
            assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"), "the back-off has run out");
            throttle.failed("nurse", "10.0.0.5");
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), throttle.refusal("nurse", "10.0.0.5"));
        }
        clock.advance(Duration.ofMillis(59_500));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.refusal("nurse", "10.0.0.5"),
                "Retry-After is rounded up to whole seconds");
    }

    @Test
    void aSuccessfulLoginClearsTheUsersCount() {
        fail("nurse", "10.0.0.5", 4);
        throttle.succeeded("nurse", "10.0.0.5");
        fail("nurse", "10.0.0.5", 4);
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"));
        throttle.failed("nurse", "10.0.0.5");
        assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());

        clock.advance(Duration.ofSeconds(2));
        throttle.succeeded("nurse", "10.0.0.5");
        fail("nurse", "10.0.0.5", 4);
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"), "counting starts again from zero");
    }

    @Test
    void theSameUserFromAnotherAddressIsNotHeldBack() {
        fail("nurse", "10.0.0.5", 5);
        assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.6"));
        assertEquals(Optional.empty(), throttle.refusal("clinician", "10.0.0.5"),
                "another user from the address is below the address's larger limit");
    }

    @Test
    void oneAddressGuessingAcrossManyUserNamesIsHeldBackForEveryone() {
        for (int i = 0; i < 20; i++) {
            fail("user" + i, "10.0.0.5", 1);
        }
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.refusal("clinician", "10.0.0.5"));
        assertEquals(Optional.empty(), throttle.refusal("clinician", "10.0.0.6"));
    }

    @Test
    void successesFromABusySharedAddressKeepItsCountDown() {
        for (int i = 0; i < 100; i++) {
            fail("user" + i, "10.0.0.5", 1);
            throttle.succeeded("user" + i, "10.0.0.5");
            clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(Optional.empty(), throttle.refusal("someone", "10.0.0.5"));
        assertEquals(0, throttle.size(), "nothing left to remember");
    }

    @Test
    void httpAndSshFromTheSameHostShareTheCount() {
        fail("nurse", "10.0.0.5", 3);
        fail("nurse", "/10.0.0.5:50122", 1);
        fail("nurse", "host.example/10.0.0.5:50123", 1);
        assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());
        assertTrue(throttle.refusal("NURSE", "/10.0.0.5:40000").isPresent(), "user names are compared without case");
    }

    @Test
    void addressesAreReducedToTheirHost() {
        assertEquals("10.9.8.7", LoginThrottle.host("10.9.8.7"));
        assertEquals("127.0.0.1", LoginThrottle.host("/127.0.0.1:50122"));
        assertEquals("127.0.0.1", LoginThrottle.host("localhost/127.0.0.1:50122"));
        assertEquals("0:0:0:0:0:0:0:1", LoginThrottle.host("/[0:0:0:0:0:0:0:1]:50122"));
        assertEquals("0:0:0:0:0:0:0:1", LoginThrottle.host("0:0:0:0:0:0:0:1"));
        assertEquals("fe80::1", LoginThrottle.host("FE80::1"));
        assertEquals("unknown", LoginThrottle.host(null));
        assertEquals("unknown", LoginThrottle.host(" "));
    }

    @Test
    void oneAuditEntryWhenTheThrottlingStartsAndOneWithTheRefusedCountWhenItEnds() {
        fail("nurse", "10.0.0.5", 5);
        List<AuditEvent> started = throttlingEntries();
        assertEquals(1, started.size(), started.toString());
        AuditEvent start = started.get(0);
        assertEquals("nurse", start.actor());
        assertEquals("10.0.0.5", start.clientAddress());
        assertEquals(AuditOutcome.DENIED, start.outcome());
        assertTrue(start.resourceId().startsWith("started after 5 failed logins"), start.resourceId());

        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());
        }
        clock.advance(Duration.ofSeconds(2));
        fail("nurse", "10.0.0.5", 1);
        for (int i = 0; i < 50; i++) {
            assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());
        }
        assertEquals(1, throttlingEntries().size(), "refused tries and further failures add no entry");

        clock.advance(Duration.ofSeconds(4));
        throttle.succeeded("nurse", "10.0.0.5");
        List<AuditEvent> entries = throttlingEntries();
        assertEquals(2, entries.size(), entries.toString());
        AuditEvent end = entries.get(1);
        assertEquals("nurse", end.actor());
        assertTrue(end.resourceId().contains("150 tries refused, 1 failed logins"), end.resourceId());
        assertTrue(end.resourceId().startsWith("ended (successful login)"), end.resourceId());
    }

    @Test
    void aThrottlingEndsWhenTheFailuresAreForgotten() {
        fail("nurse", "10.0.0.5", 5);
        assertTrue(throttle.refusal("nurse", "10.0.0.5").isPresent());
        clock.advance(Duration.ofSeconds(299));
        throttle.sweep();
        assertEquals(1, throttlingEntries().size(), "not quiet long enough yet");
        clock.advance(Duration.ofSeconds(1));
        throttle.sweep();
        assertEquals(0, throttle.size());
        List<AuditEvent> entries = throttlingEntries();
        assertEquals(2, entries.size());
        assertTrue(entries.get(1).resourceId().startsWith("ended (failures forgotten): 1 tries refused"),
                entries.get(1).resourceId());
        fail("nurse", "10.0.0.5", 4);
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"), "a fresh start after the quiet time");
    }

    @Test
    void theAddressGetsItsOwnEntryWithEveryUserAsActor() {
        for (int i = 0; i < 20; i++) {
            fail("user" + i, "10.0.0.5", 1);
        }
        List<AuditEvent> entries = throttlingEntries();
        assertEquals(1, entries.size());
        assertEquals(LoginThrottle.ANY_USER, entries.get(0).actor());
    }

    @Test
    void memoryStaysBoundedWhateverTheNumberOfAddresses() {
        LoginThrottle small = throttle(100);
        for (int i = 0; i < 5_000; i++) {
            small.failed("user" + i, "10.1." + (i / 250) + "." + (i % 250));
            assertTrue(small.size() <= 100, "remembered " + small.size());
        }
        assertEquals(100, small.size());
    }

    @Test
    void anAddressAlreadyBackedOffCannotFillTheTable() {
        for (int i = 0; i < 20; i++) {
            fail("user" + i, "10.0.0.5", 1);
        }
        int remembered = throttle.size();
        for (int i = 20; i < 1_000; i++) {
            assertTrue(throttle.refusal("user" + i, "10.0.0.5").isPresent());
        }
        assertEquals(remembered, throttle.size(), "refused tries create nothing");
    }

    @Test
    void longUserNamesAreCut() {
        String longName = "x".repeat(10_000);
        fail(longName, "10.0.0.5", 5);
        assertEquals(LoginThrottle.MAX_NAME_LENGTH, throttlingEntries().get(0).actor().length());
    }

    @Test
    void closingEndsTheThrottlingsUnderWay() {
        fail("nurse", "10.0.0.5", 5);
        throttle.close();
        assertEquals(2, throttlingEntries().size());
        assertEquals(0, throttle.size());
    }

    @Test
    void whenDisabledNothingIsThrottledOrCounted() {
        throttle.reconfigure(new LoginThrottleSettings(false, 5, 20, Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(300), 100));
        for (int i = 0; i < 50; i++) {
            throttle.failed("nurse", "10.0.0.5");
        }
        assertEquals(Optional.empty(), throttle.refusal("nurse", "10.0.0.5"));
        assertEquals(0, throttle.size());
        assertFalse(audit.events().stream().anyMatch(e -> e.action() == AuditAction.LOGIN_THROTTLED));
    }

    @Test
    void settingsAreMadeConsistent() {
        LoginThrottleSettings settings = new LoginThrottleSettings(true, -1, 20, Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofSeconds(10), 0);
        assertEquals(0, settings.userFailures());
        assertEquals(Duration.ofSeconds(1), settings.firstDelay());
        assertEquals(Duration.ofSeconds(60), settings.forgetAfter(), "never shorter than the longest back-off");
        assertTrue(settings.maxEntries() > 0);
        assertEquals(LoginThrottleSettings.defaults().userFailures(), 5);
    }
}

package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;

class CredentialCacheTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-21T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final CredentialCache cache = new CredentialCache(Duration.ofSeconds(60), clock);
    private final Caller nurse = new Caller("nurse", Set.of(Role.NURSE), "10.0.0.1");

    @Test
    void aRememberedLoginIsFoundWithTheCurrentRequestsAddress() {
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        Caller found = cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.2").orElseThrow();
        assertEquals(Set.of(Role.NURSE), found.roles());
        assertEquals("10.0.0.2", found.clientAddress(), "the address is the request's, not the first login's");
    }

    @Test
    void anotherPasswordOrUserIsNotFound() {
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        assertTrue(cache.lookup("nurse", "Nurse".toCharArray(), "10.0.0.1").isEmpty());
        assertTrue(cache.lookup("nurs", "enurse".toCharArray(), "10.0.0.1").isEmpty(),
                "user and password are separated, not concatenated");
    }

    @Test
    void anEntryExpiresSoAChangedPasswordTakesEffect() {
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        clock.now = clock.now.plusSeconds(60);
        assertTrue(cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.1").isPresent());
        clock.now = clock.now.plusSeconds(1);
        assertTrue(cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.1").isEmpty());
    }
}

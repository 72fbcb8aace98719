package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @TempDir
    Path etc;

    private final MovableClock clock = new MovableClock();
    private CredentialCache cache;
    private Path users;
    private final Caller nurse = new Caller("nurse", Set.of(Role.NURSE), "10.0.0.1", "seal-of-the-security-bundle");

    @BeforeEach
    void usersFile() throws Exception {
        users = Files.writeString(etc.resolve("users.properties"), """
                # demo users
                nurse = {CRYPT}aaaa{CRYPT},nurse,ssh
                clinician = {CRYPT}bbbb{CRYPT},clinician,ssh
                """);
        cache = new CredentialCache(Duration.ofSeconds(60), clock, users);
    }

    @Test
    void aRememberedLoginServesOnlyTheAddressItWasIssuedFor() {
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        assertSame(nurse, cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.1").orElseThrow(),
                "the caller exactly as the security bundle issued it, seal included");
        assertTrue(cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.2").isEmpty(),
                "another address logs in anew: the seal binds the address");
    }

    @Test
    void changingAPasswordDropsThatUsersCachedLoginsAtOnce() throws Exception {
        Caller clinician = new Caller("clinician", Set.of(Role.CLINICIAN), "10.0.0.1", "seal");
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        cache.remember("clinician", "clinician".toCharArray(), clinician);

        // what jaas:user-add nurse NEW-PASSWORD followed by jaas:update writes
        Files.writeString(users, Files.readString(users).replace("{CRYPT}aaaa{CRYPT}", "{CRYPT}cccccc{CRYPT}"));
        Files.setLastModifiedTime(users, java.nio.file.attribute.FileTime.from(clock.now.plusSeconds(5)));

        assertTrue(cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.1").isEmpty(),
                "the old password no longer opens the door, well before the entry expires");
        assertSame(clinician, cache.lookup("clinician", "clinician".toCharArray(), "10.0.0.1").orElseThrow(),
                "other users keep their logins");
    }

    @Test
    void removingARoleOrTheUserDropsTheirLoginsToo() throws Exception {
        cache.remember("nurse", "nurse".toCharArray(), nurse);
        Files.writeString(users, "clinician = {CRYPT}bbbb{CRYPT},clinician,ssh\n");
        assertTrue(cache.lookup("nurse", "nurse".toCharArray(), "10.0.0.1").isEmpty());
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

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

class EntryHasherTest {

    private static final Instant TIME = Instant.parse("2024-05-01T10:00:00.123456Z");
    private final EntryHasher hasher = new EntryHasher();

    @Test
    void hashIsDeterministicHexSha256() {
        EntryRow row = row("alice", "clinician", 1, TIME);

        assertEquals(hasher.hash(row), hasher.hash(row));
        assertEquals(64, hasher.hash(row).length());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hasher.digestDetails(""),
                "SHA-256 of nothing");
    }

    @Test
    void fieldBoundariesCannotShift() {
        assertNotEquals(hasher.hash(row("ab", "c", 1, TIME)), hasher.hash(row("a", "bc", 1, TIME)));
        assertNotEquals(hasher.hash(row("a", "", 1, TIME)), hasher.hash(row("", "a", 1, TIME)));
    }

    @Test
    void everyFieldCounts() {
        String base = hasher.hash(row("alice", "clinician", 1, TIME));

        assertNotEquals(base, hasher.hash(row("alice", "clinician", 2, TIME)));
        assertNotEquals(base, hasher.hash(row("alice", "clinician", 1, TIME.plusNanos(1000))));
        assertEquals(base, hasher.hash(row("alice", "clinician", 1, TIME).withHash("anything")),
                "an entry's own stored hash is not part of its input");
        EntryRow original = row("alice", "clinician", 1, TIME);
        EntryRow otherPrevious = new EntryRow(1, TIME, "alice", "clinician", "READ", "Patient", "p-1", "p-1",
                "SUCCESS", "10.0.0.1", original.detailsDigest(), "f".repeat(64), null);
        assertNotEquals(base, hasher.hash(otherPrevious));
    }

    private EntryRow row(String actor, String role, long sequence, Instant time) {
        AuditEvent event = new AuditEvent(actor, role, AuditAction.READ, "Patient", "p-1", "p-1", AuditOutcome.SUCCESS,
                "10.0.0.1", "details");
        return EntryRow.unhashed(sequence, time, event, hasher.digestDetails("details"), EntryHasher.GENESIS_HASH);
    }
}

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AlteredEntryException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

class AuditSearchTest {

    @TempDir
    Path folder;

    private DerbyDatabase database;
    private HashChainedAuditTrail trail;
    private final List<AuditEntry> recorded = new ArrayList<>();

    @BeforeEach
    void recordEntries() {
        database = new DerbyDatabase(folder);
        trail = database.openTrail(1000);
        recorded.add(trail.record(Events.of("alice", AuditAction.READ, "p-1")));     // 1
        recorded.add(trail.record(Events.of("bob", AuditAction.READ, "p-2")));       // 2
        recorded.add(trail.record(Events.of("alice", AuditAction.UPDATE, "p-1")));   // 3
        recorded.add(trail.record(Events.of("carol", AuditAction.EXPORT, "p-3")));   // 4
        recorded.add(trail.record(Events.of("alice", AuditAction.READ, "p-2")));     // 5
        recorded.add(trail.record(Events.of("bob", AuditAction.DELETE, "p-1")));     // 6
    }

    @AfterEach
    void close() {
        trail.close();
        database.close();
    }

    @Test
    void returnsTheNewestFirstUpToTheLimit() {
        assertEquals(List.of(6L, 5L, 4L, 3L, 2L, 1L), sequences(AuditQuery.latest(100)));
        assertEquals(List.of(6L, 5L), sequences(AuditQuery.latest(2)));
        assertEquals(recorded.get(5), trail.search(AuditQuery.latest(1)).get(0), "entries come back as recorded");
    }

    @Test
    void filtersByPatientActorAndAction() {
        assertEquals(List.of(6L, 3L, 1L), sequences(new AuditQuery("p-1", null, null, null, null, 10)));
        assertEquals(List.of(5L, 3L, 1L), sequences(new AuditQuery(null, "alice", null, null, null, 10)));
        assertEquals(List.of(5L, 2L, 1L), sequences(new AuditQuery(null, null, AuditAction.READ, null, null, 10)));
        assertEquals(List.of(5L, 1L), sequences(new AuditQuery(null, "alice", AuditAction.READ, null, null, 10)));
        assertEquals(List.of(1L), sequences(new AuditQuery("p-1", "alice", AuditAction.READ, null, null, 10)));
        assertEquals(List.of(), sequences(new AuditQuery("p-9", null, null, null, null, 10)));
    }

    @Test
    void filtersByTimeFromInclusiveToExclusive() {
        AuditQuery range = new AuditQuery(null, null, null, recorded.get(2).time(), recorded.get(5).time(), 10);
        assertEquals(List.of(5L, 4L, 3L), sequences(range));

        AuditQuery after = new AuditQuery(null, null, null, recorded.get(4).time(), null, 10);
        assertEquals(List.of(6L, 5L), sequences(after));
    }

    @Test
    void entriesAfterReadsOnFromACursorInSequenceOrder() {
        assertEquals(recorded, trail.entriesAfter(0, 100), "every entry, oldest first, as recorded");
        assertEquals(List.of(3L, 4L), trail.entriesAfter(2, 2).stream().map(AuditEntry::sequence).toList());
        assertEquals(List.of(6L), trail.entriesAfter(5, 100).stream().map(AuditEntry::sequence).toList());
        assertEquals(List.of(), trail.entriesAfter(6, 100), "nothing after the newest");
        AuditEntry seventh = trail.record(Events.of("dave", AuditAction.READ, "p-4"));
        assertEquals(List.of(seventh), trail.entriesAfter(6, 100), "an entry committed later is read on");
    }

    @Test
    void entriesAfterStopsBeforeAnAlteredEntryAndNamesItOnTheNextRead() throws Exception {
        database.update("UPDATE AUDIT_ENTRY SET AUDIT_ACTION = 'SHRED' WHERE SEQ = 4");
        assertEquals(List.of(1L, 2L, 3L), trail.entriesAfter(0, 100).stream().map(AuditEntry::sequence).toList(),
                "the sound entries before it");
        AlteredEntryException altered = assertThrows(AlteredEntryException.class, () -> trail.entriesAfter(3, 100));
        assertEquals(4, altered.sequence());
        assertTrue(altered.getMessage().contains("SHRED"), altered.getMessage());
        assertEquals(List.of(5L, 6L), trail.entriesAfter(4, 100).stream().map(AuditEntry::sequence).toList(),
                "a reader steps past it");
    }

    @Test
    void entriesAfterRefusesANegativeCursorAndALimitOutOfRange() {
        IllegalArgumentException cursor = assertThrows(IllegalArgumentException.class,
                () -> trail.entriesAfter(-1, 10));
        assertEquals("sequence must be at least 0, was -1", cursor.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trail.entriesAfter(0, 0));
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> trail.entriesAfter(0, AuditTrail.MAX_ENTRIES_AFTER + 1));
        assertEquals("limit must be in 1..1000, was 1001", limit.getMessage());
    }

    @Test
    void treatsFilterValuesAsData() {
        assertTrue(trail.search(new AuditQuery("p-1' OR '1'='1", null, null, null, null, 10)).isEmpty());
    }

    private List<Long> sequences(AuditQuery query) {
        return trail.search(query).stream().map(AuditEntry::sequence).toList();
    }
}

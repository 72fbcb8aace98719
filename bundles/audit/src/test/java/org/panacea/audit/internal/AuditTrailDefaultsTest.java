package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.audit.PendingEntries;

/** The default methods of {@link AuditTrail}, for a trail that implements only what it must. */
class AuditTrailDefaultsTest {

    /** Stores each entry when it is recorded; fails every record when told to. */
    private static final class MinimalTrail implements AuditTrail {
        final List<AuditEntry> stored = new ArrayList<>();
        boolean failing;

        @Override
        public AuditEntry record(AuditEvent event) {
            if (failing) {
                throw new AuditException("down", null);
            }
            AuditEntry entry = new AuditEntry(stored.size() + 1, Instant.now(), event, "", "", "");
            stored.add(entry);
            return entry;
        }

        @Override
        public List<AuditEntry> search(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(true, stored.size(), 0, "");
        }
    }

    @Test
    void submitAllStoresTheEventsBeforeItReturnsAndAwaitAnswersWithThem() {
        MinimalTrail trail = new MinimalTrail();

        PendingEntries pending = trail.submitAll(List.of(Events.read(1), Events.read(2)));

        assertEquals(2, trail.stored.size(), "durable before submitAll returns: nothing is left to overlap");
        assertEquals(trail.stored, pending.await());
        assertEquals(trail.stored, pending.await(), "a second await answers as the first");
    }

    @Test
    void submitAllOfATrailThatCannotStoreFailsAtOnce() {
        MinimalTrail trail = new MinimalTrail();
        trail.failing = true;

        assertThrows(AuditException.class, () -> trail.submitAll(List.of(Events.read(1))));
        assertEquals(List.of(), trail.stored);
    }
}

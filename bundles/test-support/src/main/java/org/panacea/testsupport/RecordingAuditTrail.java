package org.panacea.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.audit.PendingEntries;

/**
 * An audit trail that keeps every event in memory, in order, so a test sees exactly what was audited; told to
 * {@linkplain #failing(boolean) fail}, every record throws {@link AuditException} as the real trail does with its
 * database down, and nothing is kept. Safe for concurrent use. {@link #search} answers with the entries recorded
 * that match the query; {@link #verify} reports the entries intact (there is no chain to break).
 * <p>
 * {@link #submitAll} keeps nothing until the caller awaits: what {@link #events} lists was awaited (made "durable"),
 * so a caller that acts before it awaits its entries is seen to. Told to {@linkplain #failingCommits(boolean) fail
 * its commits}, it accepts submissions as a group-commit trail does and fails them when they are awaited, the way the
 * real trail's callers learn that the batch holding their entries could not be committed.
 */
public final class RecordingAuditTrail implements AuditTrail {

    private final List<AuditEntry> entries = new ArrayList<>();
    private volatile boolean failing;
    private volatile boolean failingCommits;
    private final java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();

    /** From now on every record fails ({@code true}) or succeeds again ({@code false}). */
    public RecordingAuditTrail failing(boolean fail) {
        this.failing = fail;
        return this;
    }

    /**
     * From now on entries submitted with {@link #submitAll} are accepted and then fail when awaited ({@code true}), or
     * are stored when awaited ({@code false}); {@link #record} is not affected.
     */
    public RecordingAuditTrail failingCommits(boolean fail) {
        this.failingCommits = fail;
        return this;
    }

    /** How many lists of entries were handed to {@link #submitAll} so far, awaited or not. */
    public int submissions() {
        return submitted.get();
    }

    /**
     * Accepts the events and stores them when first awaited; fails at once when {@linkplain #failing(boolean)
     * failing}, and when awaited when {@linkplain #failingCommits(boolean) failing commits} (decided at submission).
     */
    @Override
    public PendingEntries submitAll(List<AuditEvent> events) {
        if (failing) {
            throw new AuditException("the audit trail is down (test)", null);
        }
        submitted.incrementAndGet();
        List<AuditEvent> copy = List.copyOf(events);
        boolean commitFails = failingCommits;
        return new PendingEntries() {
            private List<AuditEntry> stored;

            @Override
            public synchronized List<AuditEntry> await() {
                if (commitFails) {
                    throw new AuditException("the audit batch could not be committed (test)", null);
                }
                if (stored == null) {
                    stored = copy.stream().map(RecordingAuditTrail.this::record).toList();
                }
                return stored;
            }
        };
    }

    @Override
    public AuditEntry record(AuditEvent event) {
        if (failing) {
            throw new AuditException("the audit trail is down (test)", null);
        }
        synchronized (entries) {
            AuditEntry entry = new AuditEntry(entries.size() + 1, Instant.now(), event, "", "", "");
            entries.add(entry);
            return entry;
        }
    }

    /** The events recorded so far, oldest first (a copy). */
    public List<AuditEvent> events() {
        synchronized (entries) {
            return entries.stream().map(AuditEntry::event).toList();
        }
    }

    /** The only event recorded; fails the test when there is not exactly one. */
    public AuditEvent single() {
        List<AuditEvent> all = events();
        if (all.size() != 1) {
            throw new AssertionError("expected one audit event, got " + all);
        }
        return all.get(0);
    }

    /** The most recent event recorded; fails the test when there is none. */
    public AuditEvent last() {
        List<AuditEvent> all = events();
        if (all.isEmpty()) {
            throw new AssertionError("no audit event was recorded");
        }
        return all.get(all.size() - 1);
    }

    /** Forgets every event recorded so far. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        synchronized (entries) {
            return entries.stream().filter(entry -> matches(query, entry))
                    .sorted((a, b) -> Long.compare(b.sequence(), a.sequence())).limit(query.limit()).toList();
        }
    }

    @Override
    public AuditVerification verify() {
        synchronized (entries) {
            return new AuditVerification(true, entries.size(), 0, "");
        }
    }

    private static boolean matches(AuditQuery query, AuditEntry entry) {
        AuditEvent event = entry.event();
        if (query.from() != null && entry.time().isBefore(query.from())
                || query.to() != null && !entry.time().isBefore(query.to())) {
            return false;
        }
        return (query.patientId() == null || query.patientId().equals(event.patientId()))
                && (query.actor() == null || query.actor().equals(event.actor()))
                && (query.action() == null || query.action() == event.action());
    }
}

package org.panacea.alerts.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.audit.AlteredEntryException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/**
 * The one audit trail the test's nodes share, in memory: entries numbered 1, 2, ... without gaps, at the times the
 * test gives (an entry recorded through {@link #record}, such as {@code ALERT_RAISED}, gets the newest entry's time),
 * read back by {@link #entriesAfter} as the real trail does, an {@linkplain #alter altered} entry included. Thread-safe.
 */
final class SharedTrail implements AuditTrail {

    private final List<AuditEntry> entries = new ArrayList<>();
    private final java.util.Set<Long> altered = new java.util.HashSet<>();

    synchronized AuditEntry add(AuditEvent event, Instant time) {
        AuditEntry entry = new AuditEntry(entries.size() + 1, time, event, "0".repeat(64), "0".repeat(64),
                Integer.toHexString(entries.size() + 1));
        entries.add(entry);
        return entry;
    }

    /** {@code user} (a clinician) read the chart of {@code patient}. */
    AuditEntry read(String user, String patient, Instant time) {
        return add(new AuditEvent(user, "clinician", AuditAction.READ, "Patient", patient, patient,
                AuditOutcome.SUCCESS, "10.0.0.1", ""), time);
    }

    /** {@code user} broke the glass on {@code patient}'s chart. */
    AuditEntry breakGlass(String user, String patient, Instant time) {
        return add(new AuditEvent(user, "clinician", AuditAction.BREAK_GLASS, "Patient", patient, patient,
                AuditOutcome.SUCCESS, "10.0.0.1", "reason given"), time);
    }

    /** Entry {@code sequence} now reads as one altered outside the trail would. */
    synchronized void alter(long sequence) {
        altered.add(sequence);
    }

    /** The events of {@code action}, oldest first. */
    synchronized List<AuditEvent> events(AuditAction action) {
        return entries.stream().map(AuditEntry::event).filter(event -> event.action() == action).toList();
    }

    @Override
    public synchronized AuditEntry record(AuditEvent event) {
        return add(event, entries.isEmpty() ? Instant.EPOCH : entries.get(entries.size() - 1).time());
    }

    @Override
    public synchronized List<AuditEntry> search(AuditQuery query) {
        List<AuditEntry> newestFirst = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && newestFirst.size() < query.limit(); i--) {
            if (query.action() == null || query.action() == entries.get(i).event().action()) {
                newestFirst.add(entries.get(i));
            }
        }
        return newestFirst;
    }

    @Override
    public synchronized List<AuditEntry> entriesAfter(long sequence, int limit) {
        if (sequence < 0 || limit < 1 || limit > MAX_ENTRIES_AFTER) {
            throw new IllegalArgumentException("entriesAfter(" + sequence + ", " + limit + ")");
        }
        int from = (int) Math.min(sequence, entries.size());
        List<AuditEntry> read = new ArrayList<>();
        for (AuditEntry entry : entries.subList(from, Math.min(entries.size(), from + limit))) {
            if (altered.contains(entry.sequence())) {
                if (read.isEmpty()) {
                    throw new AlteredEntryException("Audit entry " + entry.sequence() + " holds the unknown"
                            + " AuditAction 'SHRED'", entry.sequence(), null);
                }
                return read;
            }
            read.add(entry);
        }
        return read;
    }

    @Override
    public synchronized AuditVerification verify() {
        return new AuditVerification(true, entries.size(), 0, "");
    }
}

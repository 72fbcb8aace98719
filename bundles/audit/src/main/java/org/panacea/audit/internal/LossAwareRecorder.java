package org.panacea.audit.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records for the components that report what the platform already did (a login happened, a configuration changed,
 * a plugin was installed) and so cannot fail it when the trail cannot record it. Such an event is never dropped in
 * silence: it is counted as lost in the {@link AnchorJournal} (a {@code lost} line, durable outside the database),
 * {@code audit:verify} reports it, and the trail's next successful commit records an {@code AUDIT_GAP} entry for it.
 *
 * <p>The trail and the journal are bound dynamically, so the reporting component stays up when the trail goes away
 * (its data source unregistered, or the database down when the platform starts) and counts what it misses meanwhile.
 * On an installation's very first start, before the trail has ever run, events are held in memory instead (at most
 * {@value #MAX_EARLY}) and recorded as soon as the trail comes up: the platform is still being set up, and that is
 * no loss. Thread-safe.
 */
final class LossAwareRecorder {

    static final int MAX_EARLY = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(LossAwareRecorder.class);

    private record Early(AuditEvent event, String what) {
    }

    private final LostEventSource source;
    private final AtomicReference<AuditTrail> trail = new AtomicReference<>();
    private final AtomicReference<AnchorJournal> journal = new AtomicReference<>();
    private volatile boolean trailSeen;
    /** Events of a first start, before the trail came up; guarded by this. */
    private final Deque<Early> early = new ArrayDeque<>();

    LossAwareRecorder(LostEventSource source) {
        this.source = source;
    }

    /** Binds the trail, then records what a first start held back for it. */
    synchronized void bindTrail(AuditTrail bound) {
        trail.set(bound);
        trailSeen = true;
        while (!early.isEmpty()) {
            Early held = early.poll();
            recordWith(bound, held.event(), held::what);
        }
    }

    /** A greedy rebind binds the new trail before it unbinds the old one: clear only what is still current. */
    void unbindTrail(AuditTrail unbound) {
        trail.compareAndSet(unbound, null);
    }

    void bindJournal(AnchorJournal bound) {
        journal.set(bound);
    }

    void unbindJournal(AnchorJournal unbound) {
        journal.compareAndSet(unbound, null);
    }

    /**
     * Records {@code event}, or counts it as lost (or, on a first start, holds it for the trail). Never throws.
     *
     * @param what the event in words for the log, e.g. {@code The success login of alice from ssh:10.0.0.5}
     * @return {@code true} when it was recorded
     */
    boolean record(AuditEvent event, Supplier<String> what) {
        AuditTrail current = trail.get();
        if (current == null && !trailSeen && !hasRunBefore()) {
            synchronized (this) {
                current = trail.get();
                if (current == null) {
                    holdForTheTrail(event, what);
                    return false;
                }
            }
        }
        return recordWith(current, event, what);
    }

    /** How many events of a first start wait for the trail. */
    synchronized int held() {
        return early.size();
    }

    private boolean recordWith(AuditTrail current, AuditEvent event, Supplier<String> what) {
        String reason;
        if (current == null) {
            reason = "the audit trail is not running";
        } else {
            try {
                current.record(event);
                return true;
            } catch (RuntimeException e) {
                reason = e.getMessage();
            }
        }
        countLost(event, what, reason);
        return false;
    }

    /**
     * Counts {@code event} as lost without trying the trail: it failed there, or could not even be handed to it (a
     * full queue, a component stopping while the trail stalls). Never throws.
     */
    void countLost(AuditEvent event, Supplier<String> what, String reason) {
        AnchorJournal counter = journal.get();
        if (counter == null) {
            LOG.error("{} could not be audited ({}) and not even counted: the audit anchor journal is not running",
                    what.get(), reason);
            return;
        }
        counter.lost(source, event);
        LOG.error("{} could not be audited ({}); counted as a lost {} event: audit:verify reports it, and an AUDIT_GAP"
                + " entry records it once the trail works", what.get(), reason, source.word());
    }

    private void holdForTheTrail(AuditEvent event, Supplier<String> what) {
        if (early.size() < MAX_EARLY) {
            early.add(new Early(event, what.get()));
            LOG.debug("{} is held until the audit trail first starts", what.get());
        } else {
            LOG.error("{} is not audited: {} events already wait for the audit trail to start for the first time",
                    what.get(), MAX_EARLY);
        }
    }

    private boolean hasRunBefore() {
        AnchorJournal counter = journal.get();
        return counter != null && counter.trailHasRun();
    }
}

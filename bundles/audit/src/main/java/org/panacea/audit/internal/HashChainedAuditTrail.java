package org.panacea.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AlteredEntryException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.CommittedEntryListener;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.audit.PendingEntries;
import org.panacea.api.audit.VerificationListener;
import org.panacea.api.metrics.Metrics;
import org.panacea.api.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link AuditTrail}: a SHA-256 hash chain in three JDBC tables, sealed with HMAC checkpoints under a
 * key kept outside the database. {@link #record} returns once its entry's transaction committed; concurrent callers
 * of this node share transactions (group commit) through one writer thread, and the writers of all nodes sharing the
 * database take turns on the lock of its head row ({@link ChainAppender}), each batch continuing from the head the
 * database holds. So however many nodes append, there is one chain, never forked or gapped.
 *
 * <p>The chain is also anchored outside the database, in this node's {@link AnchorJournal}: what this node saw of it.
 * Every checkpoint this node's batches sealed, once committed; the newest head this node committed, every anchor
 * period when it moved; the chain's head as the database holds it when the node stops. Each anchor names an entry that
 * was committed before the line was written, whichever node reads it. {@link #verify()} compares the chain with every
 * node's anchors, so a database rolled back to an older state of itself, which no key can reveal, is reported too. An
 * administrator settles a legitimate restore with a restore epoch ({@link RestoreEpochs}). Events that components
 * could not record are counted by the journal; the first successful commit after such a loss records an
 * {@code AUDIT_GAP} entry accounting for them.
 *
 * <p>Configured by PID {@code org.panacea.audit} ({@link AuditTrailConfig}); stores into the {@link DataSource}
 * registered as {@value #DATA_SOURCE_TARGET}. The entries this node committed go to every {@link CommittedEntryListener}
 * service of this node, not those of other nodes: each entry is handed on once, by the node that wrote it, and the
 * nodes' exports (syslog) together carry every entry once instead of once per node.
 */
@Component(service = {AuditTrail.class, RestoreEpochs.class}, configurationPid = HashChainedAuditTrail.PID)
@Designate(ocd = AuditTrailConfig.class)
public final class HashChainedAuditTrail implements AuditTrail, RestoreEpochs {

    static final String PID = "org.panacea.audit";
    static final String DATA_SOURCE_TARGET = "(osgi.jndi.service.name=panacea-audit)";
    /** The actor of the entries the trail writes about itself. */
    static final String ACTOR = "system:audit";
    static final String RESOURCE_TYPE = "AuditTrail";

    private static final Logger LOG = LoggerFactory.getLogger(HashChainedAuditTrail.class);
    /** Written by the trail itself: through record() anyone could excuse a rollback or fake a gap. */
    private static final Set<AuditAction> RESERVED = EnumSet.of(AuditAction.RESTORE_EPOCH, AuditAction.AUDIT_GAP);
    private static final long STOP_TIMEOUT_SECONDS = 5;
    /** The details of the entry following one that was stored although its caller was told it failed. */
    static final String STORED_AFTER_ALL = "entry %d was stored although its commit failed for its caller (the"
            + " connection to the database was lost during the commit): the caller was refused, so what it records"
            + " was not carried out (a login is counted as lost instead)";

    private final DataSource dataSource;
    private final AnchorJournal journal;
    private final boolean ownsJournal;
    private final int checkpointInterval;
    private final EntryHasher hasher = new EntryHasher();
    private final AuditStore store = new AuditStore();
    private final CommittedEntryDispatcher dispatcher = new CommittedEntryDispatcher();
    private final ChainVerifier verifier;
    private final ChainAppender appender;
    private final GroupCommitWriter<DigestedEvent, AuditEntry> writer;
    private final AuditMetrics metrics = new AuditMetrics();
    private final ScheduledExecutorService anchoring;
    private final AtomicBoolean gapInFlight = new AtomicBoolean();
    private final List<VerificationListener> verificationListeners = new CopyOnWriteArrayList<>();
    /** The newest head this trail anchored, so an unmoved chain is not anchored again. */
    private volatile ChainHead lastAnchored;

    @Activate
    public HashChainedAuditTrail(@Reference(name = "dataSource", target = DATA_SOURCE_TARGET) DataSource dataSource,
            @Reference(name = "anchorJournal") AnchorJournal journal, AuditTrailConfig config) {
        this(dataSource, journal, TrailSettings.from(config), false);
        String data = System.getProperty("karaf.data");
        if (data != null) {
            Path marker = Path.of(data, RestoreMarker.PENDING);
            anchoring.execute(() -> settleRestore(marker));
        }
    }

    /**
     * Opens the trail on {@code dataSource} with a journal of its own, which it closes with itself.
     *
     * @throws AuditException when the key file, the anchor file or the database cannot be opened
     */
    HashChainedAuditTrail(DataSource dataSource, TrailSettings settings) {
        this(dataSource, new AnchorJournal(settings, Clock.systemUTC()), settings, true);
    }

    /**
     * Opens the trail on {@code dataSource}: creates missing tables, loads the chain head, starts the writer and the
     * periodic anchoring.
     *
     * @throws AuditException when the database cannot be opened
     */
    HashChainedAuditTrail(DataSource dataSource, AnchorJournal journal, TrailSettings settings, boolean ownsJournal) {
        this.dataSource = dataSource;
        this.journal = journal;
        this.ownsJournal = ownsJournal;
        this.checkpointInterval = settings.checkpointInterval();
        CheckpointSealer sealer = journal.sealer();
        try {
            createSchema(dataSource);
        } catch (AuditException e) {
            if (ownsJournal) {
                journal.close();
            }
            throw e;
        }
        this.verifier = new ChainVerifier(store, hasher, sealer);
        this.appender = new ChainAppender(dataSource, store, hasher, sealer, settings.checkpointInterval());
        try {
            ChainHead head = appender.loadHead();
            LOG.info("Audit trail open at entry {}, a checkpoint every {} entries, key {}, anchors of node {} in {}",
                    head.sequence(), settings.checkpointInterval(), settings.keyFile(), journal.node(),
                    journal.folder());
        } catch (AuditException e) {
            // Stay up so audit:verify can show what is wrong; every record() fails until the head loads.
            LOG.error("The audit trail refuses new entries: {}", e.getMessage());
        }
        this.writer = new GroupCommitWriter<>(appender::commit, this::afterCommit, settings.maxBatchSize(),
                "panacea-audit-writer");
        journal.trailStarted();
        this.anchoring = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "panacea-audit-anchoring");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.anchorPeriod().toMillis();
        anchoring.scheduleWithFixedDelay(this::anchorNow, period, period, TimeUnit.MILLISECONDS);
    }

    /** @throws IllegalArgumentException for {@code RESTORE_EPOCH} and {@code AUDIT_GAP}, which only the trail writes */
    @Override
    public AuditEntry record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (RESERVED.contains(event.action())) {
            throw new IllegalArgumentException(event.action() + " entries are written by the audit trail itself");
        }
        AuditSchema.checkFits(event);
        long start = System.nanoTime();
        boolean stored = false;
        try {
            AuditEntry entry = writer.submit(new DigestedEvent(event, hasher.digestDetails(event.details())));
            stored = true;
            return entry;
        } finally {
            metrics.appended(start, stored);
        }
    }

    /** Queues every event before waiting, so that they share a group commit: one wait for the caller, not one each. */
    @Override
    public List<AuditEntry> recordAll(List<AuditEvent> events) {
        return writer.submitAll(digested(events));
    }

    /**
     * Queues every event for the writer and returns at once: the caller's own work runs while the writer commits
     * them. Every event is checked before any is queued, so a refused list leaves nothing behind.
     */
    @Override
    public PendingEntries submitAll(List<AuditEvent> events) {
        List<DigestedEvent> digested = digested(events);
        long start = System.nanoTime();
        GroupCommitWriter.Queued<AuditEntry> pending = writer.queueAll(digested);
        return new PendingEntries() {
            private boolean measured;

            @Override
            public List<AuditEntry> await() {
                boolean stored = false;
                try {
                    List<AuditEntry> entries = pending.await();
                    stored = true;
                    return entries;
                } finally {
                    synchronized (this) {
                        // From submission to durability, once, as record() measures its own wait.
                        if (!measured) {
                            measured = true;
                            metrics.appended(start, stored);
                        }
                    }
                }
            }
        };
    }

    /** {@code events} with their details' digests, every one checked first. */
    private List<DigestedEvent> digested(List<AuditEvent> events) {
        List<DigestedEvent> digested = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            Objects.requireNonNull(event, "event");
            if (RESERVED.contains(event.action())) {
                throw new IllegalArgumentException(event.action() + " entries are written by the audit trail itself");
            }
            AuditSchema.checkFits(event);
            digested.add(new DigestedEvent(event, hasher.digestDetails(event.details())));
        }
        return digested;
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        try (Connection connection = dataSource.getConnection()) {
            return store.search(connection, query).stream().map(EntryRow::toAuditEntry).toList();
        } catch (SQLException e) {
            throw new AuditException("Cannot search the audit trail: " + e.getMessage(), e);
        }
    }

    /**
     * Reads on from {@code sequence}. Appends of every node take turns on the head row's lock and commit in sequence
     * order, so a committed entry is never followed by one still uncommitted before it: no entry is skipped.
     */
    @Override
    public List<AuditEntry> entriesAfter(long sequence, int limit) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be at least 0, was " + sequence);
        }
        if (limit < 1 || limit > MAX_ENTRIES_AFTER) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_ENTRIES_AFTER + ", was " + limit);
        }
        List<EntryRow> rows;
        try (Connection connection = dataSource.getConnection()) {
            rows = store.entriesAfter(connection, sequence, limit);
        } catch (SQLException e) {
            throw new AuditException("Cannot read the audit trail after entry " + sequence + ": " + e.getMessage(), e);
        }
        List<AuditEntry> entries = new ArrayList<>(rows.size());
        for (EntryRow row : rows) {
            try {
                entries.add(row.toAuditEntry());
            } catch (IllegalStateException altered) {
                if (!entries.isEmpty()) {
                    // The entries before it are sound: the reader gets them, and the exception on its next call.
                    return entries;
                }
                throw new AlteredEntryException(altered.getMessage(), row.sequence(), altered);
            }
        }
        return entries;
    }

    /**
     * Verifies the chain and compares it with every node's anchors.
     *
     * @throws AuditException when the database or the anchor folder cannot be read (which says nothing about
     *                        tampering)
     */
    @Override
    public AuditVerification verify() {
        AuditVerification verification = verdict().verification();
        for (VerificationListener listener : verificationListeners) {
            try {
                listener.onVerified(verification);
            } catch (RuntimeException e) {
                // The caller's answer must not depend on who else is told of it.
                LOG.warn("Verification listener {} failed", listener, e);
            }
        }
        return verification;
    }

    @Override
    public RestoreEpoch recordRestoreEpoch(Caller administrator, String reason) {
        Objects.requireNonNull(administrator, "administrator");
        String why = checkReason(reason);
        TrailVerdict before = verdict();
        switch (before.cause()) {
            case NONE -> throw new IllegalStateException("Nothing to record: the chain matches every anchor ("
                    + before.verification().summary() + "). A restore epoch settles a database restored from a"
                    + " backup, which audit:verify reports as BROKEN against its anchors");
            case CHAIN, ANCHOR_FILE -> throw new IllegalStateException("A restore epoch cannot settle this: "
                    + before.verification().summary() + ". It only settles a sound chain that the anchors show to be"
                    + " an older state than they saw");
            case ANCHORS -> {
                // A sound chain, older than its anchors: what a restore from a backup leaves.
            }
        }
        AuditEvent event = new AuditEvent(administrator.name(), administrator.primaryRole(), AuditAction.RESTORE_EPOCH,
                RESOURCE_TYPE, "restore-epoch", "", AuditOutcome.SUCCESS, administrator.clientAddress(), why);
        AuditSchema.checkFits(event);
        AuditEntry epoch = writer.submit(new DigestedEvent(event, hasher.digestDetails(why)));
        boolean anchored = journal.anchorEpoch(epoch, why).isPresent();
        LOG.warn("Restore epoch recorded as audit entry {} by {} ({}): {} anchors made before it no longer match the"
                + " restored chain and are superseded", epoch.sequence(), administrator.name(), why, before.unmatched());
        TrailVerdict after = verdict();
        return new RestoreEpoch(epoch, after.verification().anchorsSuperseded(), anchored, after.verification());
    }

    /**
     * Records the restore that {@code bin/panacea-restore} left a marker for, once, as a {@code RESTORE_EPOCH} entry
     * by {@value RestoreMarker#ACTOR} whose reason names the backup, when it was taken and who restored it: a restore
     * is always visible in the chain, and anchors the restored chain no longer matches (a node restored onto its own
     * older state) are superseded by it. A chain or anchor file broken in itself is not settled: the marker is kept as
     * {@code pending.refused} and the error logged. Whoever can write {@code data/} can leave a marker, but could as
     * well delete the anchors: the entry is what makes such a restore visible to auditors.
     */
    void settleRestore(Path marker) {
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            String why = RestoreMarker.reason(marker, MAX_REASON);
            TrailVerdict before = verdict();
            if (before.cause() == TrailVerdict.Cause.CHAIN || before.cause() == TrailVerdict.Cause.ANCHOR_FILE) {
                LOG.error("The restore from a backup ({}) is not recorded: {}. The marker is kept as {}", why,
                        before.verification().summary(), marker.getFileName() + ".refused");
                Files.move(marker, marker.resolveSibling(marker.getFileName() + ".refused"),
                        StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            AuditEvent event = new AuditEvent(RestoreMarker.ACTOR, "", AuditAction.RESTORE_EPOCH, RESOURCE_TYPE,
                    "restore-epoch", "", AuditOutcome.SUCCESS, "internal", why);
            AuditEntry epoch = writer.submit(new DigestedEvent(event, hasher.digestDetails(why)));
            journal.anchorEpoch(epoch, why);
            Files.delete(marker);
            LOG.warn("Restore from a backup recorded as audit entry {} ({}); {} anchors no longer matched it",
                    epoch.sequence(), why, before.unmatched());
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot record the restore from a backup that {} announces; it is tried again at the next"
                    + " start", marker, e);
        }
    }

    /**
     * Anchors the head when it moved since the last anchor, and records a gap entry for lost events when some wait.
     * Runs every anchor period; callable at any time.
     */
    void anchorNow() {
        try {
            ChainHead head = appender.committedHead().orElse(null);
            if (head != null && head.sequence() > 0 && !head.equals(lastAnchored)
                    && journal.anchor(AnchorKind.HEAD, head.sequence(), head.hash()).isPresent()) {
                lastAnchored = head;
            }
            recordGapIfPending();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep anchoring.
            LOG.warn("Anchoring the audit trail failed", e);
        }
    }

    /** Stores what is queued, seals and anchors the chain's newest entry as a checkpoint and stops. */
    @Deactivate
    void close() {
        anchoring.shutdown();
        try {
            // Not shutdownNow: interrupting a write to the anchor file would close its channel mid-line.
            if (!anchoring.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("The audit anchoring did not stop within {} s", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        if (writer.isStopped()) {
            // Only once the writer is gone: the appender's connection is not shared.
            appender.sealFinalCheckpoint().filter(head -> !head.equals(lastAnchored))
                    .ifPresent(head -> journal.anchor(AnchorKind.CHECKPOINT, head.sequence(), head.hash()));
            appender.close();
        }
        dispatcher.close();
        if (ownsJournal) {
            journal.close();
        }
    }

    @Reference(name = "committedEntryListener", service = CommittedEntryListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(CommittedEntryListener listener) {
        dispatcher.add(listener);
    }

    void removeListener(CommittedEntryListener listener) {
        dispatcher.remove(listener);
    }

    @Reference(name = "verificationListener", service = VerificationListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeVerificationListener")
    void addVerificationListener(VerificationListener listener) {
        verificationListeners.add(listener);
    }

    void removeVerificationListener(VerificationListener listener) {
        verificationListeners.remove(listener);
    }

    /** Operators' metrics, when the metrics bundle is there: append latency and the writer's backlog. */
    @Reference(name = "metrics", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindMetrics")
    void bindMetrics(Metrics service) {
        metrics.bind(service, writer::queued);
    }

    void unbindMetrics(Metrics service) {
        metrics.unbind(service);
    }

    /** The newest head this node committed (or found at start), for tests and diagnostics. */
    Optional<ChainHead> committedHead() {
        return appender.committedHead();
    }

    /** The journal the trail anchors in, for tests. */
    AnchorJournal journal() {
        return journal;
    }

    /**
     * On the writer thread, after one of this node's batches committed: anchors the checkpoints it reached (only now,
     * so no anchor ever names an entry that is not stored), hands its entries to this node's listeners, and accounts
     * for lost events.
     */
    private void afterCommit(List<AuditEntry> entries) {
        AuditEntry newest = entries.get(entries.size() - 1);
        for (AuditEntry entry : entries) {
            if (entry.sequence() % checkpointInterval == 0
                    && journal.anchor(AnchorKind.CHECKPOINT, entry.sequence(), entry.hash()).isPresent()
                    && entry.sequence() == newest.sequence()) {
                lastAnchored = new ChainHead(entry.sequence(), entry.hash());
            }
        }
        dispatcher.dispatch(entries);
        recordGapIfPending();
        recordStoredAfterAll();
    }

    /**
     * Queues, for each entry whose commit failed for its caller but that is stored after all (a connection lost
     * during the commit, as in a database fail-over), an {@code ERROR} entry of the same actor, action and resource
     * saying so: the success it records did not happen, since its caller was refused. Queued, not awaited (see
     * {@link #recordGapIfPending}); should it fail, the log keeps the warning {@link ChainAppender} wrote.
     */
    private void recordStoredAfterAll() {
        for (EntryRow row : appender.takeStoredAfterAll()) {
            AuditAction action;
            try {
                action = AuditAction.valueOf(row.action());
            } catch (IllegalArgumentException e) {
                continue;
            }
            AuditEvent note = new AuditEvent(row.actor(), row.role(), action, row.resourceType(), row.resourceId(),
                    row.patientId(), AuditOutcome.ERROR, row.clientAddress(), String.format(STORED_AFTER_ALL,
                            row.sequence()));
            writer.submitAsync(new DigestedEvent(note, hasher.digestDetails(note.details())));
        }
    }

    /**
     * Queues one {@code AUDIT_GAP} entry for the lost events the journal counts, unless one is on its way. Queued,
     * not awaited: this runs on the writer thread too, which must not wait for itself.
     */
    private void recordGapIfPending() {
        Map<LostEventSource, Long> lost = journal.unrecordedLost();
        if (lost.isEmpty() || !gapInFlight.compareAndSet(false, true)) {
            return;
        }
        long total = lost.values().stream().mapToLong(Long::longValue).sum();
        String counts = lost.entrySet().stream().map(count -> count.getKey().word() + "=" + count.getValue())
                .collect(Collectors.joining(","));
        AuditEvent gap = new AuditEvent(ACTOR, "", AuditAction.AUDIT_GAP, RESOURCE_TYPE, counts, "",
                AuditOutcome.ERROR, "internal", total + " audit events could not be recorded on node "
                        + journal.node() + ": " + counts);
        writer.submitAsync(new DigestedEvent(gap, hasher.digestDetails(gap.details()))).whenComplete(
                (entry, failure) -> {
                    try {
                        if (failure == null) {
                            journal.gapRecorded(entry, lost);
                            LOG.warn("Recorded audit entry {}: {} events could not be recorded earlier ({})",
                                    entry.sequence(), total, counts);
                        }
                    } finally {
                        gapInFlight.set(false);
                    }
                });
    }

    private TrailVerdict verdict() {
        // The anchors first: see ChainVerifier.verify.
        List<AnchorFiles.FileContent> anchors = journal.readAll();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                TrailVerdict verdict = verifier.verify(connection, anchors);
                LOG.info("Audit verification: {}", verdict.verification().summary());
                return verdict;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("Cannot read the audit trail to verify it: " + e.getMessage(), e);
        }
    }

    private static String checkReason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("--reason: say why the database was restored (which backup, what"
                    + " happened)");
        }
        if (why.length() > MAX_REASON) {
            throw new IllegalArgumentException("--reason: at most " + MAX_REASON + " characters, was " + why.length());
        }
        if (why.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--reason: one line without control characters");
        }
        return why;
    }

    private static void createSchema(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            AuditSchema.createIfMissing(connection);
        } catch (SQLException e) {
            throw new AuditException("Cannot create the audit tables: " + e.getMessage(), e);
        }
    }
}

package org.panacea.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.SharedSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's anchor file: the memory of the chain that lives outside the database. Checkpoints, the periodically
 * anchored head, restore epochs and gap entries are appended as sealed {@link AnchorLine}s, each forced to disk
 * before the call returns; so a database restored to an older state, or cut and given back an old head seal, no
 * longer matches what the file says it held. The file is only ever appended to.
 *
 * <p>It also counts the events that the trail could not record ({@link #lost}): one {@code lost} line each, and a
 * count per source that the trail turns into an {@code AUDIT_GAP} entry at its next successful write. The count is
 * kept in the file, so it survives a restart with the database still down. This component needs the audit key once,
 * at start (the installation's shared key, from {@link SharedSecrets}), and then only the anchor folder, not the
 * database, so it keeps counting while the trail itself is down.
 *
 * <p>Each node writes only its own file, {@code <node>.anchors}, and holds a lock on {@code <node>.lock} meanwhile:
 * a second node started with the same name is refused instead of interleaving lines. Verification reads every file of
 * the folder. The journal also owns the audit key: the trail seals its checkpoints with {@link #sealer()}.
 * Thread-safe.
 */
@Component(service = AnchorJournal.class, configurationPid = HashChainedAuditTrail.PID)
public final class AnchorJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnchorJournal.class);
    private static final int QUEUED_LINES = 10_000;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    /** Bounds a lost line: the actor of a refused login is whatever the client typed. */
    private static final int MAX_ACTOR = AuditSchema.ACTOR_LENGTH;

    private final String node;
    private final Path folder;
    private final Path file;
    private final CheckpointSealer sealer;
    private final Clock clock;
    private final FileChannel lock;
    private final List<AnchorListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedNotifications = new AtomicLong();
    private final ThreadPoolExecutor notifier;

    // Guarded by this.
    private long lastIndex;
    private String lastSeal = "";
    private final Map<LostEventSource, Long> unrecorded = new EnumMap<>(LostEventSource.class);
    private boolean failing;
    /** The trail ran on this installation before: its file has lines, or a trail started on this journal. */
    private volatile boolean trailHasRun;

    @Activate
    public AnchorJournal(AuditTrailConfig config, @Reference(name = "sharedSecrets") SharedSecrets secrets) {
        this(TrailSettings.from(config), Clock.systemUTC(), secrets);
    }

    /**
     * Opens the node's anchor file with the installation's shared audit key (adopting this node's former key file,
     * {@link TrailSettings#keyFile()}, when the installation has none yet).
     *
     * @throws AuditException when the key cannot be had or the folder cannot be opened, or another node holds the file
     */
    AnchorJournal(TrailSettings settings, Clock clock, SharedSecrets secrets) {
        this(settings, clock, AuditKeyFile.shared(secrets, settings.keyFile()));
    }

    /**
     * Opens the node's anchor file with a key of the node's own in {@link TrailSettings#keyFile()}, created when
     * missing: the trail's tests, which have no security bundle.
     *
     * @throws AuditException when the key file or the folder cannot be opened, or another node holds the file
     */
    AnchorJournal(TrailSettings settings, Clock clock) {
        this(settings, clock, readKey(settings.keyFile()));
    }

    /**
     * Opens (or creates) the node's anchor file, after the folder.
     *
     * @throws AuditException when the folder cannot be opened, or another node holds the file
     */
    private AnchorJournal(TrailSettings settings, Clock clock, byte[] key) {
        this.node = settings.nodeName();
        this.folder = settings.anchorFolder().toAbsolutePath();
        this.file = folder.resolve(node + AnchorFiles.SUFFIX);
        this.clock = clock;
        this.sealer = new CheckpointSealer(key);
        java.util.Arrays.fill(key, (byte) 0);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new AuditException("Cannot create the audit anchor folder " + folder + ": " + e, e);
        }
        this.lock = lock(folder.resolve(node + ".lock"));
        try {
            resume();
        } catch (IOException e) {
            closeQuietly(lock);
            throw new AuditException("Cannot read the audit anchor file " + file + ": " + e, e);
        }
        this.notifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_LINES), runnable -> {
                    Thread thread = new Thread(runnable, "panacea-audit-anchor-listeners");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        LOG.info("Audit anchors of node {} go to {} (line {} is next)", node, file, lastIndex + 1);
    }

    /** The key of every seal of the trail. */
    CheckpointSealer sealer() {
        return sealer;
    }

    String node() {
        return node;
    }

    /** Called by the trail once it is open. */
    void trailStarted() {
        trailHasRun = true;
    }

    /**
     * {@code true} when the trail ran on this installation before (so an event it misses now is a loss, not the
     * platform being set up).
     */
    boolean trailHasRun() {
        return trailHasRun;
    }

    Path folder() {
        return folder;
    }

    /**
     * Anchors entry {@code sequence} with hash {@code hash}, durably.
     *
     * @return the line, or empty when the file could not be written (logged once per run of failures)
     */
    Optional<AnchorLine> anchor(AnchorKind kind, long sequence, String hash) {
        return append(kind, sequence, hash, Map.of());
    }

    /** Anchors a restore epoch entry with who recorded it and why. */
    Optional<AnchorLine> anchorEpoch(AuditEntry epoch, String reason) {
        return append(AnchorKind.EPOCH, epoch.sequence(), epoch.hash(),
                Map.of("actor", epoch.event().actor(), "reason", reason));
    }

    /**
     * Counts an event the trail could not record: a {@code lost} line now, an {@code AUDIT_GAP} entry later. Never
     * throws; when even the file cannot be written the count is kept in memory and the failure logged.
     */
    synchronized void lost(LostEventSource source, AuditEvent event) {
        unrecorded.merge(source, 1L, Long::sum);
        String actor = event.actor().length() > MAX_ACTOR ? event.actor().substring(0, MAX_ACTOR) : event.actor();
        append(AnchorKind.LOST, 0, EntryHasher.GENESIS_HASH, Map.of("source", source.word(), "action",
                event.action().name(), "outcome", event.outcome().name(), "actor", actor));
    }

    /** The lost events that no {@code AUDIT_GAP} entry accounts for yet, by source; empty when none. */
    synchronized Map<LostEventSource, Long> unrecordedLost() {
        return unrecorded.isEmpty() ? Map.of() : new EnumMap<>(unrecorded);
    }

    /** Notes that the {@code AUDIT_GAP} entry {@code gap} accounts for {@code covered}, and anchors it. */
    synchronized void gapRecorded(AuditEntry gap, Map<LostEventSource, Long> covered) {
        Map<String, String> counts = new LinkedHashMap<>();
        covered.forEach((source, count) -> {
            counts.put(source.word(), Long.toString(count));
            long left = unrecorded.getOrDefault(source, 0L) - count;
            if (left > 0) {
                unrecorded.put(source, left);
            } else {
                unrecorded.remove(source);
            }
        });
        append(AnchorKind.GAP, gap.sequence(), gap.hash(), counts);
    }

    /**
     * Every node's anchor file in the folder, each checked line by line.
     *
     * @throws AuditException when the folder or a file cannot be read
     */
    List<AnchorFiles.FileContent> readAll() {
        try {
            return AnchorFiles.readAll(folder, sealer);
        } catch (IOException e) {
            throw new AuditException("Cannot read the audit anchors in " + folder + ": " + e, e);
        }
    }

    @Reference(name = "anchorListener", service = AnchorListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(AnchorListener listener) {
        listeners.add(listener);
    }

    void removeListener(AnchorListener listener) {
        listeners.remove(listener);
    }

    /** Delivers what is queued to listeners (waiting at most 10 s) and releases the file. */
    @Deactivate
    @Override
    public void close() {
        notifier.shutdown();
        try {
            if (!notifier.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Audit anchor listeners did not finish within {} s", STOP_TIMEOUT_SECONDS);
                notifier.shutdownNow();
            }
        } catch (InterruptedException e) {
            notifier.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeQuietly(lock);
    }

    private synchronized Optional<AnchorLine> append(AnchorKind kind, long sequence, String hash,
            Map<String, String> attributes) {
        AnchorLine line = AnchorLine.seal(sealer, node, lastIndex + 1, kind, sequence, hash,
                clock.instant().truncatedTo(ChronoUnit.MICROS), attributes, lastSeal);
        try {
            write(line);
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.error("Cannot write the audit anchor file {}: the {} anchor of entry {} and those after it are"
                        + " missing until it works again: {}", file, kind.word(), sequence, e.toString());
            }
            // Not sent to syslog either: the exported lines are the file's lines, numbered and chained alike.
            return Optional.empty();
        }
        if (failing) {
            failing = false;
            LOG.info("The audit anchor file {} is written again", file);
        }
        lastIndex = line.index();
        lastSeal = line.seal();
        notifyListeners(line);
        return Optional.of(line);
    }

    /** Appends the line and forces it to disk; a write that failed half-way is cut off again. */
    private void write(AnchorLine line) throws IOException {
        byte[] bytes = (line.format() + "\n").getBytes(StandardCharsets.UTF_8);
        boolean created = Files.notExists(file);
        if (created) {
            Files.createDirectories(folder);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long before = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            } catch (IOException e) {
                try {
                    channel.truncate(before);
                } catch (IOException cut) {
                    e.addSuppressed(cut);
                }
                throw e;
            }
        }
        if (created) {
            forceFolder();
        }
    }

    /** Makes a new file's name durable too: fsync of the file alone does not cover its directory entry. */
    private void forceFolder() {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | RuntimeException e) {
            // Not every platform opens directories (Windows); the line itself is durable.
            LOG.debug("Could not force the audit anchor folder {}", folder, e);
        }
    }

    /**
     * Continues the node's existing file: its last line's number and seal, and the lost events no gap line accounts
     * for. A last line a crash left unterminated is cut off, since the next line would otherwise be glued to it.
     */
    private void resume() throws IOException {
        AnchorFiles.FileContent content = AnchorFiles.read(file, node, null);
        if (content.tornBytes() > 0) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - content.tornBytes());
                channel.force(false);
            }
            LOG.warn("Cut off an unfinished last line ({} bytes) of the audit anchor file {}, left by a crash",
                    content.tornBytes(), file);
        }
        trailHasRun = !content.lines().isEmpty();
        for (AnchorLine line : content.lines()) {
            lastIndex = Math.max(lastIndex, line.index());
            lastSeal = line.seal();
            if (line.kind() == AnchorKind.LOST) {
                LostEventSource source = LostEventSource.fromWord(line.attributes().getOrDefault("source", ""));
                if (source != null) {
                    unrecorded.merge(source, 1L, Long::sum);
                }
            } else if (line.kind() == AnchorKind.GAP) {
                line.attributes().forEach((word, count) -> {
                    LostEventSource source = LostEventSource.fromWord(word);
                    if (source != null) {
                        unrecorded.merge(source, -parseCount(count), Long::sum);
                    }
                });
            }
        }
        unrecorded.values().removeIf(count -> count <= 0);
        if (!unrecorded.isEmpty()) {
            LOG.warn("{} audit events lost before this start are not yet accounted for by a gap entry: {}",
                    unrecorded.values().stream().mapToLong(Long::longValue).sum(), unrecorded);
        }
    }

    private void notifyListeners(AnchorLine line) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            notifier.execute(() -> {
                for (AnchorListener listener : listeners) {
                    try {
                        listener.onAnchored(line);
                    } catch (RuntimeException e) {
                        LOG.warn("Audit anchor listener {} failed on line {}", listener, line.index(), e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Audit anchor listeners are {} lines behind or stopped; line {} was not exported ({} so far)",
                    QUEUED_LINES, line.index(), droppedNotifications.incrementAndGet());
        }
    }

    private FileChannel lock(Path lockFile) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new AuditException("Cannot open the audit anchor lock " + lockFile + ": " + e, e);
        }
        try {
            FileLock held = channel.tryLock();
            if (held != null) {
                return channel;
            }
        } catch (OverlappingFileLockException | IOException e) {
            LOG.debug("Audit anchor lock {} not taken", lockFile, e);
        }
        closeQuietly(channel);
        throw new AuditException("Another running node writes the audit anchors of node '" + node + "' in " + folder
                + ": give every node sharing the folder its own karaf.name (or nodeName in org.panacea.audit)", null);
    }

    private static long parseCount(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", channel, e);
        }
    }

    private static byte[] readKey(Path keyFile) {
        try {
            return AuditKeyFile.loadOrCreate(keyFile);
        } catch (IOException e) {
            throw new AuditException("Cannot open the audit key file " + keyFile + ": " + e.getMessage(), e);
        }
    }
}

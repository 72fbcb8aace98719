package org.panacea.audit.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.CommittedEntryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed batches to the {@link CommittedEntryListener}s on its own thread, so the writer thread goes back to
 * committing at once. The hand-over queue is bounded: when listeners fall that far behind, batches are dropped for
 * them (counted and logged), never held up in the commit path. Thread-safe.
 */
final class CommittedEntryDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedEntryDispatcher.class);
    private static final int QUEUED_BATCHES = 10_000;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final List<CommittedEntryListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedEntries = new AtomicLong();
    private final ThreadPoolExecutor executor;

    CommittedEntryDispatcher() {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_BATCHES),
                runnable -> {
                    Thread thread = new Thread(runnable, "panacea-audit-listeners");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    void add(CommittedEntryListener listener) {
        listeners.add(listener);
    }

    void remove(CommittedEntryListener listener) {
        listeners.remove(listener);
    }

    /** Queues {@code entries} for every listener; returns at once. */
    void dispatch(List<AuditEntry> entries) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> deliver(entries));
        } catch (RejectedExecutionException e) {
            long dropped = droppedEntries.addAndGet(entries.size());
            LOG.warn("Audit listeners are {} batches behind; entries {}..{} were not exported ({} dropped so far)",
                    QUEUED_BATCHES, entries.get(0).sequence(), entries.get(entries.size() - 1).sequence(), dropped);
        }
    }

    /** Delivers what is queued (waiting at most 10 s), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Audit listeners did not finish within {} s; {} batches not delivered",
                        STOP_TIMEOUT_SECONDS, executor.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(List<AuditEntry> entries) {
        for (CommittedEntryListener listener : listeners) {
            try {
                listener.onCommitted(entries);
            } catch (RuntimeException e) {
                LOG.warn("Audit listener {} failed on entries {}..{}", listener, entries.get(0).sequence(),
                        entries.get(entries.size() - 1).sequence(), e);
            }
        }
    }
}

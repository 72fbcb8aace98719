package org.panacea.audit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.panacea.api.audit.AuditException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers of {@link #submit} queue their item and block; one writer thread drains whatever is queued (up
 * to a batch size), hands the batch to the committer as one unit and then releases every caller of the batch with its
 * own result, or with the same {@link AuditException} when the batch failed. Because a single thread commits, this
 * node's batches are strictly ordered and never interleave; the batches of other nodes sharing the database are
 * ordered with them by the database (see {@link ChainAppender}). After a successful batch the observer gets the
 * results on the writer thread, once the callers are already released.
 *
 * <p>Thread-safe. {@link #close()} commits what is already queued, then stops; later submissions fail.
 *
 * @param <I> what callers submit
 * @param <O> what the committer returns per item, in the same order
 */
final class GroupCommitWriter<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final long POLL_MILLIS = 100;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private record Pending<I, O>(I item, CompletableFuture<O> result) {
    }

    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final Function<List<I>, List<O>> committer;
    private final Consumer<List<O>> observer;
    private final int maxBatchSize;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the writer thread.
     *
     * @param committer    stores a batch atomically and returns the results in order, or throws
     * @param observer     told about each committed batch; its exceptions are logged, not propagated
     * @param maxBatchSize most items per batch
     * @param threadName   name of the writer thread, for thread dumps
     */
    GroupCommitWriter(Function<List<I>, List<O>> committer, Consumer<List<O>> observer, int maxBatchSize,
            String threadName) {
        this.committer = committer;
        this.observer = observer;
        this.maxBatchSize = maxBatchSize;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code item} and waits until its batch committed.
     *
     * @throws AuditException when the batch failed, the writer is stopped, or the caller was interrupted while waiting
     *                        (the item may then still be committed)
     */
    O submit(I item) {
        return await(submitAsync(item));
    }

    /**
     * Queues {@code items} one after the other and then waits until all committed: queued before the first wait, they
     * usually share one batch.
     *
     * @return the results, in the order of {@code items}
     * @throws AuditException as {@link #submit}; the items before the failing one may be committed
     */
    List<O> submitAll(List<I> items) {
        return queueAll(items).await();
    }

    /** Items queued by {@link #queueAll}, to be awaited by their caller. */
    interface Queued<O> {
        /**
         * Waits until every item committed.
         *
         * @return the results, in the order the items were queued
         * @throws AuditException as {@link #submit}
         */
        List<O> await();
    }

    /**
     * Queues {@code items} one after the other and returns without waiting: the caller goes on with its own work while
     * the writer commits them, and awaits them before it relies on them. Queued together, they usually share one
     * batch.
     */
    Queued<O> queueAll(List<I> items) {
        List<CompletableFuture<O>> results = items.stream().map(this::submitAsync).toList();
        return () -> {
            List<O> committed = new ArrayList<>(results.size());
            for (CompletableFuture<O> result : results) {
                committed.add(await(result));
            }
            return committed;
        };
    }

    /**
     * Queues {@code item} without waiting, for the writer's own follow-up work (it must not block on itself). The
     * result completes on the writer thread once the item's batch committed, or exceptionally when it failed or the
     * writer is stopped.
     */
    CompletableFuture<O> submitAsync(I item) {
        if (closed) {
            return CompletableFuture.failedFuture(stopped());
        }
        Pending<I, O> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        // The writer may have drained its last batch between the check above and the add: take the item back.
        if (closed && queue.remove(pending)) {
            return CompletableFuture.failedFuture(stopped());
        }
        return pending.result();
    }

    /** Commits what is queued, then stops the writer thread, waiting at most 30 s for it. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The audit writer did not stop within {} s", STOP_TIMEOUT_SECONDS);
        }
    }

    /** How many submissions wait for the writer to take them. */
    int queued() {
        return queue.size();
    }

    /** {@code true} once the writer thread has ended. */
    boolean isStopped() {
        return !thread.isAlive();
    }

    private void run() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatchSize);
        try {
            while (!closed || !queue.isEmpty()) {
                Pending<I, O> first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - 1);
                commit(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Nobody may wait forever: fail whatever is left, however the loop ended.
            closed = true;
            batch.addAll(queue);
            queue.clear();
            batch.forEach(pending -> pending.result().completeExceptionally(stopped()));
        }
    }

    private void commit(List<Pending<I, O>> batch) {
        List<O> results;
        try {
            results = committer.apply(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            AuditException failure = e instanceof AuditException audit ? audit
                    : new AuditException("Could not store the audit entries: " + e, e);
            LOG.error("An audit batch of {} entries failed; each caller gets an AuditException", batch.size(), e);
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
            return;
        } catch (Error e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
        try {
            observer.accept(results);
        } catch (RuntimeException e) {
            LOG.warn("An observer of committed audit entries failed", e);
        }
    }

    private O await(CompletableFuture<O> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            // A new exception per caller, so each stack trace shows its own call; the shared failure is the cause.
            Throwable cause = e.getCause();
            throw new AuditException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("Interrupted while waiting for the audit entry to become durable;"
                    + " it may still be stored", e);
        }
    }

    private static AuditException stopped() {
        return new AuditException("The audit trail is stopped; the entry was not stored", null);
    }
}

package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditException;

class GroupCommitWriterTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(6);
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final List<List<String>> observed = new CopyOnWriteArrayList<>();
    /** The first batch holds the writer until released, so that later callers pile up in the queue. */
    private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);
    private GroupCommitWriter<Integer, String> writer;

    @AfterEach
    void stop() {
        writer.close();
        callers.shutdownNow();
    }

    @Test
    void queuedCallersShareOneBatchAndGetTheirOwnResults() throws Exception {
        writer = start(items -> {
            if (batches.isEmpty()) {
                holdFirstBatch();
            }
            batches.add(items);
            return items.stream().map(item -> "stored " + item).toList();
        }, 100);

        Future<String> first = callers.submit(() -> writer.submit(0));
        await(firstBatchStarted);
        List<Future<String>> others = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int item = i;
            others.add(callers.submit(() -> writer.submit(item)));
        }
        awaitCondition(() -> writer.queued() == 5);
        firstBatchMayFinish.countDown();

        assertEquals("stored 0", first.get(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            assertEquals("stored " + i, others.get(i - 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(0), batches.get(0));
        assertEquals(5, batches.get(1).size(), "the five waiting callers were committed together");
        awaitCondition(() -> observed.size() == 2);
        assertEquals(List.of("stored 0"), observed.get(0));
    }

    @Test
    void respectsTheLargestBatch() throws Exception {
        writer = start(items -> {
            if (batches.isEmpty()) {
                holdFirstBatch();
            }
            batches.add(items);
            return items.stream().map(String::valueOf).toList();
        }, 2);
        List<Future<String>> results = new ArrayList<>();
        results.add(callers.submit(() -> writer.submit(0)));
        await(firstBatchStarted);
        for (int i = 1; i <= 5; i++) {
            int item = i;
            results.add(callers.submit(() -> writer.submit(item)));
        }
        awaitCondition(() -> writer.queued() == 5);
        firstBatchMayFinish.countDown();
        for (Future<String> result : results) {
            result.get(10, TimeUnit.SECONDS);
        }
        assertTrue(batches.stream().allMatch(batch -> batch.size() <= 2), batches.toString());
    }

    @Test
    void aFailedBatchFailsEveryCallerInIt() throws Exception {
        writer = start(items -> {
            if (batches.isEmpty()) {
                holdFirstBatch();
                batches.add(items);
                return items.stream().map(String::valueOf).toList();
            }
            batches.add(items);
            throw new AuditException("disk full (test)", null);
        }, 100);
        Future<String> first = callers.submit(() -> writer.submit(0));
        await(firstBatchStarted);
        List<Future<String>> failing = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int item = i;
            failing.add(callers.submit(() -> writer.submit(item)));
        }
        awaitCondition(() -> writer.queued() == 3);
        firstBatchMayFinish.countDown();

        assertEquals("0", first.get(10, TimeUnit.SECONDS));
        for (Future<String> result : failing) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> result.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof AuditException);
            assertTrue(failure.getCause().getMessage().contains("disk full"), failure.getCause().getMessage());
        }
        assertEquals(1, observed.size(), "failed batches are not observed");
    }

    @Test
    void closeCommitsWhatIsQueuedThenRefuses() throws Exception {
        writer = start(items -> {
            if (batches.isEmpty()) {
                holdFirstBatch();
            }
            batches.add(items);
            return items.stream().map(String::valueOf).toList();
        }, 100);
        Future<String> first = callers.submit(() -> writer.submit(1));
        await(firstBatchStarted);
        Future<String> queued = callers.submit(() -> writer.submit(2));
        awaitCondition(() -> writer.queued() == 1);

        Future<?> closing = callers.submit(writer::close);
        firstBatchMayFinish.countDown();
        closing.get(10, TimeUnit.SECONDS);

        assertEquals("1", first.get(10, TimeUnit.SECONDS));
        assertEquals("2", queued.get(10, TimeUnit.SECONDS));
        assertTrue(writer.isStopped());
        assertThrows(AuditException.class, () -> writer.submit(3));
    }

    private GroupCommitWriter<Integer, String> start(Function<List<Integer>, List<String>> committer, int maxBatch) {
        return new GroupCommitWriter<>(committer, observed::add, maxBatch, "test-writer");
    }

    private void holdFirstBatch() {
        firstBatchStarted.countDown();
        await(firstBatchMayFinish);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in time");
            Thread.sleep(5);
        }
    }
}

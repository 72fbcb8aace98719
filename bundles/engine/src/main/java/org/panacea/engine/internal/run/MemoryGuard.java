package org.panacea.engine.internal.run;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Refuses a run whose working memory would not fit in the free heap next to the runs already going, instead of
 * letting it (or a neighbour) die of OutOfMemoryError half-way. Working memory is an estimate the caller makes (for
 * algorithms, a multiple of the input's pixel bytes); what running calls reserved counts as taken even before they
 * allocate it. Thread-safe.
 */
public final class MemoryGuard {

    private static final long MIB = 1024 * 1024;
    private static final long RETRY_AFTER_SECONDS = 5;

    private final LongSupplier freeHeap;
    private final LongSupplier maxHeap;
    private final AtomicLong reserved = new AtomicLong();

    /**
     * @param freeHeap bytes the heap can still give (the maximum heap less what is in use)
     * @param maxHeap  the largest the heap can grow
     */
    public MemoryGuard(LongSupplier freeHeap, LongSupplier maxHeap) {
        this.freeHeap = freeHeap;
        this.maxHeap = maxHeap;
    }

    /** A guard on this JVM's heap. */
    public static MemoryGuard ofRuntime() {
        Runtime runtime = Runtime.getRuntime();
        return new MemoryGuard(() -> runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory()),
                runtime::maxMemory);
    }

    /**
     * Sets {@code bytes} aside for a run until the reservation is closed.
     *
     * @param what the run, for the message
     * @throws InsufficientMemoryException when they would not fit, saying how much is needed and free
     */
    public Reservation reserve(long bytes, String what) {
        if (bytes <= 0) {
            return new Reservation(0);
        }
        while (true) {
            long taken = reserved.get();
            long free = freeHeap.getAsLong();
            if (taken + bytes > free) {
                long max = maxHeap.getAsLong();
                throw new InsufficientMemoryException(what + " needs about " + mebibytes(bytes) + " of working "
                        + "memory for this input, " + (bytes > max ? "more than the whole heap of " + mebibytes(max)
                                + "; give the platform more memory (JAVA_MAX_MEM in bin/setenv)"
                                : "but only " + mebibytes(Math.max(0, free - taken)) + " of the heap are free ("
                                        + mebibytes(taken) + " held by runs in progress); try again shortly"),
                        RETRY_AFTER_SECONDS);
            }
            if (reserved.compareAndSet(taken, taken + bytes)) {
                return new Reservation(bytes);
            }
        }
    }

    /** Bytes currently set aside by runs in progress. */
    public long reserved() {
        return reserved.get();
    }

    private static String mebibytes(long bytes) {
        return (bytes + MIB - 1) / MIB + " MiB";
    }

    /** Memory set aside for one run; closing it gives it back (once). */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                reserved.addAndGet(-bytes);
            }
        }
    }
}

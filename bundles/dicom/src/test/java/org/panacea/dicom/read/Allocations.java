package org.panacea.dicom.read;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running some code (HotSpot's per-thread allocation counter). */
public final class Allocations {

    public interface Work {
        void run() throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private Allocations() {
    }

    /** Bytes allocated by {@code work}; what it throws is handed to {@code onThrow}. */
    public static long during(Work work, java.util.function.Consumer<Exception> onThrow) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            work.run();
        } catch (Exception e) {
            onThrow.accept(e);
        }
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}

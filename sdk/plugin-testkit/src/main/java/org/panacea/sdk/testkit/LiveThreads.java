package org.panacea.sdk.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The threads a plugin started and left running. A plugin's bundle is stopped and uninstalled while the platform
 * keeps running: a thread it leaves behind keeps its class loader, and whatever it references, alive forever.
 * Workers of {@link ForkJoinPool#commonPool()} are the JVM's, not the plugin's, and the JVM's own service threads
 * come and go: neither counts.
 */
public final class LiveThreads {

    /** JDK threads that start on demand, whoever asks. */
    private static final Set<String> JDK_THREADS = Set.of("Attach Listener", "process reaper", "Common-Cleaner",
            "Notification Thread", "Signal Dispatcher", "Reference Handler", "Finalizer");

    private final Set<Thread> before;

    private LiveThreads(Set<Thread> before) {
        this.before = before;
    }

    /** The threads alive now. */
    public static LiveThreads snapshot() {
        Set<Thread> alive = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        alive.addAll(Thread.getAllStackTraces().keySet());
        return new LiveThreads(alive);
    }

    /**
     * The threads started since the snapshot that are still alive after waiting up to {@code grace} for them to
     * end (a pool's workers end shortly after {@code shutdown()}), each described with its name and where it is.
     */
    public List<String> startedAndStillAlive(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        List<Thread> started = started();
        while (!started.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            started = started();
        }
        List<String> described = new ArrayList<>();
        for (Thread thread : started) {
            StackTraceElement[] stack = thread.getStackTrace();
            described.add("'" + thread.getName() + "' (" + thread.getState() + (thread.isDaemon() ? ", daemon" : "")
                    + (stack.length > 0 ? ", at " + stack[0] : "") + ")");
        }
        return described;
    }

    private List<Thread> started() {
        List<Thread> started = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && !before.contains(thread) && !jvmOwned(thread)) {
                started.add(thread);
            }
        }
        return started;
    }

    private static boolean jvmOwned(Thread thread) {
        if (thread instanceof ForkJoinWorkerThread worker && worker.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        return JDK_THREADS.contains(thread.getName());
    }
}

package org.panacea.plugins.imaging.frequency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.panacea.plugins.support.threads.ImagingThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * The worker threads JTransforms runs large transforms on. JTransforms keeps them in a static pool of
 * {@link ConcurrencyUtils} (JLargeArrays, embedded in this bundle): the first active component installs a pool of
 * named daemon threads ({@value #THREAD_PREFIX}N), the last one to be deactivated shuts it down and waits for its
 * threads to end, so that stopping or updating the bundle leaves no thread behind holding its class loader.
 */
final class FftThreads {

    static final String THREAD_PREFIX = "panacea-fft-";

    private static final Logger LOG = LoggerFactory.getLogger(FftThreads.class);
    private static final long JOIN_MILLIS = 10_000;
    /** The pool's threads, so that release can wait until each has really ended (not just left the pool). */
    private static final Set<Thread> THREADS =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static int users;

    private FftThreads() {
    }

    /**
     * Before each transform: JTransforms splits over as many threads as the operator's imaging cap allows (every
     * core unless {@code panacea.imaging.threads} says fewer). JTransforms reads the count when a transform is
     * planned, so setting it here applies from this image on.
     */
    static void cap() {
        int threads = ImagingThreads.available();
        if (ConcurrencyUtils.getNumberOfThreads() != threads) {
            ConcurrencyUtils.setNumberOfThreads(threads);
        }
    }

    /** Called by each component's activation: makes sure a live pool of our own is installed. */
    static synchronized void acquire() {
        if (users++ == 0) {
            ExecutorService previous = ConcurrencyUtils.getThreadPool();
            // Numbered per pool: a count kept across activations would be state the bundle never gives back.
            AtomicInteger threadNumber = new AtomicInteger();
            ConcurrencyUtils.setThreadPool(Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, THREAD_PREFIX + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                THREADS.add(thread);
                return thread;
            }));
            // JLargeArrays' own default pool starts threads only when used; end it in case something did.
            previous.shutdown();
        }
    }

    /** Called by each component's deactivation: the last one stops the pool and waits for its threads. */
    static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
            // The pool counts as terminated once its workers leave it, a moment before their threads end.
            List<Thread> threads;
            synchronized (THREADS) {
                threads = new ArrayList<>(THREADS);
                THREADS.clear();
            }
            for (Thread thread : threads) {
                try {
                    thread.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (thread.isAlive()) {
                    LOG.warn("FFT worker thread {} did not end within {} ms", thread.getName(), JOIN_MILLIS);
                }
            }
            LOG.debug("FFT worker threads stopped");
        }
    }
}

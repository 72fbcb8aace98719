package org.panacea.plugins.support.threads;

import java.util.concurrent.ForkJoinPool;

/**
 * The number of threads an imaging plugin may use for one image: the common fork/join pool's workers plus the
 * calling thread, capped by the system property {@value #PROPERTY} when it is set to a positive number.
 * <p>
 * A cap of 1 runs every image on the calling thread alone: an operator uses it when algorithm runs must not take
 * the cores from the HTTP threads, and the benchmarks use it to set Panacea against single-threaded peers on equal
 * terms. The property is read at every call (a map look-up), so a change applies from the next image on without a
 * restart; a value that is not a positive number is ignored.
 */
public final class ImagingThreads {

    /** System property capping the threads one image is split over; unset means every core. */
    public static final String PROPERTY = "panacea.imaging.threads";

    private ImagingThreads() {
    }

    /** Threads available for one image: at least 1, at most the common pool's parallelism plus the caller. */
    public static int available() {
        int cores = ForkJoinPool.getCommonPoolParallelism() + 1;
        String cap = System.getProperty(PROPERTY);
        if (cap == null) {
            return cores;
        }
        try {
            int limit = Integer.parseInt(cap.trim());
            return limit >= 1 ? Math.min(limit, cores) : cores;
        } catch (NumberFormatException e) {
            return cores;
        }
    }

    /** Whether work on one image may be split over several threads (false when capped at 1). */
    public static boolean parallel() {
        return available() > 1;
    }
}

package org.panacea.plugins.imaging.enhancement;

import java.util.stream.IntStream;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Runs per-row work on the common fork/join pool for large images and on the calling thread for small ones,
 * stopping when the calling thread is interrupted (the platform's time limit interrupts the caller only).
 */
final class Rows {

    /** Below this many pixels (about 362x362) one thread is faster than splitting, measured on 2 cores. */
    static final long PARALLEL_MIN_PIXELS = 1 << 17;

    /** Work on items {@code first} (inclusive) to {@code end} (exclusive): rows, or tiles. */
    interface Range {
        void run(int first, int end) throws AlgorithmException;
    }

    private Rows() {
    }

    /** Splits {@code count} items (of {@code pixelsPerItem} pixels each) into ranges and runs them. */
    static void run(String algorithm, int count, long pixelsPerItem, Range range) throws AlgorithmException {
        Thread caller = Thread.currentThread();
        int threads = ImagingThreads.available();
        int parts = (long) count * pixelsPerItem < PARALLEL_MIN_PIXELS || threads < 2 ? 1
                : Math.min(count, 2 * threads);
        if (parts <= 1) {
            range.run(0, count);
        } else {
            try {
                IntStream.range(0, parts).parallel().forEach(p -> {
                    if (caller.isInterrupted()) {
                        return;
                    }
                    try {
                        range.run(p * count / parts, (p + 1) * count / parts);
                    } catch (AlgorithmException e) {
                        throw new RangeFailure(e);
                    }
                });
            } catch (RangeFailure e) {
                throw (AlgorithmException) e.getCause();
            }
        }
        if (caller.isInterrupted()) {
            throw new AlgorithmException(algorithm + " interrupted (time limit)");
        }
    }

    /** Carries a range's checked exception out of the parallel stream. */
    private static final class RangeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RangeFailure(AlgorithmException cause) {
            super(cause);
        }
    }
}

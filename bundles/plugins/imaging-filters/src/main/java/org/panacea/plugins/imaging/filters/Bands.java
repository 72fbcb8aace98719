package org.panacea.plugins.imaging.filters;

import java.util.stream.IntStream;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Splits an image's rows into bands and runs them on the common fork/join pool when the image is large enough for
 * the split to pay; small images run on the calling thread. Every band checks the calling thread's interrupt flag
 * (the platform's time limit interrupts the caller, not the pool's workers).
 */
final class Bands {

    /** Below this many pixels (a 362x362 image) one thread is faster than splitting, measured on 2 cores. */
    static final long PARALLEL_MIN_PIXELS = 1 << 17;

    /** Work on rows {@code firstRow} (inclusive) to {@code endRow} (exclusive). */
    interface Band {
        void run(int firstRow, int endRow, Cancellation cancellation) throws AlgorithmException;
    }

    /** Stops a band with an {@link AlgorithmException} once the calling thread has been interrupted. */
    static final class Cancellation {
        private final Thread caller;
        private final String algorithm;

        Cancellation(Thread caller, String algorithm) {
            this.caller = caller;
            this.algorithm = algorithm;
        }

        void check() throws AlgorithmException {
            if (caller.isInterrupted()) {
                throw new AlgorithmException(algorithm + " interrupted (time limit)");
            }
        }
    }

    private Bands() {
    }

    /**
     * Runs {@code band} over all rows. {@code halo} is how many extra rows each band reads above and below its own
     * (the kernel radius): bands are made tall enough that re-reading them costs little.
     */
    static void run(String algorithm, int width, int height, int halo, Band band) throws AlgorithmException {
        run(algorithm, width, height, halo, PARALLEL_MIN_PIXELS, band);
    }

    /** As {@link #run(String, int, int, int, Band)}, splitting only images of at least {@code minimumPixels}. */
    static void run(String algorithm, int width, int height, int halo, long minimumPixels, Band band)
            throws AlgorithmException {
        Cancellation cancellation = new Cancellation(Thread.currentThread(), algorithm);
        int threads = ImagingThreads.available();
        int count = (long) width * height < minimumPixels || threads < 2 ? 1
                : Math.min(2 * threads, height / Math.max(16, 8 * halo));
        if (count <= 1) {
            band.run(0, height, cancellation);
            return;
        }
        try {
            IntStream.range(0, count).parallel().forEach(b -> {
                try {
                    band.run(b * height / count, (b + 1) * height / count, cancellation);
                } catch (AlgorithmException e) {
                    throw new BandFailure(e);
                }
            });
        } catch (BandFailure e) {
            throw (AlgorithmException) e.getCause();
        }
        cancellation.check();
    }

    /** Carries a band's checked exception out of the parallel stream. */
    private static final class BandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BandFailure(AlgorithmException cause) {
            super(cause);
        }
    }
}

package org.panacea.plugins.support.pixels;

/**
 * How many samples a window kept and the sum of their stored values.
 *
 * @param count foreground samples
 * @param sum   sum of the foreground samples' stored values (exact: at most 2^31 samples of 16 bits fit a long)
 */
public record WindowTally(long count, long sum) {

    /** The tally of two disjoint parts of an image. */
    public WindowTally plus(WindowTally other) {
        return new WindowTally(count + other.count, sum + other.sum);
    }
}

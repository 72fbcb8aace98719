package org.panacea.plugins.support.pixels;

/**
 * The per-pixel loops behind threshold masks and histograms, in two interchangeable implementations: {@link ScalarPixelKernels}
 * (plain Java, always there) and {@link VectorPixelKernels} (the JDK's incubating Vector API, when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}). Both give the same bytes and the same counts; {@link PixelLoops}
 * picks one once.
 * <p>
 * Every method works on samples {@code from} (inclusive) to {@code to} (exclusive) and writes the mask at the same
 * indices: {@code -1} (255 as an unsigned byte) for foreground, 0 elsewhere.
 */
interface PixelKernels {

    /**
     * Masks 16-bit samples inside {@code [lower, upper]} (both inclusive, in the samples' own signedness) and returns
     * their count and sum.
     */
    WindowTally window(short[] samples, boolean signed, int lower, int upper, byte[] mask, int from, int to);

    /** Masks unsigned 8-bit samples inside {@code [lower, upper]} and returns their count and sum. */
    WindowTally window(byte[] samples, int lower, int upper, byte[] mask, int from, int to);

    /** Masks 16-bit samples above {@code threshold} (in the samples' own signedness). */
    void above(short[] samples, boolean signed, int threshold, byte[] mask, int from, int to);

    /** Masks unsigned 8-bit samples above {@code threshold}. */
    void above(byte[] samples, int threshold, byte[] mask, int from, int to);

    /**
     * The smallest and largest of the 16-bit samples (in their own signedness) as {@code {min, max}}; at least one
     * sample.
     */
    int[] range(short[] samples, boolean signed, int from, int to);

    /**
     * Square-window medians of one output row, radius 1 (3x3) or 2 (5x5): {@code out[x]} (x from 0 to
     * {@code width - 1}) is the median of {@code rows[k][x .. x + 2 radius]} for every k. The {@code 2 radius + 1}
     * rows are padded by {@code radius} samples on both sides and hold values in signed order (unsigned samples with
     * their top bit flipped); {@code sorted} is scratch space of the same shape. Sorting networks of min and max:
     * one comparator per step for a whole register of samples.
     */
    void median(short[][] rows, int radius, short[][] sorted, short[] out, int width);

    /**
     * {@code out[i] = clamp(round(gain * sample + bias), min, max)} for 16-bit samples {@code from .. to - 1} in
     * their own signedness, in {@code float} arithmetic exactly as {@link LinearFloat} defines it; returns how many
     * were clamped, or 0 without counting when {@code count} is false.
     */
    long linear(short[] samples, boolean signed, LinearFloat map, short[] out, int from, int to, boolean count);
}

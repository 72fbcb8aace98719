package org.panacea.plugins.support.pixels;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Value ranges and threshold masks over stored samples, over a range of indices so that callers can split an image
 * into bands for several cores. Masks are {@code -1} (255 unsigned) for foreground, 0 elsewhere.
 * <p>
 * The loops run on the JDK's Vector API when the JVM has the {@code jdk.incubator.vector} module (the Panacea
 * distribution starts with {@code --add-modules jdk.incubator.vector}) and the processor has vectors of at least 256
 * bits; otherwise in plain Java. Both give identical results. The system property
 * {@value #SCALAR_PROPERTY}{@code =true} forces plain Java.
 */
public final class PixelLoops {

    /** System property that forces the plain Java loops, e.g. to compare speeds. */
    public static final String SCALAR_PROPERTY = "panacea.pixels.scalar";

    private static final Logger LOG = Logger.getLogger(PixelLoops.class.getName());
    private static final PixelKernels KERNELS = choose();

    private PixelLoops() {
    }

    private static PixelKernels choose() {
        if (Boolean.getBoolean(SCALAR_PROPERTY)) {
            return new ScalarPixelKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new ScalarPixelKernels();
        }
        try {
            if (VectorPixelKernels.worthwhile()) {
                return new VectorPixelKernels();
            }
        } catch (LinkageError e) {
            // The module is in the JVM but this class loader cannot see it (an OSGi framework that does not
            // export jdk.incubator.vector): plain Java works everywhere.
            LOG.log(Level.FINE, "Vector API not visible to this bundle; using plain Java mask loops", e);
        }
        return new ScalarPixelKernels();
    }

    /** Whether the masks are computed with the Vector API in this JVM. */
    public static boolean vectorised() {
        return KERNELS instanceof VectorPixelKernels;
    }

    /**
     * Masks the 16-bit samples {@code from .. to - 1} whose value (signed or unsigned as stored) lies in
     * {@code [lower, upper]}, both inclusive, and tallies them. Bounds beyond the samples' range are fine.
     */
    public static WindowTally window(short[] samples, boolean signed, long lower, long upper, byte[] mask,
            int from, int to) {
        int min = signed ? Short.MIN_VALUE : 0;
        int max = signed ? Short.MAX_VALUE : 0xFFFF;
        if (lower > upper || lower > max || upper < min) {
            Arrays.fill(mask, from, to, (byte) 0);
            return new WindowTally(0, 0);
        }
        return KERNELS.window(samples, signed, (int) Math.max(lower, min), (int) Math.min(upper, max), mask, from,
                to);
    }

    /**
     * Masks the unsigned 8-bit samples {@code from .. to - 1} in {@code [lower, upper]}, both inclusive, and tallies
     * them. Bounds beyond 0..255 are fine.
     */
    public static WindowTally window(byte[] samples, long lower, long upper, byte[] mask, int from, int to) {
        if (lower > upper || lower > 0xFF || upper < 0) {
            Arrays.fill(mask, from, to, (byte) 0);
            return new WindowTally(0, 0);
        }
        return KERNELS.window(samples, (int) Math.max(lower, 0), (int) Math.min(upper, 0xFF), mask, from, to);
    }

    /** Masks the 16-bit samples {@code from .. to - 1} above {@code threshold} (any value). */
    public static void above(short[] samples, boolean signed, long threshold, byte[] mask, int from, int to) {
        int min = signed ? Short.MIN_VALUE : 0;
        int max = signed ? Short.MAX_VALUE : 0xFFFF;
        if (threshold < min || threshold >= max) {
            Arrays.fill(mask, from, to, threshold < min ? (byte) -1 : 0);
            return;
        }
        KERNELS.above(samples, signed, (int) threshold, mask, from, to);
    }

    /**
     * The smallest and largest of the 16-bit samples {@code from .. to - 1} (at least one), in their own signedness,
     * as {@code {min, max}}.
     */
    public static int[] range(short[] samples, boolean signed, int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("no samples in " + from + " .. " + to);
        }
        return KERNELS.range(samples, signed, from, to);
    }

    /** Masks the unsigned 8-bit samples {@code from .. to - 1} above {@code threshold} (any value). */
    public static void above(byte[] samples, long threshold, byte[] mask, int from, int to) {
        if (threshold < 0 || threshold >= 0xFF) {
            Arrays.fill(mask, from, to, threshold < 0 ? (byte) -1 : 0);
            return;
        }
        KERNELS.above(samples, (int) threshold, mask, from, to);
    }

    /**
     * Square-window medians of one output row, {@code radius} 1 (3x3) or 2 (5x5): {@code out[x]}, for x from 0 to
     * {@code width - 1}, is the median of {@code rows[k][x .. x + 2 radius]} over the {@code 2 radius + 1} rows.
     * The rows are padded by {@code radius} samples on each side (as the caller's border rule says) and hold the
     * samples in signed order: 16-bit unsigned samples with their top bit flipped ({@code ^ 0x8000}), 8-bit ones
     * as 0..255; {@code out} is in the same order. {@code sorted} is scratch space shaped as {@code rows}.
     * <p>
     * Sorting networks of min and max: on the Vector API a whole register of windows per comparator, which beats
     * a sliding histogram; in plain Java it does not ({@link #vectorised()} tells callers which they get).
     */
    public static void median(short[][] rows, int radius, short[][] sorted, short[] out, int width) {
        if (radius != 1 && radius != 2) {
            throw new IllegalArgumentException("median networks exist for radius 1 and 2, not " + radius);
        }
        int span = 2 * radius + 1;
        if (rows.length != span || sorted.length != span) {
            throw new IllegalArgumentException("a radius " + radius + " median needs " + span + " rows");
        }
        for (int k = 0; k < span; k++) {
            if (rows[k].length < width + 2 * radius || sorted[k].length < width + 2 * radius) {
                throw new IllegalArgumentException("rows must be padded by the radius on both sides");
            }
        }
        if (out.length < width) {
            throw new IllegalArgumentException("output row shorter than the width");
        }
        KERNELS.median(rows, radius, sorted, out, width);
    }

    /**
     * Maps the 16-bit samples {@code from .. to - 1} (in their own signedness) through {@code map} into
     * {@code out}: {@code clamp(round(gain * sample + bias), min, max)} in float arithmetic; returns how many were
     * clamped. {@code map}'s bounds must lie within the output type's range. With {@code count} false nothing is
     * counted and 0 returned: for callers that know no sample is clamped ({@link LinearFloat#clamps}).
     */
    public static long linear(short[] samples, boolean signed, LinearFloat map, short[] out, int from, int to,
            boolean count) {
        if (map.min() < Short.MIN_VALUE || map.max() > 0xFFFF || !(map.min() <= map.max())) {
            throw new IllegalArgumentException("bounds outside 16-bit samples: " + map);
        }
        return KERNELS.linear(samples, signed, map, out, from, to, count);
    }
}

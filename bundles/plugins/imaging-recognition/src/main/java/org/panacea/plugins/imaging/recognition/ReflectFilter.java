package org.panacea.plugins.imaging.recognition;

import java.util.stream.IntStream;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Correlation of an image with a symmetric 1-D kernel along rows or columns, border {@code reflect}
 * ({@code d c b a | a b c d}, SciPy's default; repeated periodically when the kernel is wider than the image).
 * Each output is summed as SciPy's {@code NI_Correlate1D} does for symmetric kernels: the centre tap first, then
 * the pairs of samples from the outermost inwards. Rows are spread over the common fork-join pool for large
 * images.
 */
final class ReflectFilter {

    private static final int PARALLEL_PIXELS = 1 << 18;

    private ReflectFilter() {
    }

    /** For each position {@code -radius .. size - 1 + radius} (shifted by radius), the index read there. */
    static int[] reflectIndex(int size, int radius) {
        int[] index = new int[size + 2 * radius];
        int period = 2 * size;
        for (int i = 0; i < index.length; i++) {
            int j = Math.floorMod(i - radius, period);
            index[i] = j < size ? j : period - 1 - j;
        }
        return index;
    }

    private static IntStream rows(int width, int height) {
        IntStream rows = IntStream.range(0, height);
        return (long) width * height >= PARALLEL_PIXELS && ImagingThreads.parallel() ? rows.parallel() : rows;
    }

    /** {@code out = in} correlated along each row (x); {@code add} adds to {@code out} instead. */
    static void alongRows(double[] in, double[] out, int width, int height, double[] taps, boolean add) {
        int radius = taps.length / 2;
        int[] index = reflectIndex(width, radius);
        rows(width, height).forEach(y -> {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double sum = in[row + x] * taps[radius];
                for (int j = radius; j >= 1; j--) {
                    sum += (in[row + index[radius + x - j]] + in[row + index[radius + x + j]]) * taps[radius + j];
                }
                out[row + x] = add ? out[row + x] + sum : sum;
            }
        });
    }

    /** {@code out = in} correlated along each column (y). */
    static void alongColumns(double[] in, double[] out, int width, int height, double[] taps) {
        int radius = taps.length / 2;
        int[] index = reflectIndex(height, radius);
        rows(width, height).forEach(y -> {
            int row = y * width;
            int centre = y * width;
            for (int x = 0; x < width; x++) {
                out[row + x] = in[centre + x] * taps[radius];
            }
            for (int j = radius; j >= 1; j--) {
                int above = index[radius + y - j] * width;
                int below = index[radius + y + j] * width;
                double tap = taps[radius + j];
                for (int x = 0; x < width; x++) {
                    out[row + x] += (in[above + x] + in[below + x]) * tap;
                }
            }
        });
    }
}

package org.panacea.plugins.imaging.filters;

import java.util.Arrays;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;

/**
 * Separable convolution with one symmetric 1-D kernel along rows, then along columns, in {@code float}.
 * <p>
 * Work is streamed row by row so that no intermediate image is made: each band keeps the row-filtered rows it
 * still needs in a ring of {@code 2 * radius + 1} rows (a 2048-wide ring of 17 rows is 136 KiB, which stays in
 * the core's cache), and hands each finished output row to a {@link RowSink}.
 * <p>
 * The inner loops read every array at the same index {@code x}. HotSpot's C2 (JDK 17) vectorises a loop only when
 * all its array accesses line up like that; an access such as {@code line[x + k]} next to a store into another
 * {@code float[]} keeps the loop scalar (it cannot rule out that both are the same array). So the row pass first
 * copies the row shifted by each tap offset ({@link System#arraycopy} is an intrinsic) and then adds whole aligned
 * rows, and the column pass adds the ring's rows.
 * <p>
 * Each output sample is {@code t0 c + sum_k tk (a_k + b_k)} with the symmetric pairs added first and the terms
 * summed from the outermost (smallest) tap inwards, which keeps the {@code float} rounding error within a few units
 * in the last place of the result.
 */
final class SymmetricConvolution {

    /** Row pass chunk: the shifted copies of one chunk (17 x 512 floats for a 17-tap kernel) stay in L1/L2. */
    private static final int CHUNK = 512;

    /** Column pass block: 17 rows x 256 floats = 17 KiB. */
    private static final int COLUMN_BLOCK = 256;

    /** Receives finished output rows; called from several threads at once for different rows. */
    interface RowSink {
        /**
         * @param y        the output row
         * @param filtered the filtered row in {@code filtered[0 .. width - 1]}; reused after the call returns
         * @param scratch  a {@code width}-long buffer of this band for the sink's own use
         */
        void row(int y, float[] filtered, float[] scratch) throws AlgorithmException;
    }

    private final float[] halfTaps;
    private final int radius;

    /**
     * @param taps the {@code 2 * radius + 1} taps, symmetric about the centre
     */
    SymmetricConvolution(double[] taps) {
        radius = taps.length / 2;
        halfTaps = new float[radius + 1];
        for (int k = 0; k <= radius; k++) {
            halfTaps[k] = (float) taps[radius + k];
        }
    }

    /** Convolves {@code image} into a new {@code width * height} array. */
    float[] apply(Image image, Border border, String algorithm) throws AlgorithmException {
        int width = image.width();
        float[] out = new float[width * image.height()];
        apply(image, border, algorithm,
                (y, filtered, scratch) -> System.arraycopy(filtered, 0, out, y * width, width));
        return out;
    }

    /** Convolves {@code image}, handing every output row to {@code sink}. */
    void apply(Image image, Border border, String algorithm, RowSink sink) throws AlgorithmException {
        int width = image.width();
        int height = image.height();
        int[] rowIndex = border.table(height, radius);
        Bands.run(algorithm, width, height, radius,
                (first, end, cancellation) -> band(image, border, rowIndex, first, end, sink, cancellation));
    }

    private void band(Image image, Border border, int[] rowIndex, int first, int end, RowSink sink,
            Bands.Cancellation cancellation) throws AlgorithmException {
        int width = image.width();
        int span = 2 * radius + 1;
        Pixels pixels = image.pixels();
        float[][] ring = new float[span][width];
        int[] ringRow = new int[span];
        Arrays.fill(ringRow, -1);
        float[][] window = new float[span][];
        float[] line = new float[width + 2 * radius];
        int chunk = Math.min(CHUNK, width);
        float[][] shifted = new float[span][chunk];
        float[] sum = new float[chunk];
        float[] output = new float[width];
        float[] scratch = new float[width];
        for (int y = first; y < end; y++) {
            cancellation.check();
            for (int k = 0; k < span; k++) {
                int source = rowIndex[y + k];
                // The rows one output row needs lie in a range of at most `span` consecutive rows, so they never
                // share a slot.
                int slot = source % span;
                if (ringRow[slot] != source) {
                    PixelRows.readPadded(pixels, width, source, radius, border, line);
                    filterRow(line, width, shifted, sum, ring[slot]);
                    ringRow[slot] = source;
                }
                window[k] = ring[slot];
            }
            // In blocks, so that the block of every ring row stays in L1 across the sweeps.
            for (int x0 = 0; x0 < width; x0 += COLUMN_BLOCK) {
                combine(window, x0, Math.min(width, x0 + COLUMN_BLOCK), output);
            }
            sink.row(y, output, scratch);
        }
    }

    /** Row pass over a padded line: {@code line[radius + x]} is sample {@code x}. */
    private void filterRow(float[] line, int width, float[][] shifted, float[] sum, float[] target) {
        int chunk = shifted[0].length;
        for (int x0 = 0; x0 < width; x0 += chunk) {
            int count = Math.min(chunk, width - x0);
            for (int j = 0; j < shifted.length; j++) {
                System.arraycopy(line, x0 + j, shifted[j], 0, count);
            }
            combine(shifted, 0, count, sum);
            System.arraycopy(sum, 0, target, x0, count);
        }
    }

    /**
     * {@code out[x] = t0 rows[r][x] + sum_k t_k (rows[r - k][x] + rows[r + k][x])} for {@code x} in
     * {@code from .. to - 1}, three tap pairs per sweep (more arrays per loop stop C2 from vectorising it).
     */
    private void combine(float[][] rows, int from, int to, float[] out) {
        int r = radius;
        int k = r;
        switch (r % 3) {
            case 1:
                pairScaled(out, rows[r - k], rows[r + k], halfTaps[k], from, to);
                k -= 1;
                break;
            case 2:
                twoPairsScaled(out, rows[r - k], rows[r + k], halfTaps[k], rows[r - k + 1], rows[r + k - 1],
                        halfTaps[k - 1], from, to);
                k -= 2;
                break;
            default:
                if (r == 0) {
                    scale(out, rows[0], halfTaps[0], from, to);
                    return;
                }
                threePairsScaled(out, rows[r - k], rows[r + k], halfTaps[k], rows[r - k + 1], rows[r + k - 1],
                        halfTaps[k - 1], rows[r - k + 2], rows[r + k - 2], halfTaps[k - 2], from, to);
                k -= 3;
                break;
        }
        for (; k >= 3; k -= 3) {
            addThreePairsScaled(out, rows[r - k], rows[r + k], halfTaps[k], rows[r - k + 1], rows[r + k - 1],
                    halfTaps[k - 1], rows[r - k + 2], rows[r + k - 2], halfTaps[k - 2], from, to);
        }
        addScaled(out, rows[r], halfTaps[0], from, to);
    }

    private static void scale(float[] out, float[] a, float t, int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] = t * a[x];
        }
    }

    private static void pairScaled(float[] out, float[] a, float[] b, float t, int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] = t * (a[x] + b[x]);
        }
    }

    private static void twoPairsScaled(float[] out, float[] a, float[] b, float t, float[] c, float[] d, float u,
            int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] = t * (a[x] + b[x]) + u * (c[x] + d[x]);
        }
    }

    private static void addThreePairsScaled(float[] out, float[] a, float[] b, float t, float[] c, float[] d,
            float u, float[] e, float[] f, float v, int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] += t * (a[x] + b[x]) + u * (c[x] + d[x]) + v * (e[x] + f[x]);
        }
    }

    private static void threePairsScaled(float[] out, float[] a, float[] b, float t, float[] c, float[] d,
            float u, float[] e, float[] f, float v, int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] = t * (a[x] + b[x]) + u * (c[x] + d[x]) + v * (e[x] + f[x]);
        }
    }

    private static void addScaled(float[] out, float[] a, float t, int from, int to) {
        for (int x = from; x < to; x++) {
            out[x] += t * a[x];
        }
    }
}

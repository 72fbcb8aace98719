package org.panacea.plugins.imaging.compression;

import org.panacea.api.imaging.Pixels;

/**
 * Codes one stripe of rows, in raster order, with fresh context statistics. The encoder and decoder share the one
 * per-pixel step ({@link #step}) so that they cannot drift apart: both predict from reconstructed neighbours, and
 * the encoder stores the reconstruction (in near-lossless mode not the original) as the decoder will see it.
 * Neighbours outside the stripe are replaced by the nearest known one: above the first row by the left
 * neighbour, left of the first column by the upper one; the very first sample is predicted as the smallest code.
 */
final class StripeCoder {

    private final int width;
    private final long range;
    private final int near;
    /** The quantisation step of residuals, {@code 2 near + 1} (1 when lossless). */
    private final int quantum;
    private final ContextModel model;
    private final ResidualCoder residuals = new ResidualCoder(ContextModel.ACTIVITY_CLASSES);
    private long[] above;
    private long[] current;

    StripeCoder(int width, long range, int near) {
        this.width = width;
        this.range = range;
        this.near = near;
        this.quantum = 2 * near + 1;
        this.model = new ContextModel(range, near);
        this.above = new long[width];
        this.current = new long[width];
    }

    void encode(Pixels pixels, SampleFormat format, int y0, int rows, long first, RangeEncoder out) {
        for (int y = 0; y < rows; y++) {
            format.read(pixels, (y0 + y) * width, width, current, 0);
            for (int x = 0; x < width; x++) {
                current[x] -= first;
            }
            for (int x = 0; x < width; x++) {
                step(x, y == 0, out, null);
            }
            swapRows();
        }
    }

    void decode(RangeDecoder in, SampleFormat format, int y0, int rows, long first, Object samples) {
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < width; x++) {
                step(x, y == 0, null, in);
            }
            format.write(current, first, width, samples, (y0 + y) * width);
            swapRows();
        }
    }

    /** Predicts sample {@code x} of the current row, codes (or decodes) its residual and stores its reconstruction. */
    private void step(int x, boolean firstRow, RangeEncoder out, RangeDecoder in) {
        long a;
        long b;
        long c;
        long d;
        if (firstRow) {
            a = x > 0 ? current[x - 1] : 0;
            b = a;
            c = a;
            d = a;
        } else {
            b = above[x];
            a = x > 0 ? current[x - 1] : b;
            c = x > 0 ? above[x - 1] : b;
            d = x + 1 < width ? above[x + 1] : b;
        }
        model.context(a, b, c, d);
        long correction = model.correction();
        long predicted = ContextModel.medianEdge(a, b, c) + (model.negative ? -correction : correction);
        predicted = Math.max(0, Math.min(range, predicted));
        int activity = model.activity(Math.abs(d - b) + Math.abs(b - c) + Math.abs(c - a));
        long error;
        if (out != null) {
            long difference = current[x] - predicted;
            if (model.negative) {
                difference = -difference;
            }
            // Near-lossless: the error in steps of 2 near + 1, rounded to the nearest step (T.87 A.4.4).
            error = difference >= 0 ? (difference + near) / quantum : -((near - difference) / quantum);
            residuals.encode(out, fold(error), activity);
        } else {
            error = unfold(residuals.decode(in, activity));
        }
        long reconstructed = predicted + (model.negative ? -error : error) * quantum;
        current[x] = Math.max(0, Math.min(range, reconstructed));
        model.update(error);
    }

    private void swapRows() {
        long[] t = above;
        above = current;
        current = t;
    }

    /** Interleaves signs: 0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ... */
    static long fold(long error) {
        return error >= 0 ? error << 1 : (-error << 1) - 1;
    }

    static long unfold(long folded) {
        return (folded & 1) == 0 ? folded >>> 1 : -((folded + 1) >>> 1);
    }
}

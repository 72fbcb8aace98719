package org.panacea.plugins.support.pixels;

/** The mask loops in plain Java: the reference that {@link VectorPixelKernels} is tested against. */
final class ScalarPixelKernels implements PixelKernels {

    @Override
    public WindowTally window(short[] samples, boolean signed, int lower, int upper, byte[] mask, int from,
            int to) {
        int bits = signed ? 0xFFFFFFFF : 0xFFFF;
        // One unsigned comparison per sample: value - lower lies in [0, upper - lower] exactly when inside.
        int span = upper - lower;
        long count = 0;
        long sum = 0;
        for (int i = from; i < to; i++) {
            int value = samples[i] & bits;
            // Branch-free: inside is 0 or -1, so noise at the window's edges costs no mispredictions.
            int inside = (Integer.compareUnsigned(value - lower, span) <= 0) ? -1 : 0;
            mask[i] = (byte) inside;
            count -= inside;
            sum += value & inside;
        }
        return new WindowTally(count, sum);
    }

    @Override
    public WindowTally window(byte[] samples, int lower, int upper, byte[] mask, int from, int to) {
        int span = upper - lower;
        long count = 0;
        long sum = 0;
        for (int i = from; i < to; i++) {
            int value = samples[i] & 0xFF;
            int inside = (Integer.compareUnsigned(value - lower, span) <= 0) ? -1 : 0;
            mask[i] = (byte) inside;
            count -= inside;
            sum += value & inside;
        }
        return new WindowTally(count, sum);
    }

    @Override
    public void above(short[] samples, boolean signed, int threshold, byte[] mask, int from, int to) {
        // (t - v) >> 31 is -1 exactly when v > t (no overflow: both fit 17 bits); no branch per sample.
        if (signed) {
            for (int i = from; i < to; i++) {
                mask[i] = (byte) ((threshold - samples[i]) >> 31);
            }
        } else {
            for (int i = from; i < to; i++) {
                mask[i] = (byte) ((threshold - (samples[i] & 0xFFFF)) >> 31);
            }
        }
    }

    @Override
    public void above(byte[] samples, int threshold, byte[] mask, int from, int to) {
        for (int i = from; i < to; i++) {
            mask[i] = (byte) ((threshold - (samples[i] & 0xFF)) >> 31);
        }
    }

    @Override
    public int[] range(short[] samples, boolean signed, int from, int to) {
        int bits = signed ? 0xFFFFFFFF : 0xFFFF;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = from; i < to; i++) {
            int value = samples[i] & bits;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new int[] { min, max };
    }

    @Override
    public void median(short[][] rows, int radius, short[][] sorted, short[] out, int width) {
        sortColumns(rows, radius, sorted, 0, width + 2 * radius);
        medianOfSortedColumns(sorted, radius, out, 0, width);
    }

    /** Sorts the columns {@code from .. to - 1} of the window's rows into {@code sorted} (smallest in row 0). */
    static void sortColumns(short[][] rows, int radius, short[][] sorted, int from, int to) {
        if (radius == 1) {
            short[] r0 = rows[0];
            short[] r1 = rows[1];
            short[] r2 = rows[2];
            for (int x = from; x < to; x++) {
                int a = r0[x];
                int b = r1[x];
                int c = r2[x];
                int low = Math.min(a, b);
                int high = Math.max(a, b);
                sorted[0][x] = (short) Math.min(low, c);
                sorted[1][x] = (short) Math.max(low, Math.min(high, c));
                sorted[2][x] = (short) Math.max(high, c);
            }
            return;
        }
        for (int x = from; x < to; x++) {
            int v0 = rows[0][x];
            int v1 = rows[1][x];
            int v2 = rows[2][x];
            int v3 = rows[3][x];
            int v4 = rows[4][x];
            // Five sorted with nine comparators.
            { int t = Math.min(v0, v1); v1 = Math.max(v0, v1); v0 = t; }
            { int t = Math.min(v3, v4); v4 = Math.max(v3, v4); v3 = t; }
            { int t = Math.min(v2, v4); v4 = Math.max(v2, v4); v2 = t; }
            { int t = Math.min(v2, v3); v3 = Math.max(v2, v3); v2 = t; }
            { int t = Math.min(v0, v3); v3 = Math.max(v0, v3); v0 = t; }
            { int t = Math.min(v0, v2); v2 = Math.max(v0, v2); v0 = t; }
            { int t = Math.min(v1, v4); v4 = Math.max(v1, v4); v1 = t; }
            { int t = Math.min(v1, v3); v3 = Math.max(v1, v3); v1 = t; }
            { int t = Math.min(v1, v2); v2 = Math.max(v1, v2); v1 = t; }
            sorted[0][x] = (short) v0;
            sorted[1][x] = (short) v1;
            sorted[2][x] = (short) v2;
            sorted[3][x] = (short) v3;
            sorted[4][x] = (short) v4;
        }
    }

    /**
     * The medians of the windows at {@code from .. to - 1} from their sorted columns. The 3x3 median is the median
     * of {the largest of the column minima, the median of the column medians, the smallest of the column maxima}.
     * <p>
     * The 5x5 network: each window's five columns are sorted first (a column is shared by five neighbouring
     * windows, so it is sorted once), then 79 comparators and half-comparators pick the 13th of 25. It was derived
     * from Batcher's odd-even merge sort on 64 wires (each column padded to 8 with -inf below and +inf above),
     * keeping only the comparators the median depends on and dropping those that can never exchange when the columns
     * are sorted; by the 0-1 principle it is checked exhaustively in PixelKernelsTest (every count of ones per
     * column).
     */
    // One comparator a line, as derived: splitting the network up would hide its structure.
    static void medianOfSortedColumns(short[][] sorted, int radius, short[] out, int from, int to) {
        if (radius == 1) {
            short[] low = sorted[0];
            short[] mid = sorted[1];
            short[] high = sorted[2];
            for (int x = from; x < to; x++) {
                int maxLow = Math.max(Math.max(low[x], low[x + 1]), low[x + 2]);
                int minHigh = Math.min(Math.min(high[x], high[x + 1]), high[x + 2]);
                int midMid = median3(mid[x], mid[x + 1], mid[x + 2]);
                out[x] = (short) median3(maxLow, midMid, minHigh);
            }
            return;
        }
        for (int x = from; x < to; x++) {
            int v0 = sorted[0][x + 0];
            int v1 = sorted[1][x + 0];
            int v2 = sorted[2][x + 0];
            int v3 = sorted[3][x + 0];
            int v4 = sorted[4][x + 0];
            int v5 = sorted[0][x + 1];
            int v6 = sorted[1][x + 1];
            int v7 = sorted[2][x + 1];
            int v8 = sorted[3][x + 1];
            int v9 = sorted[4][x + 1];
            int v10 = sorted[0][x + 2];
            int v11 = sorted[1][x + 2];
            int v12 = sorted[2][x + 2];
            int v13 = sorted[3][x + 2];
            int v14 = sorted[4][x + 2];
            int v15 = sorted[0][x + 3];
            int v16 = sorted[1][x + 3];
            int v17 = sorted[2][x + 3];
            int v18 = sorted[3][x + 3];
            int v19 = sorted[4][x + 3];
            int v20 = sorted[0][x + 4];
            int v21 = sorted[1][x + 4];
            int v22 = sorted[2][x + 4];
            int v23 = sorted[3][x + 4];
            int v24 = sorted[4][x + 4];
            { int t = Math.min(v0, v5); v5 = Math.max(v0, v5); v0 = t; }
            { int t = Math.min(v1, v6); v6 = Math.max(v1, v6); v1 = t; }
            { int t = Math.min(v2, v7); v7 = Math.max(v2, v7); v2 = t; }
            { int t = Math.min(v3, v8); v8 = Math.max(v3, v8); v3 = t; }
            { int t = Math.min(v4, v9); v9 = Math.max(v4, v9); v4 = t; }
            { int t = Math.min(v10, v15); v15 = Math.max(v10, v15); v10 = t; }
            { int t = Math.min(v11, v16); v16 = Math.max(v11, v16); v11 = t; }
            { int t = Math.min(v12, v17); v17 = Math.max(v12, v17); v12 = t; }
            { int t = Math.min(v13, v18); v18 = Math.max(v13, v18); v13 = t; }
            { int t = Math.min(v14, v19); v19 = Math.max(v14, v19); v14 = t; }
            { int t = Math.min(v4, v5); v5 = Math.max(v4, v5); v4 = t; }
            { int t = Math.min(v14, v15); v15 = Math.max(v14, v15); v14 = t; }
            { int t = Math.min(v2, v4); v4 = Math.max(v2, v4); v2 = t; }
            { int t = Math.min(v6, v3); v3 = Math.max(v6, v3); v6 = t; }
            { int t = Math.min(v7, v5); v5 = Math.max(v7, v5); v7 = t; }
            { int t = Math.min(v12, v14); v14 = Math.max(v12, v14); v12 = t; }
            { int t = Math.min(v16, v13); v13 = Math.max(v16, v13); v16 = t; }
            { int t = Math.min(v17, v15); v15 = Math.max(v17, v15); v17 = t; }
            { int t = Math.min(v2, v1); v1 = Math.max(v2, v1); v2 = t; }
            { int t = Math.min(v4, v6); v6 = Math.max(v4, v6); v4 = t; }
            { int t = Math.min(v7, v3); v3 = Math.max(v7, v3); v7 = t; }
            { int t = Math.min(v5, v8); v8 = Math.max(v5, v8); v5 = t; }
            { int t = Math.min(v12, v11); v11 = Math.max(v12, v11); v12 = t; }
            { int t = Math.min(v14, v16); v16 = Math.max(v14, v16); v14 = t; }
            { int t = Math.min(v17, v13); v13 = Math.max(v17, v13); v17 = t; }
            { int t = Math.min(v15, v18); v18 = Math.max(v15, v18); v15 = t; }
            v10 = Math.max(v0, v10);
            { int t = Math.min(v2, v12); v12 = Math.max(v2, v12); v2 = t; }
            { int t = Math.min(v1, v11); v11 = Math.max(v1, v11); v1 = t; }
            { int t = Math.min(v4, v14); v14 = Math.max(v4, v14); v4 = t; }
            { int t = Math.min(v6, v16); v16 = Math.max(v6, v16); v6 = t; }
            { int t = Math.min(v7, v17); v17 = Math.max(v7, v17); v7 = t; }
            { int t = Math.min(v3, v13); v13 = Math.max(v3, v13); v3 = t; }
            { int t = Math.min(v5, v15); v15 = Math.max(v5, v15); v5 = t; }
            v8 = Math.min(v8, v18);
            v9 = Math.min(v9, v19);
            { int t = Math.min(v8, v10); v10 = Math.max(v8, v10); v8 = t; }
            { int t = Math.min(v9, v12); v12 = Math.max(v9, v12); v9 = t; }
            { int t = Math.min(v6, v8); v8 = Math.max(v6, v8); v6 = t; }
            { int t = Math.min(v7, v9); v9 = Math.max(v7, v9); v7 = t; }
            { int t = Math.min(v11, v3); v3 = Math.max(v11, v3); v11 = t; }
            { int t = Math.min(v14, v5); v5 = Math.max(v14, v5); v14 = t; }
            { int t = Math.min(v16, v10); v10 = Math.max(v16, v10); v16 = t; }
            { int t = Math.min(v17, v12); v12 = Math.max(v17, v12); v17 = t; }
            { int t = Math.min(v6, v1); v1 = Math.max(v6, v1); v6 = t; }
            { int t = Math.min(v7, v4); v4 = Math.max(v7, v4); v7 = t; }
            { int t = Math.min(v8, v11); v11 = Math.max(v8, v11); v8 = t; }
            { int t = Math.min(v9, v14); v14 = Math.max(v9, v14); v9 = t; }
            { int t = Math.min(v16, v3); v3 = Math.max(v16, v3); v16 = t; }
            { int t = Math.min(v17, v5); v5 = Math.max(v17, v5); v17 = t; }
            { int t = Math.min(v10, v13); v13 = Math.max(v10, v13); v10 = t; }
            v12 = Math.min(v12, v15);
            { int t = Math.min(v2, v6); v6 = Math.max(v2, v6); v2 = t; }
            { int t = Math.min(v7, v1); v1 = Math.max(v7, v1); v7 = t; }
            { int t = Math.min(v4, v8); v8 = Math.max(v4, v8); v4 = t; }
            { int t = Math.min(v9, v11); v11 = Math.max(v9, v11); v9 = t; }
            { int t = Math.min(v14, v16); v16 = Math.max(v14, v16); v14 = t; }
            { int t = Math.min(v17, v3); v3 = Math.max(v17, v3); v17 = t; }
            { int t = Math.min(v5, v10); v10 = Math.max(v5, v10); v5 = t; }
            { int t = Math.min(v12, v13); v13 = Math.max(v12, v13); v12 = t; }
            v4 = Math.max(v20, v4);
            v8 = Math.max(v21, v8);
            v9 = Math.max(v22, v9);
            v11 = Math.max(v23, v11);
            v24 = Math.min(v24, v14);
            v2 = Math.max(v24, v2);
            v6 = v16;
            v7 = v17;
            v4 = Math.min(v4, v5);
            v8 = Math.min(v8, v10);
            v9 = Math.min(v9, v12);
            v11 = Math.min(v11, v13);
            v4 = Math.max(v2, v4);
            v8 = Math.max(v6, v8);
            v7 = Math.min(v7, v9);
            v11 = Math.min(v11, v3);
            v4 = Math.max(v7, v4);
            v8 = Math.min(v8, v11);
            v4 = Math.min(v4, v8);
            out[x] = (short) v4;
        }
    }

    private static int median3(int a, int b, int c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    @Override
    public long linear(short[] samples, boolean signed, LinearFloat map, short[] out, int from, int to,
            boolean count) {
        int bits = signed ? 0xFFFFFFFF : 0xFFFF;
        long saturated = 0;
        for (int i = from; i < to; i++) {
            float rounded = map.rounded(samples[i] & bits);
            float clamped = Math.max(map.min(), Math.min(map.max(), rounded));
            saturated += clamped != rounded ? 1 : 0;
            out[i] = (short) (int) clamped;
        }
        return count ? saturated : 0;
    }
}

package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;

/**
 * The 3x3 median with a fixed selection network on whole rows: each column of three is sorted (low, middle,
 * high), and the median of the nine is the median of {max of the lows, median of the middles, min of the highs}
 * (Paeth's and Devillard's construction). {@link Math#min(float, float)} and {@link Math#max(float, float)} over
 * aligned arrays are vectorised by C2, so a row costs a few dozen vector operations.
 */
final class Median3x3 {

    private Median3x3() {
    }

    /** The median of every 3x3 window, row by row into {@code out}. */
    static void apply(Image image, Border border, SameTypeRows out) throws AlgorithmException {
        int width = image.width();
        Bands.run("Median", width, image.height(), 1, (first, end, cancellation) -> {
            PaddedRows rows = new PaddedRows(image, border, 1);
            int padded = rows.paddedWidth();
            float[] low = new float[padded];
            float[] mid = new float[padded];
            float[] high = new float[padded];
            float[] low1 = new float[width];
            float[] low2 = new float[width];
            float[] mid1 = new float[width];
            float[] mid2 = new float[width];
            float[] high1 = new float[width];
            float[] high2 = new float[width];
            float[] median = new float[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                float[][] window = rows.around(y);
                float[] a = window[0];
                float[] b = window[1];
                float[] c = window[2];
                for (int x = 0; x < padded; x++) {
                    float lowAb = Math.min(a[x], b[x]);
                    float highAb = Math.max(a[x], b[x]);
                    low[x] = Math.min(lowAb, c[x]);
                    high[x] = Math.max(highAb, c[x]);
                    mid[x] = Math.max(lowAb, Math.min(highAb, c[x]));
                }
                System.arraycopy(low, 1, low1, 0, width);
                System.arraycopy(low, 2, low2, 0, width);
                System.arraycopy(mid, 1, mid1, 0, width);
                System.arraycopy(mid, 2, mid2, 0, width);
                System.arraycopy(high, 1, high1, 0, width);
                System.arraycopy(high, 2, high2, 0, width);
                for (int x = 0; x < width; x++) {
                    float maxLow = Math.max(Math.max(low[x], low1[x]), low2[x]);
                    float minHigh = Math.min(Math.min(high[x], high1[x]), high2[x]);
                    float lowMid = Math.min(mid[x], mid1[x]);
                    float highMid = Math.max(mid[x], mid1[x]);
                    float midMid = Math.max(lowMid, Math.min(highMid, mid2[x]));
                    float lo = Math.min(maxLow, midMid);
                    float hi = Math.max(maxLow, midMid);
                    median[x] = Math.max(lo, Math.min(hi, minHigh));
                }
                out.write(y, median);
            }
        });
    }
}

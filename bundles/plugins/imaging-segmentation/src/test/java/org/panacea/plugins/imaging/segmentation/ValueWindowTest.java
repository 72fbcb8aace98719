package org.panacea.plugins.imaging.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.ImageMetadata;

/**
 * The run of stored values that the threshold compares against is exactly the set of stored values whose rescaled
 * value, computed pixel by pixel, falls in the window: for positive, negative and awkward decimal slopes, and
 * windows on, between and beyond the stored values.
 */
class ValueWindowTest {

    private static ImageMetadata rescale(double slope, double intercept) {
        return new ImageMetadata("", Double.NaN, Double.NaN, slope, intercept, "", Double.NaN, Double.NaN, 16, "");
    }

    /** The run of trues in the per-value table, checked to be one run, as {first, last} (first > last if none). */
    private static long[] runOf(boolean[] table, int offset) {
        int first = -1;
        int last = -2;
        for (int k = 0; k < table.length; k++) {
            if (table[k]) {
                if (first < 0) {
                    first = k;
                } else {
                    assertEquals(last, k - 1, "the inside values must form one run");
                }
                last = k;
            }
        }
        return first < 0 ? null : new long[] { first - offset, last - offset };
    }

    private static void assertSameDecisions(ValueWindow window) {
        for (boolean signed : new boolean[] { true, false }) {
            int offset = signed ? 32768 : 0;
            long min = -offset;
            long max = 65535 - offset;
            long[] expected = runOf(window.table(offset, 65536), offset);
            long[] range = window.storedRange(min, max);
            if (expected == null) {
                assertEquals(true, range[0] > range[1], "empty window");
            } else {
                assertEquals(expected[0], range[0], "first");
                assertEquals(expected[1], range[1], "last");
            }
        }
    }

    @Test
    void storedRangeMakesTheSameDecisionsAsRescalingEveryValue() throws AlgorithmException {
        double[][] cases = { { 1, -1024, -100, 100 }, { 1, -1024, -100.5, 99.5 }, { 2.5, -10, 0, 0 },
                { 0.0012345, 3.3, 1, 2 }, { -1, 0, -5, 5 }, { -0.37, 100, 10, 20 },
                { 1, 0, 1e9, 2e9 }, { 1, 0, -1e9, 1e9 }, { 1e-7, 0, 0, 0.001 }, { 3, 1, 4, 4 } };
        for (double[] c : cases) {
            assertSameDecisions(ValueWindow.of(c[2], c[3], rescale(c[0], c[1])));
        }
        Random random = new Random(7);
        for (int k = 0; k < 200; k++) {
            double slope = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble() * 6 - 4);
            double intercept = random.nextGaussian() * 2000;
            double a = random.nextGaussian() * 3000;
            double b = a + Math.abs(random.nextGaussian()) * 3000;
            assertSameDecisions(ValueWindow.of(a, b, rescale(slope, intercept)));
        }
    }
}

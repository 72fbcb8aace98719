package org.panacea.plugins.support.pixels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 3x3 and 5x5 median networks pick the median of every window. A network of min and max picks the median of
 * every input exactly when it does so for every input of zeros and ones (the 0-1 principle), and once the columns
 * are sorted a 0-1 window is known by its count of ones per column: those are all tried, each column's ones placed
 * at random rows to exercise the column sort. Then random windows, several value alphabets and every tail length,
 * in plain Java against a sort and on the Vector API against plain Java.
 */
class MedianNetworksTest {

    private static final Random RANDOM = new Random(20261208);
    private final PixelKernels scalar = new ScalarPixelKernels();
    private final PixelKernels vector = new VectorPixelKernels();

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void everyZeroOneWindowGivesItsMedian(int radius) {
        int span = 2 * radius + 1;
        int patterns = (int) Math.pow(span + 1, span);
        // Windows side by side: the window at x = span * p is pattern p; the windows between mix two patterns and
        // are checked as well.
        int padded = span * patterns;
        short[][] rows = new short[span][padded];
        for (int p = 0; p < patterns; p++) {
            int code = p;
            for (int column = 0; column < span; column++) {
                int ones = code % (span + 1);
                code /= span + 1;
                int[] order = shuffledRows(span);
                for (int k = 0; k < ones; k++) {
                    rows[order[k]][span * p + column] = 1;
                }
            }
        }
        int width = padded - 2 * radius;
        short[] expected = reference(rows, radius, width);
        assertArrayEquals(expected, run(scalar, rows, radius, width));
        assertArrayEquals(expected, run(vector, rows, radius, width));
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 17, 65536 })
    void randomWindowsGiveTheirMedian(int alphabet) {
        for (int radius = 1; radius <= 2; radius++) {
            for (int width = 1; width <= 140; width += RANDOM.nextInt(3) + 1) {
                checkRandom(radius, width, alphabet);
            }
            checkRandom(radius, 2048, alphabet);
        }
    }

    @Test
    void theExtremesOfSignedOrderAreOrdinaryValues() {
        // Unsigned samples arrive with their top bit flipped, so both ends of the short range occur.
        for (int radius = 1; radius <= 2; radius++) {
            int span = 2 * radius + 1;
            int width = 75;
            short[][] rows = new short[span][width + 2 * radius];
            for (short[] row : rows) {
                for (int x = 0; x < row.length; x++) {
                    row[x] = RANDOM.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE;
                }
            }
            short[] expected = reference(rows, radius, width);
            assertArrayEquals(expected, run(scalar, rows, radius, width));
            assertArrayEquals(expected, run(vector, rows, radius, width));
        }
    }

    @Test
    void callsWithoutPaddingOrWithOtherRadiiAreRefused() {
        short[][] three = new short[3][10];
        short[] out = new short[10];
        assertThrows(IllegalArgumentException.class, () -> PixelLoops.median(three, 3, three, out, 8));
        assertThrows(IllegalArgumentException.class, () -> PixelLoops.median(three, 2, three, out, 6));
        assertThrows(IllegalArgumentException.class, () -> PixelLoops.median(three, 1, three, out, 9));
        assertThrows(IllegalArgumentException.class, () -> PixelLoops.median(three, 1, three, new short[7], 8));
        PixelLoops.median(three, 1, new short[3][10], out, 8);
        assertEquals(0, out[7]);
    }

    private void checkRandom(int radius, int width, int alphabet) {
        int span = 2 * radius + 1;
        short[][] rows = new short[span][width + 2 * radius];
        int base = alphabet == 65536 ? Short.MIN_VALUE : RANDOM.nextInt(1000) - 500;
        for (short[] row : rows) {
            for (int x = 0; x < row.length; x++) {
                row[x] = (short) (base + RANDOM.nextInt(alphabet));
            }
        }
        short[] expected = reference(rows, radius, width);
        assertArrayEquals(expected, run(scalar, rows, radius, width), "radius " + radius + ", width " + width);
        assertArrayEquals(expected, run(vector, rows, radius, width), "radius " + radius + ", width " + width);
    }

    private static short[] run(PixelKernels kernels, short[][] rows, int radius, int width) {
        short[][] sorted = new short[rows.length][rows[0].length];
        short[] out = new short[width];
        short[][] copy = Arrays.stream(rows).map(short[]::clone).toArray(short[][]::new);
        kernels.median(rows, radius, sorted, out, width);
        for (int k = 0; k < rows.length; k++) {
            assertArrayEquals(copy[k], rows[k], "the input rows are left as they were");
        }
        return out;
    }

    /** The definition: sort the window, take the middle. */
    private static short[] reference(short[][] rows, int radius, int width) {
        int span = 2 * radius + 1;
        short[] out = new short[width];
        short[] window = new short[span * span];
        for (int x = 0; x < width; x++) {
            int n = 0;
            for (short[] row : rows) {
                for (int j = 0; j < span; j++) {
                    window[n++] = row[x + j];
                }
            }
            Arrays.sort(window);
            out[x] = window[window.length / 2];
        }
        return out;
    }

    private static int[] shuffledRows(int span) {
        int[] order = new int[span];
        for (int i = 0; i < span; i++) {
            order[i] = i;
        }
        for (int i = span - 1; i > 0; i--) {
            int j = RANDOM.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

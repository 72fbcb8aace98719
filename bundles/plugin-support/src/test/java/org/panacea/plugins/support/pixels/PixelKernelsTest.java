package org.panacea.plugins.support.pixels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API loops give the same masks and tallies as the plain loops, which are checked against the
 * definition one sample at a time: every signedness, windows at and beyond the type's limits, lengths that leave
 * vector tails, sub-ranges, and images large enough to flush the 32-bit lane sums several times.
 */
class PixelKernelsTest {

    private static final Random RANDOM = new Random(20261121);
    private final PixelKernels scalar = new ScalarPixelKernels();
    private final PixelKernels vector = new VectorPixelKernels();

    @Test
    void theTestJvmRunsTheVectorLoopsWhereTheProcessorHasWideVectors() {
        // Surefire starts the tests with --add-modules jdk.incubator.vector, as the distribution starts Karaf; on a
        // processor without 256-bit vectors the plain loops are chosen (the equivalence tests still run both).
        assumeTrue(jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256,
                "no 256-bit vectors on this processor");
        assertTrue(PixelLoops.vectorised(), "the tests must exercise the Vector API path");
    }

    private static short[] shorts(int n) {
        short[] values = new short[n];
        for (int i = 0; i < n; i++) {
            // Mostly near the limits and zero, where sign handling goes wrong, plus uniform noise.
            switch (RANDOM.nextInt(4)) {
                case 0 -> values[i] = (short) (Short.MIN_VALUE + RANDOM.nextInt(3));
                case 1 -> values[i] = (short) (Short.MAX_VALUE - RANDOM.nextInt(3));
                case 2 -> values[i] = (short) (RANDOM.nextInt(5) - 2);
                default -> values[i] = (short) RANDOM.nextInt();
            }
        }
        return values;
    }

    private static byte[] bytes(int n) {
        byte[] values = new byte[n];
        RANDOM.nextBytes(values);
        return values;
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 15, 16, 17, 31, 32, 33, 1000, 4099 })
    void sixteenBitWindowsAgreeWithTheDefinition(int n) {
        short[] samples = shorts(n);
        int[][] windows = { { -32768, 32767 }, { -32768, -32768 }, { 32767, 32767 }, { -2, 2 }, { 0, 0 },
                { -100, 100 }, { 0, 65535 }, { 32768, 65535 }, { 65534, 65535 }, { 1, 32767 } };
        for (boolean signed : new boolean[] { true, false }) {
            for (int[] w : windows) {
                int min = signed ? Short.MIN_VALUE : 0;
                int max = signed ? Short.MAX_VALUE : 0xFFFF;
                if (w[0] < min || w[1] > max) {
                    continue;
                }
                byte[] expected = new byte[n];
                long count = 0;
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    int value = signed ? samples[i] : samples[i] & 0xFFFF;
                    if (value >= w[0] && value <= w[1]) {
                        expected[i] = -1;
                        count++;
                        sum += value;
                    }
                }
                for (PixelKernels kernels : new PixelKernels[] { scalar, vector }) {
                    byte[] mask = new byte[n];
                    WindowTally tally = kernels.window(samples, signed, w[0], w[1], mask, 0, n);
                    String what = kernels.getClass().getSimpleName() + " signed=" + signed + " [" + w[0] + ", "
                            + w[1] + "] n=" + n;
                    assertArrayEquals(expected, mask, what);
                    assertEquals(new WindowTally(count, sum), tally, what);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7, 8, 9, 16, 63, 64, 65, 5001 })
    void eightBitWindowsAndThresholdsAgreeWithTheDefinition(int n) {
        byte[] samples = bytes(n);
        for (int[] w : new int[][] { { 0, 255 }, { 0, 0 }, { 255, 255 }, { 100, 200 }, { 127, 128 } }) {
            byte[] expected = new byte[n];
            long count = 0;
            long sum = 0;
            for (int i = 0; i < n; i++) {
                int value = samples[i] & 0xFF;
                if (value >= w[0] && value <= w[1]) {
                    expected[i] = -1;
                    count++;
                    sum += value;
                }
            }
            for (PixelKernels kernels : new PixelKernels[] { scalar, vector }) {
                byte[] mask = new byte[n];
                assertEquals(new WindowTally(count, sum), kernels.window(samples, w[0], w[1], mask, 0, n));
                assertArrayEquals(expected, mask);
            }
        }
        for (int t : new int[] { 0, 1, 127, 128, 254 }) {
            byte[] expected = new byte[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (samples[i] & 0xFF) > t ? (byte) -1 : 0;
            }
            for (PixelKernels kernels : new PixelKernels[] { scalar, vector }) {
                byte[] mask = new byte[n];
                kernels.above(samples, t, mask, 0, n);
                assertArrayEquals(expected, mask, kernels.getClass().getSimpleName() + " t=" + t);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 31, 32, 33, 4099 })
    void sixteenBitThresholdsAgreeWithTheDefinition(int n) {
        short[] samples = shorts(n);
        for (boolean signed : new boolean[] { true, false }) {
            int[] thresholds = signed ? new int[] { -32768, -1, 0, 1, 32766 } : new int[] { 0, 1, 32767, 32768, 65534 };
            for (int t : thresholds) {
                byte[] expected = new byte[n];
                for (int i = 0; i < n; i++) {
                    int value = signed ? samples[i] : samples[i] & 0xFFFF;
                    expected[i] = value > t ? (byte) -1 : 0;
                }
                for (PixelKernels kernels : new PixelKernels[] { scalar, vector }) {
                    byte[] mask = new byte[n];
                    kernels.above(samples, signed, t, mask, 0, n);
                    assertArrayEquals(expected, mask, kernels.getClass().getSimpleName() + " signed=" + signed
                            + " t=" + t);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 15, 16, 17, 33, 4099 })
    void rangesAgreeWithTheDefinition(int n) {
        short[] samples = shorts(n);
        for (boolean signed : new boolean[] { true, false }) {
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (short sample : samples) {
                int value = signed ? sample : sample & 0xFFFF;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            for (PixelKernels kernels : new PixelKernels[] { scalar, vector }) {
                assertArrayEquals(new int[] { min, max }, kernels.range(samples, signed, 0, n),
                        kernels.getClass().getSimpleName() + " signed=" + signed + " n=" + n);
            }
        }
        short[] constant = new short[100];
        java.util.Arrays.fill(constant, (short) 1234);
        assertArrayEquals(new int[] { 1234, 1234 }, vector.range(constant, true, 3, 97));
    }

    @Test
    void subRangesLeaveTheRestOfTheMaskAlone() {
        short[] samples = shorts(300);
        byte[] mask = new byte[300];
        java.util.Arrays.fill(mask, (byte) 7);
        WindowTally tally = vector.window(samples, true, -32768, 32767, mask, 37, 251);
        assertEquals(214, tally.count());
        for (int i = 0; i < 300; i++) {
            assertEquals(i >= 37 && i < 251 ? (byte) -1 : 7, mask[i], "index " + i);
        }
    }

    @Test
    void largeImagesFlushTheLaneSumsWithoutOverflow() {
        // 2048 x 2048 samples all at the unsigned maximum: the 32-bit lanes would overflow without the flushes.
        int n = 2048 * 2048 + 5;
        short[] samples = new short[n];
        java.util.Arrays.fill(samples, (short) -1);
        byte[] mask = new byte[n];
        WindowTally tally = vector.window(samples, false, 0, 65535, mask, 0, n);
        assertEquals(new WindowTally(n, 65535L * n), tally);
        WindowTally signed = vector.window(samples, true, -32768, 32767, mask, 0, n);
        assertEquals(new WindowTally(n, -n), signed);
    }

    @Test
    void boundsBeyondTheSampleRangeAreClampedOrEmpty() {
        short[] samples = { -5, 0, 5, 40000 - 65536 };
        byte[] mask = new byte[4];
        // Unsigned: -5 is 65531 and the last sample 40000.
        assertEquals(new WindowTally(4, 65531 + 5 + 40000), PixelLoops.window(samples, false, -1_000_000, 1_000_000, mask, 0, 4));
        assertEquals(new WindowTally(0, 0), PixelLoops.window(samples, true, 40_000, 50_000, mask, 0, 4));
        assertArrayEquals(new byte[4], mask);
        assertEquals(new WindowTally(0, 0), PixelLoops.window(samples, true, 3, 2, mask, 0, 4));
        PixelLoops.above(samples, true, Long.MIN_VALUE, mask, 0, 4);
        assertArrayEquals(new byte[] { -1, -1, -1, -1 }, mask);
        PixelLoops.above(samples, false, 65535, mask, 0, 4);
        assertArrayEquals(new byte[4], mask);
        PixelLoops.above(new byte[] { 0, (byte) 255 }, -1, mask, 0, 2);
        assertArrayEquals(new byte[] { -1, -1, 0, 0 }, mask);
    }
}

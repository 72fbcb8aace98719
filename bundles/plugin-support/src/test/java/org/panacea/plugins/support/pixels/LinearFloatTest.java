package org.panacea.plugins.support.pixels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The float linear map: on the Vector API it gives the same samples and clamp count as in plain Java, which is
 * checked against its definition one sample at a time; {@link LinearFloat#matches} accepts a map exactly when
 * every value in the range maps as the double definition says, and refuses one that rounds a tie differently.
 */
class LinearFloatTest {

    private static final Random RANDOM = new Random(20261208);
    private final PixelKernels scalar = new ScalarPixelKernels();
    private final PixelKernels vector = new VectorPixelKernels();

    @Test
    void vectorAndPlainLoopsAgreeWithTheDefinition() {
        for (int round = 0; round < 200; round++) {
            boolean signed = RANDOM.nextBoolean();
            float min = signed ? Short.MIN_VALUE : 0;
            float max = signed ? Short.MAX_VALUE : 0xFFFF;
            LinearFloat map = new LinearFloat((float) (RANDOM.nextGaussian() * 4), (float) (RANDOM.nextGaussian() * 3e4),
                    min, max);
            int n = 1 + RANDOM.nextInt(300);
            short[] samples = new short[n];
            for (int i = 0; i < n; i++) {
                samples[i] = (short) RANDOM.nextInt(65536);
            }
            int from = RANDOM.nextInt(n);
            short[] expected = new short[n];
            long clamped = 0;
            for (int i = from; i < n; i++) {
                int value = signed ? samples[i] : samples[i] & 0xFFFF;
                float rounded = (float) Math.rint((float) value * map.gain() + map.bias());
                float kept = Math.max(min, Math.min(max, rounded));
                clamped += kept != rounded ? 1 : 0;
                expected[i] = (short) (int) kept;
            }
            short[] plain = new short[n];
            short[] lanes = new short[n];
            assertEquals(clamped, scalar.linear(samples, signed, map, plain, from, n, true));
            assertEquals(clamped, vector.linear(samples, signed, map, lanes, from, n, true));
            assertArrayEquals(expected, plain);
            assertArrayEquals(expected, lanes);
            short[] uncounted = new short[n];
            assertEquals(0, vector.linear(samples, signed, map, uncounted, from, n, false));
            assertArrayEquals(expected, uncounted);
        }
    }

    @Test
    void matchesAcceptsExactMapsAndRefusesOnesThatRoundDifferently() {
        LinearFloat exact = new LinearFloat(1.5f, -500f, Short.MIN_VALUE, Short.MAX_VALUE);
        assertTrue(exact.matches(1.5, -500, Short.MIN_VALUE, Short.MAX_VALUE));
        // 0.3 is not a float: 0.3 * 95 = 28.5 rounds one way in double and 0.3f * 95 the other in float.
        LinearFloat third = new LinearFloat(0.3f, 0f, 0, 0xFFFF);
        assertFalse(third.matches(0.3, 0, 95, 95));
        assertTrue(third.matches(0.3, 0, 0, 94));
        // Clamping the same output is not enough: the clamp count must agree too.
        LinearFloat clamps = new LinearFloat(1f, 0f, 0, 100);
        assertTrue(clamps.matches(1, 0, 0, 100));
        assertTrue(clamps.matches(1, 0, 0, 101));
        assertFalse(clamps.matches(1, -0.6, 0, 101));
    }

    @Test
    void clampsLooksAtBothEnds() {
        LinearFloat map = new LinearFloat(-2f, 100f, 0, 255);
        assertFalse(map.clamps(0, 50));
        assertTrue(map.clamps(0, 51));
        assertTrue(map.clamps(-78, 0));
        assertFalse(map.clamps(-77, 0));
    }

    @Test
    void boundsBeyondSixteenBitsAreRefused() {
        short[] samples = new short[4];
        assertThrows(IllegalArgumentException.class,
                () -> PixelLoops.linear(samples, true, new LinearFloat(1, 0, -40000, 0), samples, 0, 4, true));
        assertThrows(IllegalArgumentException.class,
                () -> PixelLoops.linear(samples, false, new LinearFloat(1, 0, 0, 70000), samples, 0, 4, true));
    }
}

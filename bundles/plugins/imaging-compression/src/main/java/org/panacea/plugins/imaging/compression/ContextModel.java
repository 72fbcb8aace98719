package org.panacea.plugins.imaging.compression;

/**
 * The prediction and its context, after LOCO-I (JPEG-LS, ITU-T T.87): the median edge detector predicts from the
 * left, upper and upper-left neighbours; the three local gradients, each quantised to nine levels and merged by
 * sign, pick one of 365 contexts; each context learns its own prediction bias (corrected before coding) and the
 * mean size of its residuals, which with the local gradients chooses the activity class the residual coder
 * conditions on.
 */
final class ContextModel {

    static final int CONTEXTS = 365;
    /** Activity classes: the bit length of the context's mean residual size, capped. */
    static final int ACTIVITY_CLASSES = 24;

    private static final int RESET = 64;

    private final int t1;
    private final int t2;
    private final int t3;
    private final int near;
    private final long[] errorSum = new long[CONTEXTS];
    private final int[] biasSum = new int[CONTEXTS];
    private final int[] count = new int[CONTEXTS];
    private final int[] correction = new int[CONTEXTS];

    /** The context of the last {@link #context} call, and whether its sign was flipped. */
    int context;
    boolean negative;

    ContextModel(long maxCode, int near) {
        this.near = near;
        // JPEG-LS default thresholds (T.87 C.2.4.1.1.1), scaled to the sample range like the standard does.
        long capped = Math.min(maxCode, 4095);
        if (capped >= 128) {
            int factor = (int) ((capped + 128) >> 8);
            t1 = factor + 2 + 3 * near;
            t2 = factor * 4 + 3 + 5 * near;
            t3 = factor * 17 + 4 + 7 * near;
        } else {
            int factor = (int) (256 / (capped + 1));
            t1 = Math.max(2, 3 / factor + 3 * near);
            t2 = Math.max(t1, 7 / factor + 5 * near);
            t3 = Math.max(t2, 21 / factor + 7 * near);
        }
        for (int q = 0; q < CONTEXTS; q++) {
            errorSum[q] = Math.max(2, (maxCode + 32) >> 6);
            count[q] = 1;
        }
    }

    /** Median edge detector (LOCO-I): the smaller or larger neighbour at an edge, the planar estimate elsewhere. */
    static long medianEdge(long a, long b, long c) {
        long max = Math.max(a, b);
        long min = Math.min(a, b);
        if (c >= max) {
            return min;
        }
        if (c <= min) {
            return max;
        }
        return a + b - c;
    }

    /** Selects the context of gradients {@code d - b}, {@code b - c}, {@code c - a}; sets {@link #context}, {@link #negative}. */
    void context(long a, long b, long c, long d) {
        int q = 81 * quantise(d - b) + 9 * quantise(b - c) + quantise(c - a);
        negative = q < 0;
        context = negative ? -q : q;
    }

    private int quantise(long g) {
        if (g <= -t3) {
            return -4;
        }
        if (g <= -t2) {
            return -3;
        }
        if (g <= -t1) {
            return -2;
        }
        if (g < -near) {
            return -1;
        }
        if (g <= near) {
            return 0;
        }
        if (g < t1) {
            return 1;
        }
        if (g < t2) {
            return 2;
        }
        if (g < t3) {
            return 3;
        }
        return 4;
    }

    /** The current context's bias correction, to add (sign applied) to the prediction. */
    int correction() {
        return correction[context];
    }

    /**
     * The activity class of the current pixel: the bit length of the residual size expected from the context's
     * history and the sum of the three local gradient magnitudes.
     */
    int activity(long gradientSum) {
        // The context's mean residual size, plus a third of the local gradients (measured on CT and MR: about 1 %
        // smaller than either alone): a context's history and the pixel's own neighbourhood both speak.
        long expected = errorSum[context] / count[context] + gradientSum / 3;
        return Math.min(ACTIVITY_CLASSES - 1, 64 - Long.numberOfLeadingZeros(expected));
    }

    /** Learns from the (sign-corrected, quantised) residual {@code error} coded in the current context. */
    void update(long error) {
        int q = context;
        errorSum[q] += Math.abs(error);
        biasSum[q] += (int) Math.max(-1 << 20, Math.min(1 << 20, error * (2L * near + 1)));
        if (count[q] == RESET) {
            errorSum[q] >>= 1;
            biasSum[q] >>= 1;
            count[q] >>= 1;
        }
        count[q]++;
        int n = count[q];
        if (biasSum[q] <= -n) {
            biasSum[q] += n;
            if (correction[q] > -32768) {
                correction[q]--;
            }
            if (biasSum[q] <= -n) {
                biasSum[q] = -n + 1;
            }
        } else if (biasSum[q] > 0) {
            biasSum[q] -= n;
            if (correction[q] < 32767) {
                correction[q]++;
            }
            if (biasSum[q] > 0) {
                biasSum[q] = 0;
            }
        }
    }
}

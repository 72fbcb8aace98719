package org.panacea.plugins.imaging.compression;

/**
 * Codes a non-negative (sign-folded) prediction residual {@code m} under an activity class, as an adaptive
 * Elias-gamma binarisation: the bucket {@code b = bitLength(m)} in unary, one adaptive decision per step; then the
 * two bits below the leading one with adaptive decisions (residuals inside a bucket are skewed towards its low
 * end); then the remaining bits directly. Every decision's probability is learned separately per activity class,
 * so a smooth region's residuals cost a fraction of a bit and a noisy region's are not penalised.
 */
final class ResidualCoder {

    /** Highest bucket: a residual of a 32-bit code folded to 33 bits, with room to spare. */
    static final int MAX_BUCKET = 40;

    private final AdaptiveBit[][] bucket;
    private final AdaptiveBit[][] mantissa;

    ResidualCoder(int activityClasses) {
        bucket = new AdaptiveBit[activityClasses][MAX_BUCKET + 1];
        mantissa = new AdaptiveBit[activityClasses][(MAX_BUCKET + 1) * 4];
        for (int c = 0; c < activityClasses; c++) {
            for (int i = 0; i < bucket[c].length; i++) {
                bucket[c][i] = new AdaptiveBit();
            }
            for (int i = 0; i < mantissa[c].length; i++) {
                mantissa[c][i] = new AdaptiveBit();
            }
        }
    }

    void encode(RangeEncoder out, long m, int activity) {
        int b = 64 - Long.numberOfLeadingZeros(m);
        AdaptiveBit[] steps = bucket[activity];
        for (int i = 0; i < b; i++) {
            out.encode(steps[i], 1);
        }
        if (b < MAX_BUCKET) {
            out.encode(steps[b], 0);
        }
        if (b >= 2) {
            AdaptiveBit[] tree = mantissa[activity];
            int first = (int) (m >>> (b - 2)) & 1;
            out.encode(tree[b * 4], first);
            if (b >= 3) {
                out.encode(tree[b * 4 + 1 + first], (int) (m >>> (b - 3)) & 1);
                out.encodeDirect(m, b - 3);
            }
        }
    }

    long decode(RangeDecoder in, int activity) {
        AdaptiveBit[] steps = bucket[activity];
        int b = 0;
        while (b < MAX_BUCKET && in.decode(steps[b]) == 1) {
            b++;
        }
        if (b == 0) {
            return 0;
        }
        long m = 1;
        if (b >= 2) {
            AdaptiveBit[] tree = mantissa[activity];
            int first = in.decode(tree[b * 4]);
            m = (m << 1) | first;
            if (b >= 3) {
                m = (m << 1) | in.decode(tree[b * 4 + 1 + first]);
                m = (m << (b - 3)) | in.decodeDirect(b - 3);
            }
        }
        return m;
    }
}

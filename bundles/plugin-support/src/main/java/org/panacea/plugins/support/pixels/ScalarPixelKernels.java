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
}

package org.panacea.plugins.imaging.compression;

import java.util.Arrays;

/**
 * Binary range encoder (the carry-propagating scheme of LZMA's coder, with 16-bit probabilities). Each decision is
 * coded with an {@link AdaptiveBit}, which learns the probability of a 0 as it goes; bits of no predictable
 * value are coded {@link #encodeDirect directly} at one bit each.
 */
final class RangeEncoder {

    private long low;
    private int range = 0xFFFFFFFF;
    private int cache;
    private long cacheSize = 1;
    private byte[] out;
    private int size;

    RangeEncoder(int expectedBytes) {
        out = new byte[Math.max(16, expectedBytes)];
    }

    void encode(AdaptiveBit model, int bit) {
        int bound = (range >>> 16) * model.probabilityOfZero();
        if (bit == 0) {
            range = bound;
        } else {
            low += bound & 0xFFFFFFFFL;
            range -= bound;
        }
        model.update(bit);
        while ((range & 0xFF000000) == 0) {
            range <<= 8;
            shiftLow();
        }
    }

    /** The lowest {@code count} bits of {@code value}, most significant first, at one bit each. */
    void encodeDirect(long value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            range >>>= 1;
            if (((value >>> i) & 1) != 0) {
                low += range & 0xFFFFFFFFL;
            }
            while ((range & 0xFF000000) == 0) {
                range <<= 8;
                shiftLow();
            }
        }
    }

    /** Flushes the coder and returns the coded bytes. */
    byte[] finish() {
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        return Arrays.copyOf(out, size);
    }

    private void shiftLow() {
        if (low < 0xFF000000L || low > 0xFFFFFFFFL) {
            int carry = (int) (low >>> 32);
            int pending = cache;
            do {
                write(pending + carry);
                pending = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) ((low >>> 24) & 0xFF);
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    private void write(int b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[size++] = (byte) b;
    }
}

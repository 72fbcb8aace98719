package org.panacea.plugins.imaging.compression;

import org.panacea.api.imaging.Pixels;

/**
 * How the samples of each pixel kind map to the codec's unsigned integer codes and back. The mapping preserves
 * order, so neighbouring pixels with close values get close codes and prediction works on them: signed 16-bit
 * values are offset by 32768, and real (32-bit float) values are taken by their IEEE 754 bit pattern, turned so
 * that integer order follows numeric order (which also keeps -0, infinities and NaN payloads bit for bit).
 */
enum SampleFormat {

    GRAY8(8), GRAY16_UNSIGNED(16), GRAY16_SIGNED(16), FLOAT32(32);

    /** Bits per sample in the uncompressed image. */
    final int bits;

    SampleFormat(int bits) {
        this.bits = bits;
    }

    static SampleFormat of(Pixels pixels) {
        if (pixels instanceof Pixels.Gray8) {
            return GRAY8;
        }
        if (pixels instanceof Pixels.Gray16) {
            return ((Pixels.Gray16) pixels).signed() ? GRAY16_SIGNED : GRAY16_UNSIGNED;
        }
        return FLOAT32;
    }

    /** Reads {@code count} samples from {@code start} as codes. */
    void read(Pixels pixels, int start, int count, long[] codes, int offset) {
        switch (this) {
            case GRAY8: {
                byte[] v = ((Pixels.Gray8) pixels).values();
                for (int i = 0; i < count; i++) {
                    codes[offset + i] = v[start + i] & 0xFF;
                }
                break;
            }
            case GRAY16_UNSIGNED: {
                short[] v = ((Pixels.Gray16) pixels).values();
                for (int i = 0; i < count; i++) {
                    codes[offset + i] = v[start + i] & 0xFFFF;
                }
                break;
            }
            case GRAY16_SIGNED: {
                short[] v = ((Pixels.Gray16) pixels).values();
                for (int i = 0; i < count; i++) {
                    codes[offset + i] = v[start + i] + 32768;
                }
                break;
            }
            default: {
                float[] v = ((Pixels.Float32) pixels).values();
                for (int i = 0; i < count; i++) {
                    codes[offset + i] = orderedCode(v[start + i]);
                }
            }
        }
    }

    /** A sample array of this kind for {@code length} samples, to decode into. */
    Object newSamples(int length) {
        switch (this) {
            case GRAY8:
                return new byte[length];
            case GRAY16_UNSIGNED:
            case GRAY16_SIGNED:
                return new short[length];
            default:
                return new float[length];
        }
    }

    /** Writes {@code count} codes plus {@code base} to {@code samples} (from {@link #newSamples}) at {@code start}. */
    void write(long[] codes, long base, int count, Object samples, int start) {
        switch (this) {
            case GRAY8: {
                byte[] v = (byte[]) samples;
                for (int i = 0; i < count; i++) {
                    v[start + i] = (byte) (base + codes[i]);
                }
                break;
            }
            case GRAY16_UNSIGNED: {
                short[] v = (short[]) samples;
                for (int i = 0; i < count; i++) {
                    v[start + i] = (short) (base + codes[i]);
                }
                break;
            }
            case GRAY16_SIGNED: {
                short[] v = (short[]) samples;
                for (int i = 0; i < count; i++) {
                    v[start + i] = (short) (base + codes[i] - 32768);
                }
                break;
            }
            default: {
                float[] v = (float[]) samples;
                for (int i = 0; i < count; i++) {
                    v[start + i] = fromOrderedCode(base + codes[i]);
                }
            }
        }
    }

    Pixels pixels(Object samples) {
        switch (this) {
            case GRAY8:
                return new Pixels.Gray8((byte[]) samples);
            case GRAY16_UNSIGNED:
                return new Pixels.Gray16((short[]) samples, false);
            case GRAY16_SIGNED:
                return new Pixels.Gray16((short[]) samples, true);
            default:
                return new Pixels.Float32((float[]) samples);
        }
    }

    /** The float's bits as an unsigned code in {@code [0, 2^32)} whose order is the numeric order. */
    static long orderedCode(float value) {
        int bits = Float.floatToRawIntBits(value);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return (long) ordered + 0x80000000L;
    }

    static float fromOrderedCode(long code) {
        int ordered = (int) (code - 0x80000000L);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7FFFFFFF));
    }
}

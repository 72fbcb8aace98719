package org.panacea.plugins.imaging.compression;

/**
 * Decoder of {@link RangeEncoder}'s output. Reading past the end of the data yields zero bytes; the codec's own
 * checks (sizes, bucket limits) turn a damaged stream into an exception rather than a loop.
 */
final class RangeDecoder {

    private final byte[] in;
    private int position;
    private final int end;
    private int range = 0xFFFFFFFF;
    private int code;

    RangeDecoder(byte[] in, int offset, int length) {
        this.in = in;
        this.position = offset;
        this.end = offset + length;
        for (int i = 0; i < 5; i++) {
            code = (code << 8) | next();
        }
    }

    int decode(AdaptiveBit model) {
        int bound = (range >>> 16) * model.probabilityOfZero();
        int bit;
        if ((code ^ 0x80000000) < (bound ^ 0x80000000)) {
            range = bound;
            bit = 0;
        } else {
            code -= bound;
            range -= bound;
            bit = 1;
        }
        model.update(bit);
        while ((range & 0xFF000000) == 0) {
            range <<= 8;
            code = (code << 8) | next();
        }
        return bit;
    }

    long decodeDirect(int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            range >>>= 1;
            int bit = (code ^ 0x80000000) < (range ^ 0x80000000) ? 0 : 1;
            if (bit == 1) {
                code -= range;
            }
            value = (value << 1) | bit;
            while ((range & 0xFF000000) == 0) {
                range <<= 8;
                code = (code << 8) | next();
            }
        }
        return value;
    }

    private int next() {
        return position < end ? in[position++] & 0xFF : 0;
    }
}

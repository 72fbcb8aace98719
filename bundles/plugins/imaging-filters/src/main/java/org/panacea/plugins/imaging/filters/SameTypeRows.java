package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.Pixels;

/**
 * An output image of the input's pixel type, written row by row from {@code float} rows whose values are already
 * values of that type (a median is one of its window's samples), so the conversion is exact.
 */
final class SameTypeRows {

    private final int width;
    private final Pixels pixels;

    SameTypeRows(Pixels input, int width, int height) {
        this.width = width;
        int n = width * height;
        if (input instanceof Pixels.Gray8) {
            pixels = new Pixels.Gray8(new byte[n]);
        } else if (input instanceof Pixels.Gray16 gray) {
            pixels = new Pixels.Gray16(new short[n], gray.signed());
        } else {
            pixels = new Pixels.Float32(new float[n]);
        }
    }

    Pixels pixels() {
        return pixels;
    }

    /** Writes {@code row[0 .. width - 1]} as row {@code y}. */
    void write(int y, float[] row) {
        int offset = y * width;
        if (pixels instanceof Pixels.Float32 real) {
            System.arraycopy(row, 0, real.values(), offset, width);
        } else if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            for (int x = 0; x < width; x++) {
                values[offset + x] = (short) (int) row[x];
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int x = 0; x < width; x++) {
                values[offset + x] = (byte) (int) row[x];
            }
        }
    }
}

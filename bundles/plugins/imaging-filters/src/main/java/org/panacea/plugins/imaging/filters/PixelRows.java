package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.Pixels;

/**
 * Reads rows of any pixel type into {@code float} buffers straight from the source array (one loop per type, no
 * per-sample dispatch). Gray8 and Gray16 values are exact in {@code float}; Float32 rows are copied as they are.
 */
final class PixelRows {

    private PixelRows() {
    }

    /** Copies {@code count} samples starting at {@code offset} into {@code target[targetOffset ..]}. */
    static void read(Pixels pixels, int offset, int count, float[] target, int targetOffset) {
        if (pixels instanceof Pixels.Float32 real) {
            System.arraycopy(real.values(), offset, target, targetOffset, count);
        } else if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = 0; i < count; i++) {
                    target[targetOffset + i] = values[offset + i];
                }
            } else {
                for (int i = 0; i < count; i++) {
                    target[targetOffset + i] = values[offset + i] & 0xFFFF;
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int i = 0; i < count; i++) {
                target[targetOffset + i] = values[offset + i] & 0xFF;
            }
        }
    }

    /**
     * Reads row {@code y} of a {@code width}-wide image into {@code target[margin .. margin + width - 1]} and fills
     * {@code margin} samples on each side as {@code border} says. {@code target} holds at least
     * {@code width + 2 * margin} samples.
     */
    static void readPadded(Pixels pixels, int width, int y, int margin, Border border, float[] target) {
        read(pixels, y * width, width, target, margin);
        for (int k = 1; k <= margin; k++) {
            target[margin - k] = target[margin + border.inside(-k, width)];
            target[margin + width - 1 + k] = target[margin + border.inside(width - 1 + k, width)];
        }
    }
}

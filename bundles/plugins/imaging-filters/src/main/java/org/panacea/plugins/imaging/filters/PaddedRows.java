package org.panacea.plugins.imaging.filters;

import java.util.Arrays;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;

/**
 * The {@code 2 * radius + 1} rows around an output row, each read once into a small ring as {@code float} and
 * padded by {@code radius} samples on both sides as the border says: {@code rows[k][radius + x]} is sample
 * {@code x} of row {@code y - radius + k}. One instance per band (not thread-safe).
 */
final class PaddedRows {

    private final Pixels pixels;
    private final int width;
    private final int radius;
    private final Border border;
    private final int[] rowIndex;
    private final float[][] ring;
    private final int[] ringRow;
    private final float[][] window;

    PaddedRows(Image image, Border border, int radius) {
        this.pixels = image.pixels();
        this.width = image.width();
        this.radius = radius;
        this.border = border;
        this.rowIndex = border.table(image.height(), radius);
        int span = 2 * radius + 1;
        this.ring = new float[span][width + 2 * radius];
        this.ringRow = new int[span];
        Arrays.fill(ringRow, -1);
        this.window = new float[span][];
    }

    /** Padded width: {@code width + 2 * radius}. */
    int paddedWidth() {
        return width + 2 * radius;
    }

    /** The rows around {@code y}, top first; valid until the next call. */
    float[][] around(int y) {
        int span = window.length;
        for (int k = 0; k < span; k++) {
            int source = rowIndex[y + k];
            // The rows one output row needs lie within `span` consecutive rows: they never share a slot.
            int slot = source % span;
            if (ringRow[slot] != source) {
                PixelRows.readPadded(pixels, width, source, radius, border, ring[slot]);
                ringRow[slot] = source;
            }
            window[k] = ring[slot];
        }
        return window;
    }
}

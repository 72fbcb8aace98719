package org.panacea.plugins.imaging.segmentation;

import org.panacea.api.imaging.Pixels;

/**
 * Whether pixel {@code i} lies inside a {@link ValueWindow}: integer samples by table lookup on the stored value
 * (the table holds the window's own decisions, so the result is the same as computing each rescaled value), real
 * samples by computing it. Built once per image, so the per-pixel test is an array read.
 */
final class Foreground {

    private final byte[] gray8;
    private final short[] gray16;
    private final float[] real;
    private final boolean[] table;
    private final int offset;
    private final int bits;
    private final ValueWindow window;

    Foreground(Pixels pixels, ValueWindow window) {
        this.window = window;
        if (pixels instanceof Pixels.Gray8) {
            gray8 = ((Pixels.Gray8) pixels).values();
            gray16 = null;
            real = null;
            offset = 0;
            bits = 0xFF;
            table = window.table(0, 256);
        } else if (pixels instanceof Pixels.Gray16) {
            Pixels.Gray16 g = (Pixels.Gray16) pixels;
            gray8 = null;
            gray16 = g.values();
            real = null;
            offset = g.signed() ? 32768 : 0;
            bits = g.signed() ? 0xFFFFFFFF : 0xFFFF;
            table = window.table(offset, 65536);
        } else {
            gray8 = null;
            gray16 = null;
            real = ((Pixels.Float32) pixels).values();
            offset = 0;
            bits = 0;
            table = null;
        }
    }

    boolean test(int i) {
        if (gray16 != null) {
            return table[(gray16[i] & bits) + offset];
        }
        if (gray8 != null) {
            return table[gray8[i] & 0xFF];
        }
        return window.includes(real[i] * window.slope() + window.intercept());
    }
}

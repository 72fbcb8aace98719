package org.panacea.dicom.read;

import org.panacea.api.imaging.Pixels;

/** Grey from colour: sums of thousandth-weighted samples (see {@link PixelFormat#lumaWeights()}), rounded half up. */
final class Luma {

    private Luma() {
    }

    /** The weighted sums as grey samples of {@code bytes} (1 or 2) bytes. */
    static Pixels toPixels(int[] weightedSums, int bytes) {
        int n = weightedSums.length;
        if (bytes == 1) {
            byte[] grey = new byte[n];
            for (int i = 0; i < n; i++) {
                grey[i] = (byte) ((weightedSums[i] + 500) / 1000);
            }
            return new Pixels.Gray8(grey);
        }
        short[] grey = new short[n];
        for (int i = 0; i < n; i++) {
            grey[i] = (short) ((weightedSums[i] + 500) / 1000);
        }
        return new Pixels.Gray16(grey, false);
    }
}

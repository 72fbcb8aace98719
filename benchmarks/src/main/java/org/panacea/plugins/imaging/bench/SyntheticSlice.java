package org.panacea.plugins.imaging.bench;

import java.util.Random;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * A reproducible CT-like 16-bit slice for benchmarks: smooth anatomy-like background (-100..100 HU), 2000 disks of
 * 200..500 HU with radius 2..12 pixels, and Gaussian noise of 15 HU, stored as HU + 1024 with the CT rescale.
 */
final class SyntheticSlice {

    static final double SPACING = 0.5;

    private SyntheticSlice() {
    }

    static Image ct(int size) {
        Random random = new Random(42);
        double[] hu = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                hu[y * size + x] = 100 * Math.sin(x / 37.0) * Math.cos(y / 53.0);
            }
        }
        for (int d = 0; d < 2000; d++) {
            int cx = random.nextInt(size);
            int cy = random.nextInt(size);
            int r = 2 + random.nextInt(11);
            double value = 200 + random.nextInt(300);
            for (int y = Math.max(0, cy - r); y <= Math.min(size - 1, cy + r); y++) {
                for (int x = Math.max(0, cx - r); x <= Math.min(size - 1, cx + r); x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        hu[y * size + x] = value;
                    }
                }
            }
        }
        short[] stored = new short[size * size];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = (short) Math.round(hu[i] + 15 * random.nextGaussian() + 1024);
        }
        return new Image(size, size, new Pixels.Gray16(stored, true),
                new ImageMetadata("CT", SPACING, SPACING, 1, -1024, "HU", 40, 400, 16, ""));
    }

    static short[] stored(Image image) {
        return ((Pixels.Gray16) image.pixels()).values();
    }
}

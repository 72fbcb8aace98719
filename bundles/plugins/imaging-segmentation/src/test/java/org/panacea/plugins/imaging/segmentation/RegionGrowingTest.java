package org.panacea.plugins.imaging.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

import ij.process.ByteProcessor;
import ij.process.FloodFiller;

/**
 * Checked against ImageJ 1.54p's flood filler ({@code fill} 4-connected, {@code fill8} 8-connected) run from the
 * same seed on the mask {@code |HU - seed HU| <= tolerance} of CT_small: Dice 1 and the same pixel count.
 */
class RegionGrowingTest {

    private final RegionGrowing growing = new RegionGrowing();

    private static Parameters seed(int x, int y, double tolerance, String connectivity) {
        return new Parameters(Map.of("x", x, "y", y, "tolerance", tolerance, "connectivity", connectivity));
    }

    private static byte[] imageJRegion(short[] stored, int x, int y, double tolerance, boolean eight) {
        int seed = stored[y * 128 + x];
        ByteProcessor mask = new ByteProcessor(128, 128);
        for (int i = 0; i < stored.length; i++) {
            mask.set(i, Math.abs(stored[i] - seed) <= tolerance ? 255 : 0);
        }
        mask.setValue(128);
        FloodFiller filler = new FloodFiller(mask);
        if (eight) {
            filler.fill8(x, y);
        } else {
            filler.fill(x, y);
        }
        byte[] region = new byte[stored.length];
        for (int i = 0; i < region.length; i++) {
            region[i] = mask.get(i) == 128 ? (byte) 255 : 0;
        }
        return region;
    }

    @ParameterizedTest
    @CsvSource({ "64, 64, 50, 4", "64, 64, 50, 8", "30, 60, 100, 4", "30, 60, 100, 8", "100, 100, 20, 4",
            "100, 100, 20, 8", "2, 2, 30, 8", "64, 64, 0, 4", "127, 0, 400, 8" })
    void theRegionIsImageJsFloodFillOnCtSmall(int x, int y, double tolerance, String connectivity) throws Exception {
        AlgorithmResult result = growing.apply(CtSmall.image(), seed(x, y, tolerance, connectivity));
        byte[] region = ((Pixels.Gray8) result.image().pixels()).values();
        short[] stored = CtSmall.stored();
        byte[] reference = imageJRegion(stored, x, y, tolerance, "8".equals(connectivity));
        assertEquals(1.0, CtSmall.dice(region, reference));
        assertArrayEquals(reference, region);

        long pixels = 0;
        double huSum = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] != 0) {
                pixels++;
                huSum += stored[i] - 1024;
            }
        }
        Map<String, Double> finding = CtSmall.values(result.findings().get(0));
        assertEquals(pixels, finding.get("pixels"));
        assertEquals(pixels * CtSmall.SPACING * CtSmall.SPACING, finding.get("area"), 1e-9);
        assertEquals(huSum / pixels, finding.get("mean"), 1e-9);
        assertEquals(stored[y * 128 + x] - 1024, CtSmall.byName(result.measurements()).get("seed_value").value());
        assertEquals(pixels, CtSmall.byName(result.measurements()).get("region_pixels").value());
    }

    @Test
    void everyPixelKindAndTinyImagesWork() throws Exception {
        Pixels[] kinds = { new Pixels.Gray8(new byte[] { 10, 11, 30, 12 }),
                new Pixels.Gray16(new short[] { 10, 11, 30, 12 }, true),
                new Pixels.Gray16(new short[] { 10, 11, 30, 12 }, false),
                new Pixels.Float32(new float[] { 10, 11, 30, 12 }) };
        for (Pixels pixels : kinds) {
            AlgorithmResult row = growing.apply(new Image(4, 1, pixels, ImageMetadata.unknown(16)),
                    seed(0, 0, 2, "4"));
            assertArrayEquals(new byte[] { (byte) 255, (byte) 255, 0, 0 },
                    ((Pixels.Gray8) row.image().pixels()).values(), "the 30 blocks the way to the 12");
            AlgorithmResult column = growing.apply(new Image(1, 4, pixels, ImageMetadata.unknown(16)),
                    seed(0, 3, 2, "8"));
            assertArrayEquals(new byte[] { 0, 0, 0, (byte) 255 }, ((Pixels.Gray8) column.image().pixels()).values());
        }
        AlgorithmResult one = growing.apply(new Image(1, 1, new Pixels.Gray8(new byte[] { 7 }),
                ImageMetadata.unknown(8)), seed(0, 0, 0, "4"));
        assertEquals(1.0, CtSmall.values(one.findings().get(0)).get("pixels"));
    }

    @Test
    void badParametersAreRefusedNamingTheParameterAndRange() throws Exception {
        Image ct = CtSmall.image();
        AlgorithmException x = assertThrows(AlgorithmException.class, () -> growing.apply(ct, seed(128, 0, 1, "4")));
        assertTrue(x.getMessage().contains("x must be between 0 and 127"), x.getMessage());
        AlgorithmException y = assertThrows(AlgorithmException.class, () -> growing.apply(ct, seed(0, -1, 1, "4")));
        assertTrue(y.getMessage().contains("y must be between 0 and 127"), y.getMessage());
        AlgorithmException tolerance = assertThrows(AlgorithmException.class,
                () -> growing.apply(ct, seed(0, 0, -1, "4")));
        assertTrue(tolerance.getMessage().contains("tolerance must be a finite value of 0 or more"),
                tolerance.getMessage());
        AlgorithmException connectivity = assertThrows(AlgorithmException.class,
                () -> growing.apply(ct, seed(0, 0, 1, "6")));
        assertTrue(connectivity.getMessage().contains("connectivity must be 4 or 8"), connectivity.getMessage());
    }
}

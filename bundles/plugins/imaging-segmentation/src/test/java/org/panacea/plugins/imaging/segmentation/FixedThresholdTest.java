package org.panacea.plugins.imaging.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/** Checked against ImageJ 1.54p's threshold mask of the same CT_small pixels (Dice 1, byte for byte). */
class FixedThresholdTest {

    private final FixedThreshold threshold = new FixedThreshold();

    private static Parameters window(double lower, double upper) {
        return new Parameters(Map.of("lower", lower, "upper", upper));
    }

    @ParameterizedTest
    @CsvSource({ "-1000, -400", "-100, 100", "100, 3000", "-352, -352", "-2000, 5000", "3000, 4000" })
    void theMaskIsImageJsOnCtSmall(double lowerHu, double upperHu) throws Exception {
        AlgorithmResult result = threshold.apply(CtSmall.image(), window(lowerHu, upperHu));
        byte[] mask = ((Pixels.Gray8) result.image().pixels()).values();

        ImagePlus imp = CtSmall.imageJ(CtSmall.stored(), 128, 128);
        // ImageJ thresholds raw (stored) values: HU + 1024 on CT_small.
        imp.getProcessor().setThreshold(lowerHu + 1024, upperHu + 1024, ImageProcessor.NO_LUT_UPDATE);
        byte[] reference = (byte[]) imp.getProcessor().createMask().getPixels();
        assertEquals(1.0, CtSmall.dice(mask, reference));
        assertArrayEquals(reference, mask);

        long foreground = 0;
        for (byte b : reference) {
            foreground += b != 0 ? 1 : 0;
        }
        Map<String, Measurement> m = CtSmall.byName(result.measurements());
        assertEquals(foreground, m.get("foreground_pixels").value());
        assertEquals(foreground * CtSmall.SPACING * CtSmall.SPACING, m.get("foreground_area").value(), 1e-9);
        assertEquals("mm2", m.get("foreground_area").unit());
        if (foreground > 0) {
            // Mean HU of the pixels in ImageJ's mask.
            double mean = 0;
            short[] stored = CtSmall.stored();
            for (int i = 0; i < stored.length; i++) {
                mean += reference[i] != 0 ? stored[i] - 1024 : 0;
            }
            assertEquals(mean / foreground, m.get("foreground_mean").value(), 1e-9);
        } else {
            assertFalse(m.containsKey("foreground_mean"));
        }
        assertEquals(8, result.image().metadata().bitsStored());
        assertEquals(CtSmall.SPACING, result.image().metadata().columnSpacing());
        assertEquals("CT", result.image().metadata().modality());
    }

    @Test
    void boundsAreInclusiveAndRescaledForEveryPixelKind() throws Exception {
        ImageMetadata rescaled = new ImageMetadata("", Double.NaN, Double.NaN, 2, -10, "", Double.NaN, Double.NaN,
                16, "");
        // rescaled: 2 * stored - 10 -> -10, -8, -6, -4 for stored 0..3; window [-8, -6] keeps stored 1 and 2.
        Pixels[] kinds = { new Pixels.Gray8(new byte[] { 0, 1, 2, 3 }),
                new Pixels.Gray16(new short[] { 0, 1, 2, 3 }, true),
                new Pixels.Gray16(new short[] { 0, 1, 2, 3 }, false),
                new Pixels.Float32(new float[] { 0, 1, 2, 3 }) };
        for (Pixels pixels : kinds) {
            for (int[] size : new int[][] { { 4, 1 }, { 1, 4 }, { 2, 2 } }) {
                AlgorithmResult result = threshold.apply(new Image(size[0], size[1], pixels, rescaled),
                        window(-8, -6));
                assertArrayEquals(new byte[] { 0, (byte) 255, (byte) 255, 0 },
                        ((Pixels.Gray8) result.image().pixels()).values(), pixels.getClass().getSimpleName());
                assertFalse(CtSmall.byName(result.measurements()).containsKey("foreground_area"),
                        "no spacing, no area in mm2");
            }
        }
        short[] unsigned = { (short) 65535, (short) 40000 };
        AlgorithmResult high = threshold.apply(new Image(2, 1, new Pixels.Gray16(unsigned, false),
                ImageMetadata.unknown(16)), window(50000, 70000));
        assertArrayEquals(new byte[] { (byte) 255, 0 }, ((Pixels.Gray8) high.image().pixels()).values());
        AlgorithmResult single = threshold.apply(new Image(1, 1, new Pixels.Float32(new float[] { Float.NaN }),
                ImageMetadata.unknown(32)), window(-1e30, 1e30));
        assertArrayEquals(new byte[] { 0 }, ((Pixels.Gray8) single.image().pixels()).values(), "NaN is no value");
    }

    @Test
    void badWindowsAreRefusedNamingTheParameters() {
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        AlgorithmException order = assertThrows(AlgorithmException.class, () -> threshold.apply(one, window(3, 2)));
        assertTrue(order.getMessage().contains("lower must be at most upper"), order.getMessage());
        AlgorithmException infinite = assertThrows(AlgorithmException.class,
                () -> threshold.apply(one, window(0, Double.POSITIVE_INFINITY)));
        assertTrue(infinite.getMessage().contains("lower and upper must be finite"), infinite.getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("imaging.threshold", threshold.descriptor().id());
        assertTrue(threshold.descriptor().parameters().get(0).description().contains("HU"));
    }
}

package org.panacea.plugins.support.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * The display function's rules. Real radiographs (MONOCHROME1) are checked against pydicom in the dicom bundle's
 * rendering tests and the window/level plugin's tests, which both use this function.
 */
class GreyscaleDisplayTest {

    private static ImageMetadata metadata(double slope, double intercept, double center, double width,
            String photometric) {
        return new ImageMetadata("CR", 0.1, 0.1, slope, intercept, "", center, width, 16, "1.2.3", photometric);
    }

    @Test
    void theLinearFunctionFollowsPs33() {
        // PS3.3 C.11.2.1.2.1 with centre 40, width 400: black at or below -160, white above 239.
        assertEquals(0, GreyscaleDisplay.linearVoi(-160, 40, 400));
        assertEquals(255, GreyscaleDisplay.linearVoi(239.0000001, 40, 400));
        assertEquals(255.0, GreyscaleDisplay.linearVoi(239, 40, 400), 1e-12);
        assertEquals(((40 - 39.5) / 399 + 0.5) * 255, GreyscaleDisplay.linearVoi(40, 40, 400), 1e-12);
        // Width 1 is a threshold at the centre.
        assertEquals(0, GreyscaleDisplay.grey(99.5, 100, 1));
        assertEquals(255, GreyscaleDisplay.grey(99.5000001, 100, 1));
        // Half up; a value that is not a number is black.
        assertEquals(127.5, GreyscaleDisplay.linearVoi(0, 0.5, 256));
        assertEquals(128, GreyscaleDisplay.grey(0, 0.5, 256));
        assertEquals(0, GreyscaleDisplay.grey(Double.NaN, 40, 400));
    }

    @Test
    void monochrome1IsExactlyTheInverseOfMonochrome2() {
        Random random = new Random(7);
        short[] values = new short[300];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) random.nextInt(4096);
        }
        Pixels pixels = new Pixels.Gray16(values, false);
        byte[] two = GreyscaleDisplay.render(new Image(20, 15, pixels, metadata(0.684, 200, 1600, 2800, "")), 1600,
                2800);
        byte[] one = GreyscaleDisplay.render(new Image(20, 15, pixels,
                metadata(0.684, 200, 1600, 2800, ImageMetadata.MONOCHROME1)), 1600, 2800);
        for (int i = 0; i < values.length; i++) {
            assertEquals(255 - (two[i] & 0xFF), one[i] & 0xFF, "sample " + i);
            assertEquals(GreyscaleDisplay.grey(values[i] * 0.684 + 200, 1600, 2800), two[i] & 0xFF, "sample " + i);
        }
    }

    /** Large integer images go through a table, small ones value by value: the same bytes either way. */
    @Test
    void theTableAndTheDirectPathAgreeForEveryPixelType() {
        Random random = new Random(11);
        int width = 400;
        int height = 200; // 80,000 samples: more than any table has entries
        byte[] gray8 = new byte[width * height];
        random.nextBytes(gray8);
        short[] gray16 = new short[width * height];
        for (int i = 0; i < gray16.length; i++) {
            gray16[i] = (short) random.nextInt(65536);
        }
        for (String photometric : new String[] { ImageMetadata.MONOCHROME2, ImageMetadata.MONOCHROME1 }) {
            for (Pixels pixels : new Pixels[] { new Pixels.Gray8(gray8), new Pixels.Gray16(gray16, true),
                    new Pixels.Gray16(gray16, false) }) {
                for (double[] window : new double[][] { { 40, 400 }, { 100.5, 1 }, { -600, 1500 }, { 127.5, 256 } }) {
                    ImageMetadata meta = metadata(1.7, -1024, Double.NaN, Double.NaN, photometric);
                    byte[] tabled = GreyscaleDisplay.render(new Image(width, height, pixels, meta), window[0],
                            window[1]);
                    float[] real = new float[pixels.length()];
                    for (int i = 0; i < real.length; i++) {
                        real[i] = (float) pixels.sample(i);
                    }
                    byte[] direct = GreyscaleDisplay.render(new Image(width, height, new Pixels.Float32(real), meta),
                            window[0], window[1]);
                    assertArrayEquals(direct, tabled, pixels + " " + photometric + " " + window[0] + "/" + window[1]);
                }
            }
        }
    }

    @Test
    void theWindowIsTheOneAskedForElseTheImagesElseTheFramesRange() {
        Image withWindow = new Image(2, 1, new Pixels.Gray16(new short[] { 10, 30 }, false),
                metadata(2, 100, 1600, 2800, ImageMetadata.MONOCHROME1));
        assertEquals(new GreyscaleDisplay.Window(40, 400), GreyscaleDisplay.window(withWindow, 40.0, 400.0));
        assertEquals(new GreyscaleDisplay.Window(1600, 2800), GreyscaleDisplay.window(withWindow, null, null));
        Image without = new Image(2, 1, new Pixels.Gray16(new short[] { 10, 30 }, false),
                metadata(2, 100, 1600, 0.5, ImageMetadata.MONOCHROME1));
        // Rescaled 120..160: width 41, centre 120 + 20.5 - 0.5; the lowest value nearly black (127.5 / 40 rounds
        // to 3), the highest white, then both inverted for MONOCHROME1.
        GreyscaleDisplay.Window range = GreyscaleDisplay.window(without, null, null);
        assertEquals(new GreyscaleDisplay.Window(140, 41), range);
        assertArrayEquals(new byte[] { (byte) 252, 0 }, GreyscaleDisplay.render(without, range));
    }
}

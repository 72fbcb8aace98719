package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

/** Checked against ImageJ's Find Edges and OpenCV's Sobel + magnitude, both run here on the real images. */
class SobelGradientTest {

    private final SobelGradient sobel = new SobelGradient();

    private static Parameters border(String border) {
        return new Parameters(Map.of("border", border));
    }

    /** Relative agreement: |a - b| <= 1e-6 |b| + 1e-3 (float sums in a different order). */
    private static void assertClose(double[] expected, float[] actual, String what) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double tolerance = 1e-6 * Math.abs(expected[i]) + 1e-3;
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / tolerance);
        }
        System.out.printf("Sobel %s: worst |difference| / tolerance %.3f%n", what, worst);
        assertTrue(worst <= 1, what + ": worst difference is " + worst + " tolerances");
    }

    @Test
    void equalsImageJsFindEdgesOnCtSmall() throws Exception {
        Image ct = TestImages.ctSmall();
        FloatProcessor imagej = new FloatProcessor(128, 128, TestImages.floats(TestImages.asFloat(ct)).clone());
        imagej.filter(ImageProcessor.FIND_EDGES);
        float[] expected = (float[]) imagej.getPixels();
        double[] reference = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            reference[i] = expected[i];
        }
        assertClose(reference, TestImages.floats(sobel.apply(ct, border("nearest")).image()), "vs ImageJ on CT");
    }

    @ParameterizedTest
    @CsvSource({ "reflect101, 4", "reflect, 2", "nearest, 1" })
    void equalsOpenCvOnTheRealImagesAndALargeOne(String border, int openCvBorder) throws Exception {
        TestImages.loadOpenCv();
        for (Image image : new Image[] { TestImages.ctSmall(), TestImages.retina(),
                TestImages.tiledCt(640, 480, 50, 3) }) {
            Mat source = TestImages.mat(image, CvType.CV_32F);
            Mat dx = new Mat();
            Mat dy = new Mat();
            Imgproc.Sobel(source, dx, CvType.CV_32F, 1, 0, 3, 1, 0, openCvBorder);
            Imgproc.Sobel(source, dy, CvType.CV_32F, 0, 1, 3, 1, 0, openCvBorder);
            Mat magnitude = new Mat();
            Core.magnitude(dx, dy, magnitude);
            assertClose(TestImages.values(magnitude), TestImages.floats(sobel.apply(image, border(border)).image()),
                    border + " " + image.width() + "x" + image.height() + " vs OpenCV");
        }
    }

    @Test
    void aVerticalStepOfHeightHGivesFourH() throws Exception {
        byte[] step = new byte[6 * 4];
        for (int y = 0; y < 4; y++) {
            for (int x = 3; x < 6; x++) {
                step[y * 6 + x] = 10;
            }
        }
        float[] out = TestImages.floats(sobel.apply(new Image(6, 4, new Pixels.Gray8(step), ImageMetadata.unknown(8)),
                border("nearest")).image());
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new float[] { 0, 0, 40, 40, 0, 0 }, java.util.Arrays.copyOfRange(out, y * 6, y * 6 + 6));
        }
    }

    @Test
    void everyPixelTypeAndTinySizesWork() throws Exception {
        float[] expected = null;
        for (Pixels pixels : new Pixels[] { new Pixels.Gray8(new byte[] { 5, 9, 1 }),
                new Pixels.Gray16(new short[] { 5, 9, 1 }, true), new Pixels.Gray16(new short[] { 5, 9, 1 }, false),
                new Pixels.Float32(new float[] { 5, 9, 1 }) }) {
            float[] out = TestImages.floats(sobel.apply(new Image(3, 1, pixels, ImageMetadata.unknown(16)),
                    border("reflect101")).image());
            if (expected == null) {
                expected = out;
            }
            assertArrayEquals(expected, out);
        }
        // reflect101 on a 1-row image: gy = 0; gx = 4 * (right - left) with mirrored ends.
        assertArrayEquals(new float[] { 0, 16, 0 }, expected);
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[] { 7 }), ImageMetadata.unknown(8));
        assertEquals(0f, TestImages.floats(sobel.apply(one, border("reflect")).image())[0]);
    }

    @Test
    void keepsTheSlopeAsMagnitudeAndDropsTheIntercept() throws Exception {
        ImageMetadata negative = new ImageMetadata("CT", 0.5, 0.5, -2, 100, "HU", 40, 400, 16, "1.2.3");
        Image out = sobel.apply(new Image(2, 2, new Pixels.Gray16(new short[4], true), negative), border("reflect"))
                .image();
        assertEquals(2, out.metadata().rescaleSlope());
        assertEquals(0, out.metadata().rescaleIntercept());
        assertEquals(0.5, out.metadata().rowSpacing());
        assertEquals("1.2.3", out.metadata().sourceInstanceUid());
    }

    @Test
    void anUnknownBorderIsRefusedNamingIt() {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> sobel.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)), border("zero")));
        assertTrue(e.getMessage().contains("border"), e.getMessage());
    }
}

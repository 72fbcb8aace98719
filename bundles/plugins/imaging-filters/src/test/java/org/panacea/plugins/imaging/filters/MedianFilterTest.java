package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

import ij.plugin.filter.RankFilters;
import ij.process.FloatProcessor;

/**
 * Checked byte for byte against OpenCV's medianBlur (which repeats edge samples too) and ImageJ's 3x3 median,
 * both run here, on the real images, and against a plain sort of each window on odd and tiny sizes.
 */
class MedianFilterTest {

    private final MedianFilter median = new MedianFilter();

    private static Parameters radius(int radius) {
        return new Parameters(Map.of("radius", radius));
    }

    private double[] medianOf(Image image, int radius) throws AlgorithmException {
        Image out = median.apply(image, radius(radius)).image();
        assertEquals(image.pixels().getClass(), out.pixels().getClass());
        assertSame(image.metadata(), out.metadata());
        return TestImages.samples(out);
    }

    private static double[] openCvMedian(Image image, int type, int radius) {
        TestImages.loadOpenCv();
        Mat out = new Mat();
        Imgproc.medianBlur(TestImages.mat(image, type), out, 2 * radius + 1);
        return TestImages.values(out);
    }

    @Test
    void radiusOneEqualsImageJsMedianOnCtSmall() throws Exception {
        Image ct = TestImages.ctSmall();
        FloatProcessor imagej = new FloatProcessor(128, 128, TestImages.floats(TestImages.asFloat(ct)).clone());
        // ImageJ's radius 1 kernel is the full 3x3 square; out-of-image samples repeat the edge.
        new RankFilters().rank(imagej, 1, RankFilters.MEDIAN);
        float[] expected = (float[]) imagej.getPixels();
        double[] actual = medianOf(ct, 1);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], "pixel " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void sixteenBitSignedAndUnsignedEqualOpenCv(int radius) throws Exception {
        Image ct = TestImages.ctSmall();
        assertArrayEquals(openCvMedian(ct, CvType.CV_16S, radius), medianOf(ct, radius));
        short[] stored = ((Pixels.Gray16) ct.pixels()).values();
        // The same values in HU (negative ones included) and as unsigned samples.
        short[] hu = new short[stored.length];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (stored[i] - 1024);
        }
        Image signed = new Image(128, 128, new Pixels.Gray16(hu, true), ct.metadata());
        assertArrayEquals(openCvMedian(signed, CvType.CV_16S, radius), medianOf(signed, radius));
        Image unsigned = new Image(128, 128, new Pixels.Gray16(stored.clone(), false), ct.metadata());
        assertArrayEquals(openCvMedian(unsigned, CvType.CV_16U, radius), medianOf(unsigned, radius));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 5, 12 })
    void eightBitEqualsOpenCvForEveryRadius(int radius) throws Exception {
        Image retina = TestImages.retina();
        assertArrayEquals(openCvMedian(retina, CvType.CV_8U, radius), medianOf(retina, radius));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void realValuesEqualOpenCv(int radius) throws Exception {
        Image real = TestImages.asFloat(TestImages.ctSmall());
        float[] values = TestImages.floats(real);
        Random random = new Random(5);
        for (int i = 0; i < values.length; i++) {
            values[i] += random.nextFloat() - 0.5f;
        }
        assertArrayEquals(openCvMedian(real, CvType.CV_32F, radius), medianOf(real, radius));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void aLargeNoisyImageEqualsOpenCv(int radius) throws Exception {
        Image large = TestImages.tiledCt(600, 450, 300, 11);
        assertArrayEquals(openCvMedian(large, CvType.CV_16S, radius), medianOf(large, radius));
    }

    @Test
    void oddAndTinySizesEqualAPlainSortOfEachWindow() throws Exception {
        Random random = new Random(17);
        for (int[] size : new int[][] { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 2, 3 }, { 5, 4 }, { 13, 9 } }) {
            int n = size[0] * size[1];
            short[] values = new short[n];
            for (int i = 0; i < n; i++) {
                values[i] = (short) (random.nextInt(65536) - 32768);
            }
            Image image = new Image(size[0], size[1], new Pixels.Gray16(values, true), ImageMetadata.unknown(16));
            for (int radius : new int[] { 1, 2, 4 }) {
                double[] expected = plainMedian(TestImages.samples(image), size[0], size[1], radius);
                String what = size[0] + "x" + size[1] + " radius " + radius;
                assertArrayEquals(expected, medianOf(image, radius), what);
                assertArrayEquals(expected, medianOf(TestImages.asFloat(image), radius), what + " real");
            }
        }
    }

    /** The middle of each sorted (2r+1)^2 window, edge samples repeated. */
    private static double[] plainMedian(double[] values, int width, int height, int radius) {
        double[] out = new double[values.length];
        double[] window = new double[(2 * radius + 1) * (2 * radius + 1)];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = 0;
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int yy = Math.min(Math.max(y + dy, 0), height - 1);
                        int xx = Math.min(Math.max(x + dx, 0), width - 1);
                        window[n++] = values[yy * width + xx];
                    }
                }
                Arrays.sort(window);
                out[y * width + x] = window[window.length / 2];
            }
        }
        return out;
    }

    @Test
    void removesSaltAndPepperNoiseFromAConstantImage() throws Exception {
        byte[] values = new byte[20 * 20];
        Arrays.fill(values, (byte) 100);
        values[45] = (byte) 255;
        values[210] = 0;
        double[] out = medianOf(new Image(20, 20, new Pixels.Gray8(values), ImageMetadata.unknown(8)), 1);
        for (double v : out) {
            assertEquals(100, v);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, 51 })
    void aRadiusOutOfRangeIsRefusedNamingTheRange(int radius) {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> median.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)), radius(radius)));
        assertTrue(e.getMessage().contains("radius must be between 1 and 50"), e.getMessage());
    }
}

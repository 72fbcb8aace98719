package org.panacea.plugins.imaging.enhancement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.CLAHE;
import org.opencv.imgproc.Imgproc;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/**
 * Checked against OpenCV's CLAHE run here on the real images, 8-bit and 16-bit, divisible and non-divisible
 * sizes (OpenCV's mirrored extension), and a large image (the parallel path). ImageJ 1.54p has no CLAHE of its own
 * (Fiji's is a plugin), so OpenCV is the reference.
 */
class ClaheTest {

    private final Clahe clahe = new Clahe();

    private static Parameters parameters(int tilesX, int tilesY, double clipLimit, int bins, String range) {
        return new Parameters(Map.of("tiles-x", tilesX, "tiles-y", tilesY, "clip-limit", clipLimit, "bins", bins,
                "range", range));
    }

    private static double[] openCv(Image image, int type, double clipLimit, int tilesX, int tilesY) {
        TestImages.loadOpenCv();
        CLAHE reference = Imgproc.createCLAHE(clipLimit, new Size(tilesX, tilesY));
        Mat out = new Mat();
        reference.apply(TestImages.mat(image, type), out);
        return TestImages.values(out);
    }

    private void assertMatchesOpenCv(Image image, int type, int bins, double clipLimit, int tilesX, int tilesY) {
        double[] expected = openCv(image, type, clipLimit, tilesX, tilesY);
        double[] actual;
        try {
            actual = TestImages.samples(clahe.apply(image, parameters(tilesX, tilesY, clipLimit, bins, "type"))
                    .image());
        } catch (AlgorithmException e) {
            throw new AssertionError(e);
        }
        double[] comparison = TestImages.compare(expected, actual);
        System.out.printf("CLAHE %dx%d clip %.1f tiles %dx%d vs OpenCV: %d of %d differ, by at most %.0f%n",
                image.width(), image.height(), clipLimit, tilesX, tilesY, (long) comparison[0], expected.length,
                comparison[1]);
        assertEquals(0, comparison[0], "samples that differ from OpenCV");
    }

    @ParameterizedTest
    @CsvSource({ "2.0, 8, 8", "4.0, 4, 4", "40, 8, 8", "1.0, 3, 5", "0, 2, 2" })
    void eightBitEqualsOpenCv(double clipLimit, int tilesX, int tilesY) throws Exception {
        // 102x102 is not a multiple of 8, 4 or 3x5: this also exercises the mirrored extension.
        assertMatchesOpenCv(TestImages.retina(), CvType.CV_8U, 256, clipLimit, tilesX, tilesY);
        Image square = TestImages.as(TestImages.tiled(TestImages.retina(), 96, 120, 0, 255, 1), "gray8");
        assertMatchesOpenCv(square, CvType.CV_8U, 256, clipLimit, tilesX, tilesY);
    }

    @ParameterizedTest
    @CsvSource({ "2.0, 8, 8", "8.0, 4, 4", "300, 8, 8" })
    void sixteenBitUnsignedEqualsOpenCv(double clipLimit, int tilesX, int tilesY) throws Exception {
        Image ct = TestImages.as(TestImages.ctSmall(), "unsigned");
        assertMatchesOpenCv(ct, CvType.CV_16U, 65536, clipLimit, tilesX, tilesY);
    }

    @Test
    void aLargeImageEqualsOpenCv() throws Exception {
        Image large = TestImages.as(TestImages.tiled(TestImages.retina(), 640, 480, 20, 255, 7), "gray8");
        assertMatchesOpenCv(large, CvType.CV_8U, 256, 3.0, 8, 8);
        Image large16 = TestImages.as(TestImages.tiled(TestImages.ctSmall(), 512, 512, 40, 4095, 7), "unsigned");
        assertMatchesOpenCv(large16, CvType.CV_16U, 65536, 300, 8, 8);
    }

    @Test
    void everyTypeGivesTheSameResultOnTheSameValues() throws Exception {
        Image ct = TestImages.ctSmall();
        Parameters defaults = parameters(8, 8, 2.0, 256, "image");
        double[] signed = TestImages.samples(clahe.apply(ct, defaults).image());
        assertArrayEquals(signed, TestImages.samples(clahe.apply(TestImages.as(ct, "unsigned"), defaults).image()));
        // Real values fall in the same bins but are not rounded (neither the mappings nor the result).
        double[] real = TestImages.samples(clahe.apply(TestImages.as(ct, "real"), defaults).image());
        double[] comparison = TestImages.compare(signed, real);
        System.out.printf("CLAHE real vs integer CT: largest difference %.2f (range 2063)%n", comparison[1]);
        assertTrue(comparison[1] <= 1, "largest difference " + comparison[1]);
        // Stays within the image's range and raises local contrast: the mean absolute 3x3 Laplacian grows.
        for (double v : signed) {
            assertTrue(v >= 128 && v <= 2191, "value " + v);
        }
        assertTrue(roughness(signed, 128) > 1.5 * roughness(TestImages.samples(ct), 128));
    }

    private static double roughness(double[] v, int width) {
        double sum = 0;
        for (int y = 1; y < width - 1; y++) {
            for (int x = 1; x < width - 1; x++) {
                int i = y * width + x;
                sum += Math.abs(4 * v[i] - v[i - 1] - v[i + 1] - v[i - width] - v[i + width]);
            }
        }
        return sum;
    }

    @Test
    void tinyAndConstantImagesAreWellDefined() throws Exception {
        Parameters defaults = parameters(8, 8, 2.0, 256, "image");
        for (int[] size : new int[][] { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 3, 2 } }) {
            short[] values = new short[size[0] * size[1]];
            for (int i = 0; i < values.length; i++) {
                values[i] = (short) (100 + 37 * i);
            }
            Image image = new Image(size[0], size[1], new Pixels.Gray16(values, false), ImageMetadata.unknown(12));
            double[] out = TestImages.samples(clahe.apply(image, defaults).image());
            for (double v : out) {
                assertTrue(v >= 100 && v <= 100 + 37 * (values.length - 1), size[0] + "x" + size[1] + ": " + v);
            }
        }
        Image constant = new Image(2, 2, new Pixels.Float32(new float[] { 5, 5, 5, 5 }), ImageMetadata.unknown(32));
        assertArrayEquals(new double[] { 5, 5, 5, 5 }, TestImages.samples(clahe.apply(constant, defaults).image()));
    }

    @ParameterizedTest
    @CsvSource({ "0, 8, 2, 256, tiles-x must be between 1 and 64", "8, 65, 2, 256, tiles-y must be between 1 and 64",
            "8, 8, -1, 256, clip-limit must be between 0 and 1000", "8, 8, 2, 1, bins must be between 2 and 65536" })
    void badParametersAreRefusedNamingTheRange(int tilesX, int tilesY, double clipLimit, int bins, String message) {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> clahe.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                parameters(tilesX, tilesY, clipLimit, bins, "image")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}

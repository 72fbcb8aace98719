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

/**
 * Checked against SciPy's and OpenCV's Laplacians of the real CT_small (reference files), ImageJ's 3x3 convolution
 * run here (edge samples repeated), and OpenCV run here on a large image (the banded path).
 */
class LaplacianFilterTest {

    private final LaplacianFilter laplacian = new LaplacianFilter();

    private static Parameters parameters(String neighbours, String border) {
        return new Parameters(Map.of("neighbours", neighbours, "border", border));
    }

    @ParameterizedTest
    @CsvSource({ "4, reflect, laplace5_scipy_reflect_f64le.raw", "4, reflect101, laplace5_opencv_reflect101_f64le.raw",
            "8, reflect, laplace8_scipy_reflect_f64le.raw" })
    void equalsTheReferenceOnCtSmallExactly(String neighbours, String border, String reference) throws Exception {
        float[] out = TestImages.floats(laplacian.apply(TestImages.ctSmall(), parameters(neighbours, border)).image());
        double[] expected = TestImages.ctReference(reference);
        assertEquals(0, TestImages.maxDifference(out, expected), neighbours + " " + border + " vs " + reference);
        // The reference's own sample values (reference.json).
        assertEquals(neighbours.equals("8") ? -526 : -193, out[64 * 128 + 64]);
    }

    @ParameterizedTest
    @CsvSource({ "4, '0,1,0,1,-4,1,0,1,0'", "8, '1,1,1,1,-8,1,1,1,1'" })
    void equalsImageJsConvolutionWithEdgeSamplesRepeated(String neighbours, String kernel) throws Exception {
        Image ct = TestImages.ctSmall();
        FloatProcessor imagej = new FloatProcessor(128, 128, TestImages.floats(TestImages.asFloat(ct)).clone());
        String[] taps = kernel.split(",");
        int[] weights = new int[9];
        for (int i = 0; i < 9; i++) {
            weights[i] = Integer.parseInt(taps[i]);
        }
        imagej.convolve3x3(weights);
        float[] out = TestImages.floats(laplacian.apply(ct, parameters(neighbours, "nearest")).image());
        assertArrayEquals((float[]) imagej.getPixels(), out);
    }

    @Test
    void equalsOpenCvOnALargeNoisyImage() throws Exception {
        TestImages.loadOpenCv();
        Image large = TestImages.tiledCt(700, 520, 40, 7);
        Mat expected = new Mat();
        Imgproc.Laplacian(TestImages.mat(large, CvType.CV_32F), expected, CvType.CV_32F, 1, 1, 0,
                Core.BORDER_REFLECT_101);
        float[] out = TestImages.floats(laplacian.apply(large, parameters("4", "reflect101")).image());
        assertEquals(0, TestImages.maxDifference(out, TestImages.values(expected)));
    }

    @Test
    void everyPixelTypeGivesTheSameIntegerResult() throws Exception {
        byte[] gray = { 0, 20, (byte) 127, (byte) 200, (byte) 255, 3, 9, 70 };
        short[] unsigned = { 0, 20, 127, 200, 255, 3, 9, 70 };
        short[] signed = { 0, 20, 127, 200, 255, 3, 9, 70 };
        float[] real = { 0, 20, 127, 200, 255, 3, 9, 70 };
        float[] expected = laplacianOf(new Pixels.Gray8(gray));
        assertArrayEquals(expected, laplacianOf(new Pixels.Gray16(unsigned, false)));
        assertArrayEquals(expected, laplacianOf(new Pixels.Gray16(signed, true)));
        assertArrayEquals(expected, laplacianOf(new Pixels.Float32(real)));
        // Sample (1, 0) = 20 of the 4x2 image: above it reflect reads itself, below is 3, left 0, right 127.
        assertEquals(20 + 3 + 0 + 127 - 4 * 20, expected[1]);
    }

    private float[] laplacianOf(Pixels pixels) throws AlgorithmException {
        return TestImages.floats(laplacian.apply(new Image(4, 2, pixels, ImageMetadata.unknown(16)),
                parameters("4", "reflect")).image());
    }

    @Test
    void tinyImagesAreWellDefined() throws Exception {
        Image one = new Image(1, 1, new Pixels.Gray16(new short[] { 300 }, true), ImageMetadata.unknown(16));
        for (String border : Border.NAMES) {
            assertEquals(0f, TestImages.floats(laplacian.apply(one, parameters("8", border)).image())[0]);
        }
        Image row = new Image(5, 1, new Pixels.Gray8(new byte[] { 1, 2, 4, 8, 16 }), ImageMetadata.unknown(8));
        // A 1-row image: up and down read the row itself, so the result is the 1-D second difference.
        assertArrayEquals(new float[] { 1, 1, 2, 4, -8 },
                TestImages.floats(laplacian.apply(row, parameters("4", "reflect")).image()));
    }

    @Test
    void theInterceptCancelsAndTheSlopeIsKept() throws Exception {
        Image out = laplacian.apply(TestImages.ctSmall(), parameters("4", "reflect")).image();
        assertEquals(1, out.metadata().rescaleSlope());
        assertEquals(0, out.metadata().rescaleIntercept());
        assertEquals("HU", out.metadata().rescaleUnit());
        assertEquals(0.661468, out.metadata().columnSpacing());
        assertEquals("CT", out.metadata().modality());
        assertEquals(32, out.metadata().bitsStored());
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        AlgorithmException neighbours = assertThrows(AlgorithmException.class,
                () -> laplacian.apply(one, parameters("6", "reflect")));
        assertTrue(neighbours.getMessage().contains("neighbours must be 4 or 8"), neighbours.getMessage());
        AlgorithmException border = assertThrows(AlgorithmException.class,
                () -> laplacian.apply(one, parameters("4", "wrap")));
        assertTrue(border.getMessage().contains("border must be reflect, reflect101 or nearest"),
                border.getMessage());
    }
}

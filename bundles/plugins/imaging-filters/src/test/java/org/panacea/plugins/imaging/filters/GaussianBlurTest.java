package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/** Checked against SciPy's and OpenCV's independent computations on the real CT_small image (see the resources' README). */
class GaussianBlurTest {

    static final int SIZE = 128;

    /** {@code ct_small.gaussian_kernel_1d_r8} of reference.json. */
    private static final double[] REFERENCE_TAPS = { 6.691628957263553e-05, 0.0004363490205067883,
            0.0022159631725965556, 0.00876430436278587, 0.026995957967298843, 0.06475993660472744,
            0.12098748976534904, 0.17603575888479034, 0.199474647864745, 0.17603575888479034, 0.12098748976534904,
            0.06475993660472744, 0.026995957967298843, 0.00876430436278587, 0.0022159631725965556,
            0.0004363490205067883, 6.691628957263553e-05 };

    private final GaussianBlur blur = new GaussianBlur();

    static byte[] resource(String name) throws IOException {
        try (InputStream in = GaussianBlurTest.class.getResourceAsStream("/ct_small/" + name)) {
            return in.readAllBytes();
        }
    }

    static Image ctSmall() throws IOException {
        short[] stored = new short[SIZE * SIZE];
        ByteBuffer.wrap(resource("input_int16_le.raw")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
        ImageMetadata metadata = new ImageMetadata("CT", 0.661468, 0.661468, 1, -1024, "HU", Double.NaN, Double.NaN,
                16, "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
        return new Image(SIZE, SIZE, new Pixels.Gray16(stored, true), metadata);
    }

    private static Parameters gaussian(double sigma, String border) {
        return new Parameters(Map.of("sigma", sigma, "border", border));
    }

    @ParameterizedTest
    @CsvSource({ "reflect, gauss_s2_scipy_reflect_r8_f64le.raw",
            "reflect101, gauss_s2_opencv_reflect101_k17_f64le.raw",
            "nearest, gauss_s2_scipy_nearest_r8_f64le.raw" })
    void matchesTheReferenceOnCtSmallForEachBorder(String border, String referenceFile) throws Exception {
        float[] out = ((Pixels.Float32) blur.apply(ctSmall(), gaussian(2, border)).image().pixels()).values();
        double[] reference = new double[SIZE * SIZE];
        ByteBuffer.wrap(resource(referenceFile)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(reference);
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - reference[i]));
        }
        System.out.printf("Gaussian sigma 2 %s vs %s: max |difference| %.3e%n", border, referenceFile, worst);
        assertTrue(worst < 1e-3, border + ": max |difference| " + worst);
    }

    @Test
    void theTapsAreThoseOfTheReference() {
        double[] taps = GaussianBlur.kernel(2);
        assertEquals(17, taps.length);
        for (int i = 0; i < taps.length; i++) {
            assertEquals(REFERENCE_TAPS[i], taps[i], 1e-12, "tap " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "reflect", "reflect101", "nearest" })
    void aConstantImageStaysConstant(String border) throws Exception {
        // 5x3 is smaller than the 17-tap kernel: the border repeats periodically.
        for (int[] size : new int[][] { { 5, 3 }, { 1, 1 }, { 2, 1 }, { 40, 30 } }) {
            short[] values = new short[size[0] * size[1]];
            java.util.Arrays.fill(values, (short) 1000);
            Image flat = new Image(size[0], size[1], new Pixels.Gray16(values, true), ImageMetadata.unknown(16));
            float[] out = ((Pixels.Float32) blur.apply(flat, gaussian(2, border)).image().pixels()).values();
            for (float v : out) {
                assertEquals(1000f, v, 1e-3f, border + " " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void theBorderModesReadTheDocumentedSamples() {
        // a b c d at 0..3; 3 positions each side.
        assertEquals("[2, 1, 0, 0, 1, 2, 3, 3, 2, 1]",
                java.util.Arrays.toString(GaussianBlur.borderIndex(4, 3, "reflect")));
        assertEquals("[3, 2, 1, 0, 1, 2, 3, 2, 1, 0]",
                java.util.Arrays.toString(GaussianBlur.borderIndex(4, 3, "reflect101")));
        assertEquals("[0, 0, 0, 0, 1, 2, 3, 3, 3, 3]",
                java.util.Arrays.toString(GaussianBlur.borderIndex(4, 3, "nearest")));
    }

    @Test
    void keepsGeometryAndRescaleAndReportsThirtyTwoBits() throws Exception {
        Image out = blur.apply(ctSmall(), gaussian(2, "reflect")).image();
        assertEquals(SIZE, out.width());
        assertEquals(SIZE, out.height());
        assertEquals(0.661468, out.metadata().rowSpacing());
        assertEquals(-1024, out.metadata().rescaleIntercept());
        assertEquals("HU", out.metadata().rescaleUnit());
        assertEquals(32, out.metadata().bitsStored());
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", out.metadata().sourceInstanceUid());
    }

    @Test
    void eightBitUnsignedSixteenAndRealInputsGiveTheSameResult() throws Exception {
        byte[] gray = { 0, 20, (byte) 127, (byte) 200, (byte) 255, 3 };
        short[] unsigned = { 0, 20, 127, 200, 255, 3 };
        float[] real = { 0, 20, 127, 200, 255, 3 };
        float[] a = blurred(new Pixels.Gray8(gray));
        float[] b = blurred(new Pixels.Gray16(unsigned, false));
        float[] c = blurred(new Pixels.Float32(real));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i]);
            assertEquals(a[i], c[i]);
        }
        short[] high = { (short) 40000, (short) 40000 };
        float[] h = blurred2(new Pixels.Gray16(high, false));
        assertEquals(40000f, h[0], 1e-2f);
    }

    private float[] blurred(Pixels pixels) throws AlgorithmException {
        return ((Pixels.Float32) blur.apply(new Image(3, 2, pixels, ImageMetadata.unknown(16)), gaussian(1, "reflect"))
                .image().pixels()).values();
    }

    private float[] blurred2(Pixels pixels) throws AlgorithmException {
        return ((Pixels.Float32) blur.apply(new Image(2, 1, pixels, ImageMetadata.unknown(16)), gaussian(1, "nearest"))
                .image().pixels()).values();
    }

    @ParameterizedTest
    @ValueSource(doubles = { 0.05, 50.5, Double.NaN, -1 })
    void aSigmaOutOfRangeIsRefusedClearly(double sigma) {
        AlgorithmException e = assertThrows(AlgorithmException.class,
                () -> blur.apply(new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                        gaussian(sigma, "reflect")));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
    }

    @Test
    void anUnknownBorderIsRefusedClearly() {
        AlgorithmException e = assertThrows(AlgorithmException.class,
                () -> blur.apply(new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                        gaussian(2, "wrap")));
        assertTrue(e.getMessage().contains("border"), e.getMessage());
    }
}

package org.panacea.plugins.imaging.frequency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/**
 * Checked against NumPy 1.24's {@code abs(fft2)} of CT_small (shared reference data) and its sample values in
 * {@code reference.json}; the inverse against the input.
 */
class FourierSpectrumTest {

    private final FourierSpectrum spectrum = new FourierSpectrum();

    @BeforeEach
    void activate() {
        spectrum.activate();
    }

    @AfterEach
    void deactivate() {
        spectrum.deactivate();
    }

    private static Parameters options(boolean centred, String scale) {
        return new Parameters(Map.of("centred", centred, "scale", scale));
    }

    private float[] magnitude(Image image, boolean centred, String scale) throws AlgorithmException {
        return ((Pixels.Float32) spectrum.apply(image, options(centred, scale)).image().pixels()).values();
    }

    @Test
    void theMagnitudeIsNumpysOnCtSmall() throws Exception {
        float[] ours = magnitude(CtSmall.image(), false, "linear");
        double[] reference = CtSmall.referenceMagnitude();
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            // float output: half an ulp of the value, plus double rounding far below it.
            double error = Math.abs(ours[i] - reference[i]);
            worst = Math.max(worst, error / Math.max(1, reference[i]));
            assertEquals(reference[i], ours[i], 1e-7 * reference[i] + 1e-6, "coefficient " + i);
        }
        System.out.printf("FFT magnitude vs NumPy on CT_small: max relative difference %.2e%n", worst);
        // reference.json: |F| at (u_row, v_col).
        assertEquals(14826310.0, ours[0]);
        assertEquals(2182123.526696995, ours[128 + 1], 0.2);
        assertEquals(236016.7115995482, ours[3 * 128 + 5], 0.02);
        assertEquals(100.0, ours[64 * 128 + 64], 1e-5);
        assertEquals(1124.0248006081767, ours[100 * 128 + 100], 1e-4);
    }

    @Test
    void theDoubleTransformMatchesNumpyToRoundingAndInvertsExactly() throws Exception {
        short[] stored = CtSmall.stored();
        double[] data = Fourier2D.workspace(128, 128);
        for (int i = 0; i < stored.length; i++) {
            data[i] = stored[i];
        }
        Fourier2D.forward(data, 128, 128);
        double[] reference = CtSmall.referenceMagnitude();
        for (int i = 0; i < reference.length; i++) {
            double magnitude = Math.hypot(data[2 * i], data[2 * i + 1]);
            assertEquals(reference[i], magnitude, 1e-12 * 14826310.0, "coefficient " + i);
        }
        Fourier2D.inverse(data, 128, 128);
        for (int i = 0; i < stored.length; i++) {
            assertEquals(stored[i], data[2 * i], 1e-9, "sample " + i);
            assertEquals(0, data[2 * i + 1], 1e-9, "imaginary part of sample " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({ "1, 1", "1, 9", "9, 1", "2, 2", "3, 5", "17, 13", "64, 1", "100, 60" })
    void forwardThenInverseGivesTheImageBackForAnySize(int width, int height) {
        Random random = new Random(width * 1000L + height);
        int n = width * height;
        double[] original = new double[n];
        double[] data = Fourier2D.workspace(width, height);
        for (int i = 0; i < n; i++) {
            original[i] = random.nextGaussian() * 1000;
            data[i] = original[i];
        }
        double sum = 0;
        for (double v : original) {
            sum += v;
        }
        Fourier2D.forward(data, width, height);
        assertEquals(sum, data[0], 1e-9 * n * 1000, "the DC term is the sum");
        Fourier2D.inverse(data, width, height);
        for (int i = 0; i < n; i++) {
            assertEquals(original[i], data[2 * i], 1e-9, width + "x" + height + " sample " + i);
        }
    }

    @Test
    void centringAndLogAreNumpysFftshiftAndLog1p() throws Exception {
        double[] reference = CtSmall.referenceMagnitude();
        float[] centred = magnitude(CtSmall.image(), true, "log");
        for (int v = 0; v < 128; v++) {
            for (int u = 0; u < 128; u++) {
                float expected = (float) Math.log1p(reference[v * 128 + u]);
                assertEquals(expected, centred[((v + 64) % 128) * 128 + (u + 64) % 128], 1e-6f);
            }
        }
        // Odd sizes: frequency 0 moves to (width / 2, height / 2) rounded down, as fftshift.
        float[] odd = magnitude(new Image(3, 5, new Pixels.Float32(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                12, 13, 14, 15 }), ImageMetadata.unknown(32)), true, "linear");
        assertEquals(120f, odd[2 * 3 + 1]);
    }

    @Test
    void keepsMetadataAndReportsTheFrequencySteps() throws Exception {
        AlgorithmResult result = spectrum.apply(CtSmall.image(), options(true, "log"));
        ImageMetadata metadata = result.image().metadata();
        assertEquals("CT", metadata.modality());
        assertEquals(CtSmall.SPACING, metadata.rowSpacing());
        assertEquals(32, metadata.bitsStored());
        assertEquals(0, metadata.rescaleIntercept());
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", metadata.sourceInstanceUid());
        assertEquals(14826310.0, result.measurements().get(0).value());
        assertEquals(1 / (128 * CtSmall.SPACING), result.measurements().get(1).value(), 1e-15);
        assertEquals("/mm", result.measurements().get(1).unit());
    }

    @Test
    void everyPixelKindGivesTheSameSpectrum() throws Exception {
        float[] a = magnitude(new Image(2, 2, new Pixels.Gray8(new byte[] { 1, 2, 3, (byte) 200 }),
                ImageMetadata.unknown(8)), false, "linear");
        float[] b = magnitude(new Image(2, 2, new Pixels.Gray16(new short[] { 1, 2, 3, 200 }, true),
                ImageMetadata.unknown(16)), false, "linear");
        float[] c = magnitude(new Image(2, 2, new Pixels.Gray16(new short[] { 1, 2, 3, 200 }, false),
                ImageMetadata.unknown(16)), false, "linear");
        float[] d = magnitude(new Image(2, 2, new Pixels.Float32(new float[] { 1, 2, 3, 200 }),
                ImageMetadata.unknown(32)), false, "linear");
        for (int i = 0; i < 4; i++) {
            assertEquals(a[i], b[i]);
            assertEquals(a[i], c[i]);
            assertEquals(a[i], d[i]);
        }
        assertEquals(206f, a[0]);
        float[] unsigned = magnitude(new Image(1, 1, new Pixels.Gray16(new short[] { (short) 60000 }, false),
                ImageMetadata.unknown(16)), true, "linear");
        assertEquals(60000f, unsigned[0]);
    }

    @Test
    void anUnknownScaleIsRefusedNamingIt() {
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> spectrum.apply(one, options(true, "db")));
        assertTrue(e.getMessage().contains("scale must be log or linear"), e.getMessage());
    }
}

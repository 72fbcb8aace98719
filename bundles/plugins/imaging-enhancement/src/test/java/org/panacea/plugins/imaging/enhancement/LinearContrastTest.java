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
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/** Checked against OpenCV's convertTo(type, alpha, beta), run here, on the real 8- and 16-bit images. */
class LinearContrastTest {

    private final LinearContrast contrast = new LinearContrast();

    private static Parameters parameters(double gain, double bias) {
        return new Parameters(Map.of("gain", gain, "bias", bias));
    }

    private static double[] openCv(Image image, int type, double gain, double bias) {
        TestImages.loadOpenCv();
        Mat out = new Mat();
        TestImages.mat(image, type).convertTo(out, type, gain, bias);
        return TestImages.values(out);
    }

    @ParameterizedTest
    @CsvSource({ "1.5, -40", "-1, 255", "2.5, 0.5", "0.75, 10", "3, -200" })
    void eightBitEqualsOpenCv(double gain, double bias) throws Exception {
        Image retina = TestImages.retina();
        AlgorithmResult result = contrast.apply(retina, parameters(gain, bias));
        assertArrayEquals(openCv(retina, CvType.CV_8U, gain, bias), TestImages.samples(result.image()));
    }

    @ParameterizedTest
    @CsvSource({ "3, -1000", "-20, 30000", "0.5, 0.5", "40, -5000" })
    void sixteenBitSignedAndUnsignedEqualOpenCv(double gain, double bias) throws Exception {
        Image ct = TestImages.ctSmall();
        assertArrayEquals(openCv(ct, CvType.CV_16S, gain, bias),
                TestImages.samples(contrast.apply(ct, parameters(gain, bias)).image()));
        Image unsigned = TestImages.as(ct, "unsigned");
        assertArrayEquals(openCv(unsigned, CvType.CV_16U, gain, bias),
                TestImages.samples(contrast.apply(unsigned, parameters(gain, bias)).image()));
    }

    @Test
    void realValuesAreNotRoundedOrClippedToAnIntegerRange() throws Exception {
        Image real = new Image(3, 1, new Pixels.Float32(new float[] { -1.25f, 0, 70000 }), ImageMetadata.unknown(32));
        float[] out = ((Pixels.Float32) contrast.apply(real, parameters(2, 0.5)).image().pixels()).values();
        assertArrayEquals(new float[] { -2f, 0.5f, 140000.5f }, out);
    }

    /**
     * 16-bit samples over the whole range, large enough to be split over threads: the float lanes (1.5, 40, -20:
     * exact in float for every value) and the table (0.3 and 1.1, whose products round some ties differently in
     * float, so the plugin must not use the lanes) both give the double definition's samples and clamp count.
     */
    @ParameterizedTest
    @CsvSource({ "1.5, -500", "40, -5000", "-20, 30000", "0.3, 0", "1.1, 0.5", "1, 0" })
    void sixteenBitLanesAndTableEqualTheDefinitionOverTheWholeRange(double gain, double bias) throws Exception {
        java.util.Random random = new java.util.Random(20261208);
        int width = 700;
        int height = 301;
        short[] values = new short[width * height];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) random.nextInt(65536);
        }
        for (boolean signed : new boolean[] { true, false }) {
            Image image = new Image(width, height, new Pixels.Gray16(values, signed), ImageMetadata.unknown(16));
            AlgorithmResult result = contrast.apply(image, parameters(gain, bias));
            short[] out = ((Pixels.Gray16) result.image().pixels()).values();
            int min = signed ? Short.MIN_VALUE : 0;
            int max = min + 65535;
            long saturated = 0;
            for (int i = 0; i < values.length; i++) {
                int value = signed ? values[i] : values[i] & 0xFFFF;
                double exact = Math.rint(gain * value + bias);
                double clamped = Math.max(min, Math.min(max, exact));
                saturated += clamped != exact ? 1 : 0;
                assertEquals((short) (int) clamped, out[i], "sample " + i + " = " + value + (signed ? " signed" : ""));
            }
            assertEquals(saturated, result.measurements().get(0).value(), "clamped count");
        }
    }

    @Test
    void countsTheSaturatedPixels() throws Exception {
        Image retina = TestImages.retina();
        AlgorithmResult result = contrast.apply(retina, parameters(5, -300));
        long expected = 0;
        for (byte b : ((Pixels.Gray8) retina.pixels()).values()) {
            double v = 5 * (b & 0xFF) - 300;
            expected += v < 0 || v > 255 ? 1 : 0;
        }
        assertTrue(expected > 100);
        assertEquals(expected, result.measurements().get(0).value());
    }

    @Test
    void theOutputIsADisplayImageOfTheSameType() throws Exception {
        Image out = contrast.apply(TestImages.ctSmall(), parameters(1, 0)).image();
        assertTrue(out.pixels() instanceof Pixels.Gray16 gray && gray.signed());
        assertArrayEquals(((Pixels.Gray16) TestImages.ctSmall().pixels()).values(),
                ((Pixels.Gray16) out.pixels()).values());
        assertEquals(1, out.metadata().rescaleSlope());
        assertEquals(0, out.metadata().rescaleIntercept());
        assertEquals("", out.metadata().rescaleUnit());
        assertTrue(Double.isNaN(out.metadata().windowCenter()));
        assertEquals("CT", out.metadata().modality());
        assertEquals(0.661468, out.metadata().rowSpacing());
        assertEquals(16, out.metadata().bitsStored());
    }

    @ParameterizedTest
    @CsvSource({ "1001, 0, gain must be between -1000 and 1000", "NaN, 0, gain must be between -1000 and 1000",
            "1, 2e6, bias must be between -1000000 and 1000000" })
    void badParametersAreRefusedNamingTheRange(double gain, double bias, String message) {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> contrast.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)), parameters(gain, bias)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}

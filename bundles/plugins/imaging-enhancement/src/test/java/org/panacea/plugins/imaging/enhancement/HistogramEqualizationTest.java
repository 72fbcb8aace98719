package org.panacea.plugins.imaging.enhancement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

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

/**
 * Checked against OpenCV's equalizeHist (8-bit, run here) and, for 16-bit and real images, against the empirical
 * distribution computed here from a sorted copy (the definition, independently of the histogram code).
 */
class HistogramEqualizationTest {

    private final HistogramEqualization equalization = new HistogramEqualization();

    private static Parameters range(String range) {
        return new Parameters(Map.of("range", range));
    }

    @Test
    void eightBitWithTheTypeRangeEqualsOpenCv() throws Exception {
        TestImages.loadOpenCv();
        for (Image image : new Image[] { TestImages.retina(),
                TestImages.as(TestImages.tiled(TestImages.retina(), 700, 400, 30, 255, 3), "gray8") }) {
            Mat expected = new Mat();
            Imgproc.equalizeHist(TestImages.mat(image, CvType.CV_8U), expected);
            assertArrayEquals(TestImages.values(expected),
                    TestImages.samples(equalization.apply(image, range("type")).image()), image.width() + "");
        }
    }

    /** low + round((count(<= v) - count(min)) / (n - count(min)) * (high - low)), from a sorted copy. */
    private static double[] byDefinition(double[] values, double low, double high, boolean round) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int countOfMinimum = 0;
        while (countOfMinimum < n && sorted[countOfMinimum] == sorted[0]) {
            countOfMinimum++;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int atOrBelow = 0;
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= values[i]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            atOrBelow = lo;
            double v = (double) (atOrBelow - countOfMinimum) / (n - countOfMinimum) * (high - low);
            out[i] = low + (round ? Math.rint(v) : v);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = { "signed", "unsigned" })
    void sixteenBitFollowsTheDefinitionInBothRanges(String type) throws Exception {
        Image ct = TestImages.as(TestImages.ctSmall(), type);
        double[] values = TestImages.samples(ct);
        assertArrayEquals(byDefinition(values, 128, 2191, true),
                TestImages.samples(equalization.apply(ct, range("image")).image()));
        double low = type.equals("signed") ? -32768 : 0;
        double high = type.equals("signed") ? 32767 : 65535;
        assertArrayEquals(byDefinition(values, low, high, true),
                TestImages.samples(equalization.apply(ct, range("type")).image()));
    }

    @Test
    void realValuesFollowTheDefinitionWithoutRounding() throws Exception {
        Image real = TestImages.as(TestImages.ctSmall(), "real");
        float[] values = ((Pixels.Float32) real.pixels()).values();
        for (int i = 0; i < values.length; i++) {
            values[i] += (i % 7) * 0.125f;
        }
        double[] expected = byDefinition(TestImages.samples(real), 0, 1, false);
        double[] actual = TestImages.samples(equalization.apply(real, range("type")).image());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6);
        }
    }

    @Test
    void theResultIsFlatterAndKeepsTheOrder() throws Exception {
        Image ct = TestImages.ctSmall();
        double[] in = TestImages.samples(ct);
        double[] out = TestImages.samples(equalization.apply(ct, range("image")).image());
        for (int i = 0; i < in.length; i++) {
            for (int j = i + 1; j < in.length; j += 97) {
                if (in[i] < in[j]) {
                    assertTrue(out[i] <= out[j]);
                }
            }
        }
        assertEquals(128, Arrays.stream(out).min().getAsDouble());
        assertEquals(2191, Arrays.stream(out).max().getAsDouble());
        // Flat: the median output value lies near the middle of the range.
        double[] sorted = out.clone();
        Arrays.sort(sorted);
        assertEquals((128 + 2191) / 2.0, sorted[sorted.length / 2], 30);
    }

    @Test
    void constantAndTinyImagesAreWellDefined() throws Exception {
        Image constant = new Image(3, 1, new Pixels.Gray16(new short[] { -7, -7, -7 }, true),
                ImageMetadata.unknown(16));
        assertArrayEquals(new double[] { -7, -7, -7 },
                TestImages.samples(equalization.apply(constant, range("type")).image()));
        Image one = new Image(1, 1, new Pixels.Float32(new float[] { 3 }), ImageMetadata.unknown(32));
        assertArrayEquals(new double[] { 3 }, TestImages.samples(equalization.apply(one, range("image")).image()));
        Image pair = new Image(1, 2, new Pixels.Gray8(new byte[] { 10, 20 }), ImageMetadata.unknown(8));
        assertArrayEquals(new double[] { 0, 255 }, TestImages.samples(equalization.apply(pair, range("type")).image()));
    }

    @Test
    void anUnknownRangeIsRefusedNamingTheChoices() {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> equalization.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)), range("full")));
        assertTrue(e.getMessage().contains("range must be one of image, type"), e.getMessage());
    }
}

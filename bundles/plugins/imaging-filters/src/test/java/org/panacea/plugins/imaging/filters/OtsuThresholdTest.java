package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/** Checked against NumPy's exact-histogram Otsu on the real CT_small image (see the resources' README). */
class OtsuThresholdTest {

    private final OtsuThreshold otsu = new OtsuThreshold();

    /** The pixels of a binary (P5, maxval 255) PGM. */
    private static byte[] pgm(String name, int width, int height) throws Exception {
        byte[] file = GaussianBlurTest.resource(name);
        String header = "P5\n" + width + " " + height + "\n255\n";
        assertEquals(header, new String(file, 0, header.length(), java.nio.charset.StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(file, header.length(), file.length);
    }

    private static Map<String, Double> measurements(AlgorithmResult result) {
        return result.measurements().stream().collect(Collectors.toMap(Measurement::name, Measurement::value));
    }

    @Test
    void findsTheReferenceThresholdAndMaskOnCtSmall() throws Exception {
        AlgorithmResult result = otsu.apply(GaussianBlurTest.ctSmall(), Parameters.none());
        Map<String, Double> m = measurements(result);
        assertEquals(672, m.get("threshold"));
        assertEquals(672 - 1024, m.get("threshold_rescaled"));
        assertEquals(12760, m.get("foreground_pixels"));

        byte[] mask = ((Pixels.Gray8) result.image().pixels()).values();
        byte[] reference = pgm("otsu_exact_mask.pgm", 128, 128);
        assertArrayEquals(reference, mask);
        long both = 0;
        long ours = 0;
        long theirs = 0;
        for (int i = 0; i < mask.length; i++) {
            boolean a = mask[i] != 0;
            boolean b = reference[i] != 0;
            ours += a ? 1 : 0;
            theirs += b ? 1 : 0;
            both += a && b ? 1 : 0;
        }
        assertEquals(1.0, 2.0 * both / (ours + theirs));
        assertEquals(8, result.image().metadata().bitsStored());
        assertEquals("CT", result.image().metadata().modality());
    }

    @Test
    void theBetweenClassVarianceIsTheReferences() throws Exception {
        short[] stored = ((Pixels.Gray16) GaussianBlurTest.ctSmall().pixels()).values();
        long[] histogram = new long[2191 - 128 + 1];
        for (short v : stored) {
            histogram[v - 128]++;
        }
        assertEquals(672, OtsuThreshold.threshold(histogram, 128));
        assertEquals(119975.46836771039, OtsuThreshold.betweenVariance(histogram, 128, 672), 1e-6);
    }

    @Test
    void twoClustersSplitBetweenThem() throws Exception {
        byte[] values = { 10, 11, 12, (byte) 200, (byte) 201, (byte) 202 };
        AlgorithmResult result = otsu.apply(new Image(3, 2, new Pixels.Gray8(values), ImageMetadata.unknown(8)),
                Parameters.none());
        double t = measurements(result).get("threshold");
        assertTrue(t >= 12 && t < 200, "threshold " + t);
        assertArrayEquals(new byte[] { 0, 0, 0, (byte) 255, (byte) 255, (byte) 255 },
                ((Pixels.Gray8) result.image().pixels()).values());
    }

    @Test
    void unsignedSixteenBitValuesAboveThirtyTwoThousandAreForeground() throws Exception {
        short[] values = { (short) 40000, (short) 40001, 100, 101 };
        AlgorithmResult result = otsu.apply(new Image(2, 2, new Pixels.Gray16(values, false),
                ImageMetadata.unknown(16)), Parameters.none());
        assertArrayEquals(new byte[] { (byte) 255, (byte) 255, 0, 0 },
                ((Pixels.Gray8) result.image().pixels()).values());
    }

    @Test
    void realSamplesGiveTheSameThresholdAndMaskAsTheirIntegers() throws Exception {
        Image ct = GaussianBlurTest.ctSmall();
        short[] stored = ((Pixels.Gray16) ct.pixels()).values();
        float[] real = new float[stored.length];
        for (int i = 0; i < real.length; i++) {
            real[i] = stored[i];
        }
        AlgorithmResult result = otsu.apply(new Image(128, 128, new Pixels.Float32(real), ct.metadata()),
                Parameters.none());
        assertEquals(672, measurements(result).get("threshold"));
        assertArrayEquals(pgm("otsu_exact_mask.pgm", 128, 128), ((Pixels.Gray8) result.image().pixels()).values());
    }

    @Test
    void realSamplesWithNanAreRefusedClearly() {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> otsu.apply(
                new Image(2, 1, new Pixels.Float32(new float[] { 1, Float.NaN }), ImageMetadata.unknown(32)),
                Parameters.none()));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void aConstantImageIsRefusedClearly() {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> otsu.apply(
                new Image(2, 1, new Pixels.Gray8(new byte[] { 7, 7 }), ImageMetadata.unknown(8)), Parameters.none()));
        assertTrue(e.getMessage().contains("two different values"), e.getMessage());
    }

    @Test
    void eightBitAgreesWithOpenCvAndImageJ() throws Exception {
        Image retina = TestImages.retina();
        AlgorithmResult result = otsu.apply(retina, Parameters.none());
        double t = measurements(result).get("threshold");
        TestImages.loadOpenCv();
        org.opencv.core.Mat mask = new org.opencv.core.Mat();
        double openCv = org.opencv.imgproc.Imgproc.threshold(TestImages.mat(retina, org.opencv.core.CvType.CV_8U),
                mask, 0, 255, org.opencv.imgproc.Imgproc.THRESH_BINARY | org.opencv.imgproc.Imgproc.THRESH_OTSU);
        assertEquals(openCv, t);
        byte[] expected = new byte[102 * 102];
        mask.get(0, 0, expected);
        assertArrayEquals(expected, ((Pixels.Gray8) result.image().pixels()).values());
        // ImageJ's Otsu on the same 256-bin histogram returns the last level of class 0.
        int[] histogram = new int[256];
        for (byte b : ((Pixels.Gray8) retina.pixels()).values()) {
            histogram[b & 0xFF]++;
        }
        assertEquals(new ij.process.AutoThresholder().getThreshold(ij.process.AutoThresholder.Method.Otsu,
                histogram), t);
    }

    @Test
    void aLargeImageGivesTheSameThresholdAsItsTile() throws Exception {
        // CT_small tiled 5 x 4 times: the same histogram shape, counted in bands.
        AlgorithmResult result = otsu.apply(TestImages.tiledCt(640, 512, 0, 1), Parameters.none());
        assertEquals(672, measurements(result).get("threshold"));
        assertEquals(12760 * 20, measurements(result).get("foreground_pixels"));
    }

    @Test
    void describesItself() {
        assertEquals("imaging.otsu-threshold", otsu.descriptor().id());
        assertEquals(List.of(), otsu.descriptor().parameters());
    }
}

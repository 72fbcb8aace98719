package org.panacea.plugins.imaging.filters;

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
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/**
 * Checked against OpenCV's Canny run here on the same smoothing and derivatives: OpenCV's Gaussian and Sobel in
 * float, scaled into the 16-bit derivatives its {@code Canny(dx, dy, ...)} takes (thresholds scaled alike), with
 * {@code L2gradient}. The measure is the Dice coefficient of the two edge maps; what differs is where the 16-bit
 * rounding of OpenCV's derivatives flips a tie in the suppression or a threshold.
 */
class CannyEdgesTest {

    private final CannyEdges canny = new CannyEdges();

    private static Parameters parameters(double sigma, double low, double high, String border) {
        return new Parameters(Map.of("sigma", sigma, "low", low, "high", high, "border", border));
    }

    private static byte[] openCvCanny(Image image, double sigma, double low, double high, int border) {
        TestImages.loadOpenCv();
        Mat blurred = new Mat();
        int size = 2 * (int) Math.ceil(4 * sigma) + 1;
        Imgproc.GaussianBlur(TestImages.mat(image, CvType.CV_32F), blurred, new Size(size, size), sigma, sigma,
                border);
        Mat dx = new Mat();
        Mat dy = new Mat();
        Imgproc.Sobel(blurred, dx, CvType.CV_32F, 1, 0, 3, 1, 0, border);
        Imgproc.Sobel(blurred, dy, CvType.CV_32F, 0, 1, 3, 1, 0, border);
        double largest = Math.max(Math.max(-Core.minMaxLoc(dx).minVal, Core.minMaxLoc(dx).maxVal),
                Math.max(-Core.minMaxLoc(dy).minVal, Core.minMaxLoc(dy).maxVal));
        double scale = Math.min(16, Math.floor(32000 / largest));
        Mat dx16 = new Mat();
        Mat dy16 = new Mat();
        dx.convertTo(dx16, CvType.CV_16S, scale);
        dy.convertTo(dy16, CvType.CV_16S, scale);
        Mat edges = new Mat();
        Imgproc.Canny(dx16, dy16, edges, low * scale, high * scale, true);
        byte[] mask = new byte[(int) edges.total()];
        edges.get(0, 0, mask);
        return mask;
    }

    @ParameterizedTest
    @CsvSource({ "ct, 1.0, 150, 400, reflect101, 4", "ct, 2.0, 60, 200, reflect, 2",
            "retina, 1.0, 8, 24, reflect101, 4", "retina, 1.5, 5, 15, nearest, 1",
            "large, 1.0, 300, 800, reflect101, 4" })
    void agreesWithOpenCv(String name, double sigma, double low, double high, String border, int openCvBorder)
            throws Exception {
        Image image = name.equals("ct") ? TestImages.ctSmall()
                : name.equals("retina") ? TestImages.retina() : TestImages.tiledCt(640, 512, 30, 5);
        AlgorithmResult result = canny.apply(image, parameters(sigma, low, high, border));
        byte[] ours = ((Pixels.Gray8) result.image().pixels()).values();
        byte[] theirs = openCvCanny(image, sigma, low, high, openCvBorder);
        double dice = TestImages.dice(ours, theirs);
        long count = 0;
        for (byte b : ours) {
            count += b != 0 ? 1 : 0;
        }
        System.out.printf("Canny %s sigma %.1f low %.0f high %.0f %s: %d edge pixels, Dice with OpenCV %.4f%n",
                name, sigma, low, high, border, count, dice);
        assertTrue(count > 100, "too few edges to compare: " + count);
        // Measured: 0.998 to 1.000.
        assertTrue(dice >= 0.995, "Dice " + dice);
        assertEquals(count, result.measurements().get(0).value());
    }

    @Test
    void findsTheOutlineOfASquareAsOneClosedThinContour() throws Exception {
        int size = 40;
        short[] values = new short[size * size];
        for (int y = 10; y < 30; y++) {
            for (int x = 10; x < 30; x++) {
                values[y * size + x] = 1000;
            }
        }
        for (Pixels pixels : new Pixels[] { new Pixels.Gray16(values, true), new Pixels.Gray16(values, false),
                TestImages.asFloat(new Image(size, size, new Pixels.Gray16(values, true), ImageMetadata.unknown(16)))
                        .pixels() }) {
            byte[] edges = ((Pixels.Gray8) canny.apply(new Image(size, size, pixels, ImageMetadata.unknown(16)),
                    parameters(1, 100, 1000, "reflect")).image().pixels()).values();
            // Every edge pixel touches the square's boundary (its 3x3 neighbourhood is not constant).
            int found = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (edges[y * size + x] != 0) {
                        found++;
                        boolean inside = false;
                        boolean outside = false;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                boolean in = values[(y + dy) * size + x + dx] != 0;
                                inside |= in;
                                outside |= !in;
                            }
                        }
                        assertTrue(inside && outside, "edge away from the boundary at " + x + "," + y);
                    }
                }
            }
            assertTrue(found >= 4 * 18 && found <= 4 * 22, "edge pixels " + found);
        }
    }

    @Test
    void aConstantOrTinyImageHasNoEdges() throws Exception {
        for (int[] size : new int[][] { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 3, 2 } }) {
            byte[] values = new byte[size[0] * size[1]];
            java.util.Arrays.fill(values, (byte) 200);
            AlgorithmResult result = canny.apply(new Image(size[0], size[1], new Pixels.Gray8(values),
                    ImageMetadata.unknown(8)), parameters(1, 0, 0, "reflect"));
            assertEquals(0, result.measurements().get(0).value());
            assertEquals(8, result.image().metadata().bitsStored());
        }
    }

    @Test
    void lowAboveHighIsRefusedNamingBoth() {
        AlgorithmException e = assertThrows(AlgorithmException.class, () -> canny.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                parameters(1, 200, 100, "reflect")));
        assertTrue(e.getMessage().contains("low must not be above high"), e.getMessage());
        AlgorithmException negative = assertThrows(AlgorithmException.class, () -> canny.apply(
                new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8)),
                parameters(1, -1, 100, "reflect")));
        assertTrue(negative.getMessage().contains("low must be between 0 and 10000000"), negative.getMessage());
    }
}

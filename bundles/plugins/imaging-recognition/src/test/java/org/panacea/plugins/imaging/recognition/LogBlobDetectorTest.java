package org.panacea.plugins.imaging.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checked against scikit-image 0.19.3's {@code blob_log} on the same inputs (reference values written by
 * {@code src/test/resources/blobs/make_blob_reference.py}): the same blobs, positions and scales exactly, contrast
 * to 1e-9 relative.
 */
class LogBlobDetectorTest {

    private static final Comparator<Blob> BY_POSITION = Comparator.comparingInt(Blob::row)
            .thenComparingInt(Blob::column).thenComparingDouble(Blob::sigma);

    static void assertSameBlobs(List<Blob> expected, List<Blob> actual) {
        List<Blob> sorted = new ArrayList<>(actual);
        sorted.sort(BY_POSITION);
        assertEquals(expected.size(), sorted.size(), "blob count");
        for (int i = 0; i < expected.size(); i++) {
            Blob e = expected.get(i);
            Blob a = sorted.get(i);
            String where = "blob at row " + e.row() + ", column " + e.column();
            assertEquals(e.row(), a.row(), where);
            assertEquals(e.column(), a.column(), where);
            assertEquals(e.sigma(), a.sigma(), 1e-12, where + " sigma");
            assertEquals(e.contrast(), a.contrast(), 1e-9 * Math.abs(e.contrast()), where + " contrast");
        }
    }

    @ParameterizedTest
    @CsvSource({ "1, 8, 15, 30, 0.5, blobs_ct_small_s1-8_n15_t30_o0.5.csv",
            "1, 8, 15, 30, 1, blobs_ct_small_s1-8_n15_t30_o1.csv",
            "1, 5, 9, 100, 0.5, blobs_ct_small_s1-5_n9_t100_o0.5.csv",
            "1, 6, 11, 40, 1, blobs_ct_small_s1-6_n11_t40_o1.csv",
            "2, 8, 13, 50, 1, blobs_ct_small_s2-8_n13_t50_o1.csv" })
    void findsScikitImagesBlobsOnCtSmall(double minSigma, double maxSigma, int count, double threshold,
            double overlap, String reference) throws Exception {
        List<Blob> blobs = new LogBlobDetector(minSigma, maxSigma, count, threshold, overlap)
                .detect(BlobReference.ctSmallHu(), 128, 128).blobs();
        assertSameBlobs(BlobReference.blobs(reference), blobs);
        for (int i = 1; i < blobs.size(); i++) {
            assertTrue(blobs.get(i - 1).contrast() >= blobs.get(i).contrast(), "strongest first");
        }
    }

    @Test
    void findsScikitImagesBlobsOnTheSyntheticImage() throws Exception {
        double[] image = BlobReference.widen(BlobReference.synthetic());
        assertSameBlobs(BlobReference.blobs("blobs_synthetic_s1-8_n15_t10_o1.csv"),
                new LogBlobDetector(1, 8, 15, 10, 1).detect(image, 160, 120).blobs());
        assertSameBlobs(BlobReference.blobs("blobs_synthetic_s1-8_n15_t10_o0.5.csv"),
                new LogBlobDetector(1, 8, 15, 10, 0.5).detect(image, 160, 120).blobs());
    }

    @Test
    void findsTheKnownBlobsOfTheSyntheticImage() throws Exception {
        // Gaussian blobs (row, column, sigma, amplitude) placed by the script: each is found at its centre and
        // scale with response amplitude / 2 (to 1 %: the discrete LoG of a sampled Gaussian); the disk of radius
        // 6 at scale 4.5 (nearest of the scales to 6 / sqrt 2); the dark blob not at all; the pair at
        // (100, 90, sigma 4) and (104, 93, sigma 2) merges into one blob between them.
        List<Blob> blobs = new LogBlobDetector(1, 8, 15, 10, 0.5)
                .detect(BlobReference.widen(BlobReference.synthetic()), 160, 120).blobs();
        double[][] gaussians = { { 30, 40, 3, 100 }, { 80, 50, 5, 80 }, { 60, 120, 2, 120 }, { 12, 150, 1.5, 60 } };
        for (double[] g : gaussians) {
            Blob blob = blobs.stream().filter(b -> b.row() == g[0] && b.column() == g[1]).findFirst().orElseThrow();
            assertEquals(g[2], blob.sigma(), 1e-12);
            assertEquals(g[3] / 2, blob.contrast(), g[3] / 2 * 0.01);
        }
        Blob disk = blobs.stream().filter(b -> b.row() == 25 && b.column() == 100).findFirst().orElseThrow();
        assertEquals(4.5, disk.sigma(), 1e-12);
        assertTrue(blobs.stream().noneMatch(b -> Math.abs(b.row() - 95) < 6 && Math.abs(b.column() - 125) < 6),
                "the dark blob is not a bright blob");
        assertEquals(6, blobs.size());
    }

    @Test
    void theKernelsAreScipys() {
        // scipy.ndimage._filters._gaussian_kernel1d(2.5, order, 10), SciPy 1.10.1.
        double[] second = GaussianKernels.secondDerivative(2.5);
        double[] smooth = GaussianKernels.smoothing(2.5);
        assertEquals(21, second.length);
        assertEquals(0.00012848004971898155, second[0], 1e-18);
        assertEquals(0.005468408399178336, second[7], 1e-17);
        assertEquals(-0.025532908692354434, second[10], 1e-17);
        assertEquals(5.353335404957565e-05, smooth[0], 1e-19);
        assertEquals(0.1595806793272152, smooth[10], 1e-16);
        // numpy.sum of x = arange(1, 140) ** 1.5 / 7 and of its first 65 and 5 values: bit for bit.
        double[] x = new double[139];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.pow(i + 1, 1.5) / 7.0;
        }
        assertEquals(13133.904766346619, GaussianKernels.pairwiseSum(x, 0, 139));
        assertEquals(1984.0316099221063, GaussianKernels.pairwiseSum(x, 0, 65));
        assertEquals(4.02927420499311, GaussianKernels.pairwiseSum(x, 0, 5));
    }

    @Test
    void scalesAreNumpysLinspace() {
        double[] scales = LogBlobDetector.scales(1, 8, 15);
        assertEquals(15, scales.length);
        assertEquals(1.0, scales[0]);
        assertEquals(4.5, scales[7]);
        assertEquals(8.0, scales[14]);
        assertEquals(3, LogBlobDetector.scales(3, 3, 1)[0]);
    }

    @Test
    void theReflectBorderRepeatsForShortLines() {
        assertEquals("[1, 0, 0, 1, 2, 2, 1]", java.util.Arrays.toString(ReflectFilter.reflectIndex(3, 2)));
        assertEquals("[0, 0, 0, 0, 0]", java.util.Arrays.toString(ReflectFilter.reflectIndex(1, 2)));
        // a b extended three each side: b b a | a b | b a a.
        assertEquals("[1, 1, 0, 0, 1, 1, 0, 0]", java.util.Arrays.toString(ReflectFilter.reflectIndex(2, 3)));
    }

    @Test
    void largeImagesFilteredInParallelGiveTheSequentialSums() {
        // 600 x 500 is above the size where rows are spread over the fork-join pool.
        int width = 600;
        int height = 500;
        java.util.Random random = new java.util.Random(7);
        double[] image = new double[width * height];
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextGaussian() * 100;
        }
        double[] taps = GaussianKernels.secondDerivative(3);
        int radius = taps.length / 2;
        double[] rows = new double[image.length];
        double[] columns = new double[image.length];
        ReflectFilter.alongRows(image, rows, width, height, taps, false);
        ReflectFilter.alongColumns(image, columns, width, height, taps);
        int[] across = ReflectFilter.reflectIndex(width, radius);
        int[] down = ReflectFilter.reflectIndex(height, radius);
        for (int y = 0; y < height; y += 7) {
            for (int x = 0; x < width; x += 5) {
                double alongRow = image[y * width + x] * taps[radius];
                double alongColumn = image[y * width + x] * taps[radius];
                for (int j = radius; j >= 1; j--) {
                    alongRow += (image[y * width + across[radius + x - j]] + image[y * width + across[radius + x + j]])
                            * taps[radius + j];
                    alongColumn += (image[down[radius + y - j] * width + x] + image[down[radius + y + j] * width + x])
                            * taps[radius + j];
                }
                assertEquals(alongRow, rows[y * width + x], 0.0, "row pass at " + x + "," + y);
                assertEquals(alongColumn, columns[y * width + x], 0.0, "column pass at " + x + "," + y);
            }
        }
    }

    @Test
    void constantAndTinyImagesGiveNoBlobsOrOne() {
        // The sampled second-derivative kernel does not sum to exactly 0 (in SciPy either): a flat 1000 responds
        // 0.144 at sigma 1 up to 1.281 at sigma 4, below this threshold.
        double[] flat = new double[50 * 40];
        java.util.Arrays.fill(flat, 1000);
        assertEquals(0, new LogBlobDetector(1, 4, 4, 2, 0.5).detect(flat, 50, 40).blobs().size());
        assertEquals(0, new LogBlobDetector(1, 4, 4, 0, 0.5).detect(new double[50 * 40], 50, 40).blobs().size());
        assertEquals(0, new LogBlobDetector(1, 4, 4, 1, 0.5).detect(new double[] { 5 }, 1, 1).blobs().size());
        double[] spike = new double[9 * 9];
        spike[40] = 100;
        List<Blob> one = new LogBlobDetector(1, 3, 5, 1, 0.5).detect(spike, 9, 9).blobs();
        assertEquals(1, one.size());
        assertEquals(4, one.get(0).row());
        assertEquals(4, one.get(0).column());
        double[] line = { 0, 0, 0, 50, 0, 0, 0 };
        assertEquals(1, new LogBlobDetector(1, 2, 3, 1, 0.5).detect(line, 7, 1).blobs().size());
        assertEquals(1, new LogBlobDetector(1, 2, 3, 1, 0.5).detect(line, 1, 7).blobs().size());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogBlobDetector(0, 2, 3, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LogBlobDetector(3, 2, 3, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LogBlobDetector(1, 2, 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LogBlobDetector(1, 2, 3, -1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LogBlobDetector(1, 2, 3, 1, 1.5));
    }
}

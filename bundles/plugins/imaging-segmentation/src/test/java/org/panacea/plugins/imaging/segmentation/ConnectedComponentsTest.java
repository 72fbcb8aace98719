package org.panacea.plugins.imaging.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

import ij.ImagePlus;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.FloatProcessor;
import ij.process.FloodFiller;
import ij.process.ImageProcessor;

/**
 * Checked against ImageJ 1.54p run on the same CT_small pixels in the test: 8-connected regions against its particle
 * analyser (the same regions in the same order, exact pixel counts and areas, means, bounding boxes and centroids
 * to 1e-9); 4-connected regions against its flood filler ({@code FloodFiller.fill}), whose regions the test
 * measures. (The particle analyser's {@code FOUR_CONNECTED} option traces 4-connected outlines but does not give
 * 4-connected components: it reports 40 regions where the flood filler and scipy.ndimage.label find 28.)
 */
class ConnectedComponentsTest {

    private final ConnectedComponents components = new ConnectedComponents();

    static Parameters parameters(double lower, double upper, String connectivity, int minPixels) {
        return new Parameters(Map.of("lower", lower, "upper", upper, "connectivity", connectivity, "min_pixels",
                minPixels));
    }

    /** ImageJ's particle table (calibrated: mm, mm2, HU) for stored values in {@code [lower, upper]}. */
    static ResultsTable imageJParticles(ImagePlus imp, int lowerStored, int upperStored, boolean fourConnected) {
        imp.getProcessor().setThreshold(lowerStored, upperStored, ImageProcessor.NO_LUT_UPDATE);
        ResultsTable table = new ResultsTable();
        int options = ParticleAnalyzer.SHOW_NONE | (fourConnected ? ParticleAnalyzer.FOUR_CONNECTED : 0);
        int measurements = Measurements.AREA | Measurements.MEAN | Measurements.RECT | Measurements.CENTROID;
        ParticleAnalyzer analyzer = new ParticleAnalyzer(options, measurements, table, 0, Double.POSITIVE_INFINITY);
        analyzer.setHideOutputImage(true);
        assertTrue(analyzer.analyze(imp, imp.getProcessor()), "ImageJ's particle analyser failed");
        return table;
    }

    /**
     * 4-connected regions by ImageJ's flood filler, in raster order of their first pixel, measured here as ImageJ's
     * particle analyser would (area, mean HU, bounding box, centroid in mm); columns as in its results table.
     */
    static ResultsTable imageJFloodFilled(short[] stored, int width, int height, int lowerStored, int upperStored) {
        FloatProcessor regions = new FloatProcessor(width, height);
        for (int i = 0; i < stored.length; i++) {
            regions.setf(i, stored[i] >= lowerStored && stored[i] <= upperStored ? 1 : 0);
        }
        FloodFiller filler = new FloodFiller(regions);
        int count = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (regions.getf(x, y) == 1) {
                    regions.setValue(++count + 1);
                    filler.fill(x, y);
                }
            }
        }
        // Per region: pixels, HU sum, x sum, y sum, min x, min y, max x, max y.
        double[][] sums = new double[count][8];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int region = (int) regions.getf(x, y) - 2;
                if (region >= 0) {
                    double[] s = sums[region];
                    if (s[0] == 0) {
                        s[4] = x;
                        s[5] = y;
                        s[6] = x;
                        s[7] = y;
                    }
                    s[0]++;
                    s[1] += stored[y * width + x] - 1024;
                    s[2] += x;
                    s[3] += y;
                    s[4] = Math.min(s[4], x);
                    s[5] = Math.min(s[5], y);
                    s[6] = Math.max(s[6], x);
                    s[7] = Math.max(s[7], y);
                }
            }
        }
        double d = CtSmall.SPACING;
        ResultsTable table = new ResultsTable();
        for (int r = 0; r < count; r++) {
            double[] s = sums[r];
            table.incrementCounter();
            table.addValue("Area", s[0] * d * d);
            table.addValue("Mean", s[1] / s[0]);
            table.addValue("BX", s[4] * d);
            table.addValue("BY", s[5] * d);
            table.addValue("Width", (s[6] - s[4] + 1) * d);
            table.addValue("Height", (s[7] - s[5] + 1) * d);
            table.addValue("X", (s[2] / s[0] + 0.5) * d);
            table.addValue("Y", (s[3] / s[0] + 0.5) * d);
        }
        return table;
    }

    static ResultsTable imageJRegions(short[] stored, int width, int height, int lowerStored, int upperStored,
            String connectivity) {
        return "4".equals(connectivity) ? imageJFloodFilled(stored, width, height, lowerStored, upperStored)
                : imageJParticles(CtSmall.imageJ(stored, width, height), lowerStored, upperStored, false);
    }

    static void assertSameAsImageJ(List<Finding> findings, ResultsTable table, double pixelArea) {
        assertEquals(table.size(), findings.size(), "region count");
        for (int r = 0; r < table.size(); r++) {
            Map<String, Double> ours = CtSmall.values(findings.get(r));
            String where = "region " + (r + 1);
            assertEquals(r + 1, ours.get("label"));
            assertEquals(Math.round(table.getValue("Area", r) / pixelArea), ours.get("pixels"), where + " pixels");
            assertEquals(table.getValue("Area", r), ours.get("area"), 1e-9, where + " area");
            assertEquals(table.getValue("Mean", r), ours.get("mean"), 1e-9, where + " mean");
            assertEquals(table.getValue("BX", r), ours.get("bbox_x"), 1e-9, where + " bbox x");
            assertEquals(table.getValue("BY", r), ours.get("bbox_y"), 1e-9, where + " bbox y");
            assertEquals(table.getValue("Width", r), ours.get("bbox_width"), 1e-9, where + " bbox width");
            assertEquals(table.getValue("Height", r), ours.get("bbox_height"), 1e-9, where + " bbox height");
            assertEquals(table.getValue("X", r), ours.get("centroid_x"), 1e-9, where + " centroid x");
            assertEquals(table.getValue("Y", r), ours.get("centroid_y"), 1e-9, where + " centroid y");
        }
    }

    @ParameterizedTest
    @CsvSource({ "100, 3000, 8, 27", "100, 3000, 4, 28", "30, 80, 8, 135", "30, 80, 4, 239",
            "-1000, -400, 8, 2", "-100, 100, 4, 25" })
    void matchesImageJsParticleAnalyserOnCtSmall(double lowerHu, double upperHu, String connectivity,
            int expectedRegions) throws Exception {
        Image ct = CtSmall.image();
        AlgorithmResult result = components.apply(ct, parameters(lowerHu, upperHu, connectivity, 1));
        ResultsTable table = imageJRegions(CtSmall.stored(), 128, 128, (int) lowerHu + 1024, (int) upperHu + 1024,
                connectivity);
        assertEquals(expectedRegions, result.findings().size());
        assertSameAsImageJ(result.findings(), table, CtSmall.SPACING * CtSmall.SPACING);
        assertEquals(expectedRegions, CtSmall.byName(result.measurements()).get("region_count").value());

        // The label image holds each region's pixels under its number.
        short[] labels = ((Pixels.Gray16) result.image().pixels()).values();
        Map<Integer, Integer> counted = new HashMap<>();
        for (short label : labels) {
            if (label != 0) {
                counted.merge(label & 0xFFFF, 1, Integer::sum);
            }
        }
        for (Finding finding : result.findings()) {
            Map<String, Double> m = CtSmall.values(finding);
            assertEquals(m.get("pixels").intValue(), counted.get(m.get("label").intValue()));
        }
        ImageMetadata metadata = result.image().metadata();
        assertEquals("CT", metadata.modality());
        assertEquals(CtSmall.SPACING, metadata.rowSpacing());
        assertEquals(16, metadata.bitsStored());
        assertEquals(1, metadata.rescaleSlope());
        assertEquals(0, metadata.rescaleIntercept());
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", metadata.sourceInstanceUid());
    }

    @Test
    void reportsUnitsOfMillimetresAndHounsfield() throws Exception {
        Finding first = components.apply(CtSmall.image(), parameters(100, 3000, "8", 1)).findings().get(0);
        Map<String, Measurement> m = CtSmall.byName(first.measurements());
        assertEquals("region 1", first.label());
        assertEquals("mm2", m.get("area").unit());
        assertEquals("[hnsf'U]", m.get("mean").unit());
        assertEquals("mm", m.get("bbox_width").unit());
        assertEquals("mm", m.get("centroid_y").unit());
    }

    @Test
    void largeImagesLabelledInParallelStripsMatchImageJ() throws Exception {
        // CT_small tiled 8 x 8 (1024 x 1024): past the parallel threshold; regions cross the strip seams.
        short[] tile = CtSmall.stored();
        int size = 1024;
        short[] tiled = new short[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                tiled[y * size + x] = tile[(y % 128) * 128 + x % 128];
            }
        }
        Image large = new Image(size, size, new Pixels.Gray16(tiled, true), CtSmall.image().metadata());
        for (String connectivity : List.of("4", "8")) {
            AlgorithmResult result = components.apply(large, parameters(-100, 100, connectivity, 1));
            ResultsTable table = imageJRegions(tiled, size, size, 924, 1124, connectivity);
            assertSameAsImageJ(result.findings(), table, CtSmall.SPACING * CtSmall.SPACING);
            // Capped at one thread (one strip, one band, no seams to join), the same regions and label image.
            System.setProperty(org.panacea.plugins.support.threads.ImagingThreads.PROPERTY, "1");
            AlgorithmResult single;
            try {
                single = components.apply(large, parameters(-100, 100, connectivity, 1));
            } finally {
                System.clearProperty(org.panacea.plugins.support.threads.ImagingThreads.PROPERTY);
            }
            assertSameAsImageJ(single.findings(), table, CtSmall.SPACING * CtSmall.SPACING);
            assertEquals(result.measurements(), single.measurements());
            assertTrue(java.util.Arrays.equals(((Pixels.Gray16) result.image().pixels()).values(),
                    ((Pixels.Gray16) single.image().pixels()).values()), "label images differ");
        }
    }

    @Test
    void smallRegionsAreDroppedAndTheRestRenumbered() throws Exception {
        List<Finding> all = components.apply(CtSmall.image(), parameters(30, 80, "8", 1)).findings();
        AlgorithmResult result = components.apply(CtSmall.image(), parameters(30, 80, "8", 10));
        List<Double> expected = all.stream().map(f -> CtSmall.values(f).get("pixels")).filter(p -> p >= 10)
                .toList();
        List<Double> kept = result.findings().stream().map(f -> CtSmall.values(f).get("pixels")).toList();
        assertEquals(expected, kept);
        int max = 0;
        for (short label : ((Pixels.Gray16) result.image().pixels()).values()) {
            max = Math.max(max, label & 0xFFFF);
        }
        assertEquals(kept.size(), max);
    }

    @Test
    void aCheckerboardIsOneRegionWith8ConnectivityAndManyWith4() throws Exception {
        // 5x5 checkerboard, foreground on even x + y: 13 pixels touching only by corners.
        byte[] board = new byte[25];
        for (int i = 0; i < 25; i++) {
            board[i] = (byte) (((i / 5 + i % 5) & 1) == 0 ? 200 : 10);
        }
        Image image = new Image(5, 5, new Pixels.Gray8(board), ImageMetadata.unknown(8));
        assertEquals(13, components.apply(image, parameters(100, 255, "4", 1)).findings().size());
        List<Finding> one = components.apply(image, parameters(100, 255, "8", 1)).findings();
        assertEquals(1, one.size());
        Map<String, Measurement> m = CtSmall.byName(one.get(0).measurements());
        assertEquals(13, m.get("area").value());
        assertEquals("{pixel}", m.get("area").unit(), "no spacing: pixels");
        assertEquals(5, m.get("bbox_width").value());
        assertEquals(2.5, m.get("centroid_x").value());
    }

    @Test
    void moreThan65535RegionsGiveARealLabelImage() throws Exception {
        int size = 400;
        byte[] board = new byte[size * size];
        for (int i = 0; i < board.length; i++) {
            board[i] = (byte) (((i / size + i % size) & 1) == 0 ? 1 : 0);
        }
        AlgorithmResult result = components.apply(new Image(size, size, new Pixels.Gray8(board),
                ImageMetadata.unknown(8)), parameters(1, 1, "4", 1));
        assertEquals(80000, result.findings().size());
        float[] labels = ((Pixels.Float32) result.image().pixels()).values();
        assertEquals(1f, labels[0]);
        assertEquals(80000f, labels[size * size - 1]);
        assertEquals(32, result.image().metadata().bitsStored());
    }

    @Test
    void everyPixelKindAndTinySizesGiveTheSameRegions() throws Exception {
        double[] values = { 5, 0, 5, 5, 0, 0, 5 };
        Pixels[] kinds = { new Pixels.Gray8(new byte[] { 5, 0, 5, 5, 0, 0, 5 }),
                new Pixels.Gray16(new short[] { 5, 0, 5, 5, 0, 0, 5 }, true),
                new Pixels.Gray16(new short[] { 5, 0, 5, 5, 0, 0, 5 }, false),
                new Pixels.Float32(new float[] { 5, 0, 5, 5, 0, 0, 5 }) };
        for (Pixels pixels : kinds) {
            for (int[] size : new int[][] { { 7, 1 }, { 1, 7 } }) {
                AlgorithmResult result = components.apply(new Image(size[0], size[1], pixels,
                        ImageMetadata.unknown(16)), parameters(4.5, 5.5, "8", 1));
                assertEquals(3, result.findings().size(), pixels.getClass().getSimpleName());
                assertEquals(values.length, result.image().pixels().length());
            }
        }
        AlgorithmResult single = components.apply(new Image(1, 1, new Pixels.Gray8(new byte[] { 9 }),
                ImageMetadata.unknown(8)), parameters(0, 10, "4", 1));
        assertEquals(1, single.findings().size());
        AlgorithmResult none = components.apply(new Image(1, 1, new Pixels.Gray8(new byte[] { 9 }),
                ImageMetadata.unknown(8)), parameters(10, 20, "4", 1));
        assertEquals(0, none.findings().size());
    }

    @Test
    void signedSixteenBitValuesAreRescaled() throws Exception {
        short[] values = { -32768, -1000, 32767, -1000 };
        ImageMetadata metadata = new ImageMetadata("CT", 0.5, 0.25, 2, -10, "HU", Double.NaN, Double.NaN, 16, "");
        AlgorithmResult result = components.apply(new Image(2, 2, new Pixels.Gray16(values, true), metadata),
                parameters(-2010, -2010, "4", 1));
        Map<String, Double> region = CtSmall.values(result.findings().get(0));
        assertEquals(1, result.findings().size(), "the two -1000 pixels (-2010 HU) are one above the other");
        assertEquals(2 * 0.5 * 0.25, region.get("area"));
        assertEquals(0.25, region.get("bbox_width"), "one column of 0.25 mm");
        assertEquals(1.0, region.get("bbox_height"), "two rows of 0.5 mm");
        assertEquals(-2010, region.get("mean"));
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        Image image = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        AlgorithmException order = assertThrows(AlgorithmException.class,
                () -> components.apply(image, parameters(5, 4, "8", 1)));
        assertTrue(order.getMessage().contains("lower must be at most upper"), order.getMessage());
        AlgorithmException nan = assertThrows(AlgorithmException.class,
                () -> components.apply(image, parameters(Double.NaN, 4, "8", 1)));
        assertTrue(nan.getMessage().contains("lower and upper must be finite"), nan.getMessage());
        AlgorithmException connectivity = assertThrows(AlgorithmException.class,
                () -> components.apply(image, parameters(0, 4, "6", 1)));
        assertTrue(connectivity.getMessage().contains("connectivity must be 4 or 8"), connectivity.getMessage());
        AlgorithmException minimum = assertThrows(AlgorithmException.class,
                () -> components.apply(image, parameters(0, 4, "8", 0)));
        assertTrue(minimum.getMessage().contains("min_pixels must be between 1 and"), minimum.getMessage());
    }
}

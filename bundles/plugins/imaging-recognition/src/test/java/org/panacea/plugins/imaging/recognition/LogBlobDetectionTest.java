package org.panacea.plugins.imaging.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

class LogBlobDetectionTest {

    private static final double SPACING = 0.661468;

    private final LogBlobDetection detection = new LogBlobDetection();

    private static Parameters parameters(double minSigma, double maxSigma, int count, double threshold,
            double overlap) {
        return new Parameters(Map.of("min_sigma", minSigma, "max_sigma", maxSigma, "num_sigma", count, "threshold",
                threshold, "overlap", overlap));
    }

    private static Map<String, Measurement> byName(Finding finding) {
        return finding.measurements().stream().collect(Collectors.toMap(Measurement::name, m -> m));
    }

    private static Image ctSmall() throws Exception {
        return new Image(128, 128, new Pixels.Gray16(BlobReference.ctSmallStored(), true),
                new ImageMetadata("CT", SPACING, SPACING, 1, -1024, "HU", Double.NaN, Double.NaN, 16, "1.2.3"));
    }

    @Test
    void reportsScikitImagesBlobsOnCtSmallInMillimetres() throws Exception {
        AlgorithmResult result = detection.apply(ctSmall(), parameters(1, 5, 9, 100, 0.5));
        List<Blob> reference = BlobReference.blobs("blobs_ct_small_s1-5_n9_t100_o0.5.csv");
        assertEquals(reference.size(), result.findings().size());
        assertEquals(reference.size(), result.measurements().get(0).value());
        Map<String, Blob> byPosition = new HashMap<>();
        reference.forEach(b -> byPosition.put(b.row() + "," + b.column(), b));
        double previous = Double.POSITIVE_INFINITY;
        for (Finding finding : result.findings()) {
            Map<String, Measurement> m = byName(finding);
            int row = (int) m.get("row").value();
            int column = (int) m.get("column").value();
            Blob expected = byPosition.get(row + "," + column);
            assertEquals(expected.sigma(), m.get("sigma").value(), 1e-12);
            assertEquals(expected.contrast(), m.get("contrast").value(), 1e-9 * expected.contrast());
            assertEquals((column + 0.5) * SPACING, m.get("x").value(), 1e-12);
            assertEquals((row + 0.5) * SPACING, m.get("y").value(), 1e-12);
            assertEquals(expected.sigma() * Math.sqrt(2) * SPACING, m.get("radius").value(), 1e-12);
            assertEquals("mm", m.get("radius").unit());
            assertEquals("[hnsf'U]", m.get("contrast").unit());
            assertTrue(m.get("contrast").value() <= previous, "strongest first");
            previous = m.get("contrast").value();
        }
        Image response = result.image();
        assertEquals(32, response.metadata().bitsStored());
        assertEquals("HU", response.metadata().rescaleUnit());
        assertEquals(0, response.metadata().rescaleIntercept());
        assertEquals(SPACING, response.metadata().rowSpacing());
        assertEquals("1.2.3", response.metadata().sourceInstanceUid());
        // The response image holds each blob's contrast at its centre (as float).
        float[] strongest = ((Pixels.Float32) response.pixels()).values();
        Map<String, Measurement> first = byName(result.findings().get(0));
        assertEquals((float) first.get("contrast").value(),
                strongest[(int) first.get("row").value() * 128 + (int) first.get("column").value()]);
    }

    @Test
    void everyPixelKindGivesTheSameBlob() throws Exception {
        int size = 15;
        byte[] b = new byte[size * size];
        short[] s = new short[size * size];
        float[] f = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = (int) Math.round(200 * Math.exp(-((x - 7) * (x - 7) + (y - 6) * (y - 6)) / 8.0));
                b[y * size + x] = (byte) v;
                s[y * size + x] = (short) v;
                f[y * size + x] = v;
            }
        }
        for (Pixels pixels : new Pixels[] { new Pixels.Gray8(b), new Pixels.Gray16(s, true),
                new Pixels.Gray16(s, false), new Pixels.Float32(f) }) {
            AlgorithmResult result = detection.apply(new Image(size, size, pixels, ImageMetadata.unknown(16)),
                    parameters(1, 4, 7, 10, 0.5));
            assertEquals(1, result.findings().size(), pixels.getClass().getSimpleName());
            Map<String, Measurement> m = byName(result.findings().get(0));
            assertEquals(6, m.get("row").value());
            assertEquals(7, m.get("column").value());
            assertEquals(2.0, m.get("sigma").value(), 1e-12);
            assertEquals("{pixel}", m.get("x").unit(), "no spacing");
            assertEquals(7.5, m.get("x").value());
        }
        AlgorithmResult tiny = detection.apply(new Image(1, 1, new Pixels.Gray8(new byte[] { 9 }),
                ImageMetadata.unknown(8)), parameters(1, 2, 2, 1, 0.5));
        assertEquals(0, tiny.findings().size());
        AlgorithmResult line = detection.apply(new Image(9, 1, new Pixels.Float32(new float[] { 0, 0, 0, 0, 90, 0,
                0, 0, 0 }), ImageMetadata.unknown(32)), parameters(1, 2, 3, 1, 0.5));
        assertEquals(1, line.findings().size());
        assertEquals(4, byName(line.findings().get(0)).get("column").value());
    }

    @Test
    void badParametersAreRefusedNamingTheParameterAndRange() {
        Image image = new Image(2, 2, new Pixels.Gray8(new byte[4]), ImageMetadata.unknown(8));
        String[][] cases = { { "0.1", "8", "15", "30", "0.5", "min_sigma must be between 0.5 and 50.0" },
                { "4", "3", "15", "30", "0.5", "max_sigma must be between min_sigma (4.0) and 50.0" },
                { "1", "8", "0", "30", "0.5", "num_sigma must be between 1 and 50" },
                { "1", "8", "15", "-1", "0.5", "threshold must be a finite value of 0 or more" },
                { "1", "8", "15", "30", "1.5", "overlap must be between 0 and 1" } };
        for (String[] c : cases) {
            AlgorithmException e = assertThrows(AlgorithmException.class, () -> detection.apply(image,
                    parameters(Double.parseDouble(c[0]), Double.parseDouble(c[1]), Integer.parseInt(c[2]),
                            Double.parseDouble(c[3]), Double.parseDouble(c[4]))));
            assertTrue(e.getMessage().contains(c[5]), e.getMessage());
        }
    }

    @Test
    void describesItself() {
        assertEquals("imaging.log-blobs", detection.descriptor().id());
        assertEquals(5, detection.descriptor().parameters().size());
    }
}

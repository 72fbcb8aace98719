package org.panacea.plugins.imaging.frequency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/** Checked against NumPy's {@code ifft2(fft2(image) * H)} on CT_small ({@code filter_reference.csv}). */
class FrequencyFilterTest {

    private static final int[][] POINTS = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 3, 5 }, { 10, 20 }, { 31, 17 },
            { 64, 64 }, { 100, 100 }, { 127, 127 }, { 127, 0 } };

    private final FrequencyFilter filter = new FrequencyFilter();

    @BeforeEach
    void activate() {
        filter.activate();
    }

    @AfterEach
    void deactivate() {
        filter.deactivate();
    }

    static Parameters settings(String pass, String shape, String units, double cutoff, double upper) {
        return new Parameters(Map.of("pass", pass, "shape", shape, "units", units, "cutoff", cutoff,
                "upper_cutoff", upper));
    }

    private static List<Map<String, String>> reference() throws Exception {
        String[] lines = new String(CtSmall.resource("filter_reference.csv"), StandardCharsets.UTF_8).split("\n");
        String[] header = lines[0].split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int l = 1; l < lines.length; l++) {
            String[] fields = lines[l].split(",");
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], fields[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void everyPassAndShapeMatchesNumpyOnCtSmall() throws Exception {
        List<Map<String, String>> cases = reference();
        assertEquals(6, cases.size());
        for (Map<String, String> c : cases) {
            String name = c.get("pass") + " " + c.get("shape") + " " + c.get("cutoff");
            AlgorithmResult result = filter.apply(CtSmall.image(), settings(c.get("pass"), c.get("shape"),
                    "cycles_per_pixel", Double.parseDouble(c.get("cutoff")), Double.parseDouble(c.get("upper_cutoff"))
                            + 0.0));
            float[] out = ((Pixels.Float32) result.image().pixels()).values();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : out) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            // Float output: about 1e-4 at values up to 2000.
            assertEquals(Double.parseDouble(c.get("sum")), sum, 0.5, name + " sum");
            assertEquals(Double.parseDouble(c.get("min")), min, 2e-4, name + " min");
            assertEquals(Double.parseDouble(c.get("max")), max, 2e-4, name + " max");
            for (int[] p : POINTS) {
                assertEquals(Double.parseDouble(c.get("v" + p[0] + "_" + p[1])), out[p[0] * 128 + p[1]], 2e-4,
                        name + " at " + p[0] + "," + p[1]);
            }
            assertEquals(Double.parseDouble(c.get("energy_kept")), result.measurements().get(0).value(), 1e-12,
                    name + " energy kept");
        }
    }

    @Test
    void anAllPassingFilterReturnsTheImageBitForBit() throws Exception {
        Image ct = CtSmall.image();
        AlgorithmResult result = filter.apply(ct, settings("lowpass", "ideal", "cycles_per_pixel", 0.7072, 0));
        float[] out = ((Pixels.Float32) result.image().pixels()).values();
        short[] stored = CtSmall.stored();
        for (int i = 0; i < stored.length; i++) {
            assertEquals(stored[i], out[i], "sample " + i);
        }
        assertEquals(1.0, result.measurements().get(0).value(), 1e-15);
        ImageMetadata metadata = result.image().metadata();
        assertEquals(-1024, metadata.rescaleIntercept(), "values stay in stored units");
        assertEquals(40, metadata.windowCenter());
        assertEquals(32, metadata.bitsStored());
    }

    @Test
    void cutoffsInCyclesPerMillimetreAreCutoffsPerPixelDividedBySpacing() throws Exception {
        float[] perPixel = ((Pixels.Float32) filter.apply(CtSmall.image(),
                settings("bandpass", "gaussian", "cycles_per_pixel", 0.05, 0.2)).image().pixels()).values();
        float[] perMm = ((Pixels.Float32) filter.apply(CtSmall.image(), settings("bandpass", "gaussian",
                "cycles_per_mm", 0.05 / CtSmall.SPACING, 0.2 / CtSmall.SPACING)).image().pixels()).values();
        for (int i = 0; i < perPixel.length; i++) {
            assertEquals(perPixel[i], perMm[i], 1e-3f);
        }
    }

    @Test
    void aHighPassRemovesTheMeanAndALowPassKeepsIt() throws Exception {
        float[] high = ((Pixels.Float32) filter.apply(CtSmall.image(),
                settings("highpass", "gaussian", "cycles_per_pixel", 0.1, 0)).image().pixels()).values();
        double sum = 0;
        for (float v : high) {
            sum += v;
        }
        assertEquals(0, sum / high.length, 1e-4);
    }

    @Test
    void everyPixelKindAndTinyImagesWork() throws Exception {
        Pixels[] kinds = { new Pixels.Gray8(new byte[] { 10, 20, 30 }),
                new Pixels.Gray16(new short[] { 10, 20, 30 }, true),
                new Pixels.Gray16(new short[] { 10, 20, 30 }, false),
                new Pixels.Float32(new float[] { 10, 20, 30 }) };
        for (Pixels pixels : kinds) {
            for (int[] size : new int[][] { { 3, 1 }, { 1, 3 } }) {
                float[] low = ((Pixels.Float32) filter.apply(new Image(size[0], size[1], pixels,
                        ImageMetadata.unknown(16)), settings("lowpass", "ideal", "cycles_per_pixel", 0.1, 0)).image()
                        .pixels()).values();
                // Only the DC term passes: the mean everywhere.
                for (float v : low) {
                    assertEquals(20f, v, 1e-4f);
                }
            }
        }
        float[] one = ((Pixels.Float32) filter.apply(new Image(1, 1, new Pixels.Gray8(new byte[] { 7 }),
                ImageMetadata.unknown(8)), settings("highpass", "gaussian", "cycles_per_pixel", 0.1, 0)).image()
                .pixels()).values();
        assertEquals(0f, one[0], 1e-6f);
    }

    @Test
    void badSettingsAreRefusedNamingTheParameter() {
        Image one = new Image(1, 1, new Pixels.Gray8(new byte[1]), ImageMetadata.unknown(8));
        String[][] cases = { { "lowpass", "ideal", "cycles_per_pixel", "0", "0", "cutoff must be a finite frequency" },
                { "bandpass", "ideal", "cycles_per_pixel", "0.2", "0.1", "upper_cutoff must be a finite frequency "
                        + "greater than cutoff (0.2)" },
                { "lowpass", "ideal", "cycles_per_mm", "0.2", "0", "units cycles_per_mm needs the pixel spacing" },
                { "notch", "ideal", "cycles_per_pixel", "0.2", "0", "pass must be lowpass, highpass or bandpass" },
                { "lowpass", "butterworth", "cycles_per_pixel", "0.2", "0", "shape must be ideal or gaussian" },
                { "lowpass", "ideal", "hertz", "0.2", "0", "units must be cycles_per_pixel or cycles_per_mm" } };
        for (String[] c : cases) {
            AlgorithmException e = assertThrows(AlgorithmException.class, () -> filter.apply(one,
                    settings(c[0], c[1], c[2], Double.parseDouble(c[3]), Double.parseDouble(c[4]))));
            assertTrue(e.getMessage().contains(c[5]), e.getMessage());
        }
    }
}

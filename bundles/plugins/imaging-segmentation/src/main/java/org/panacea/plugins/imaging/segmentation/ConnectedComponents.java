package org.panacea.plugins.imaging.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Connected-component labelling of a threshold mask, with per-region measurements. Regions are numbered 1, 2, ...
 * in the raster order of their first pixel (as ImageJ's particle analyser does); regions smaller than
 * {@code min_pixels} are dropped (background in the label image) before numbering.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + ConnectedComponents.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + ConnectedComponents.VERSION })
public class ConnectedComponents implements ImagingAlgorithm {

    static final String ID = "imaging.connected-components";
    static final String VERSION = "1.0.0";

    /** Label values a 32-bit float holds exactly. */
    static final int MAX_FLOAT_LABEL = 1 << 24;
    static final int MAX_MIN_PIXELS = 1 << 30;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION,
            "Connected components", "Panacea",
            "Labels the connected regions of the threshold mask lower <= stored * slope + intercept <= upper "
                    + "(rescaled units, HU for CT; bounds inclusive), 4- or 8-connected. Regions smaller than "
                    + "min_pixels are dropped; the rest are numbered 1, 2, ... in the raster order of their first "
                    + "pixel (top to bottom, left to right, as ImageJ's particle analyser). Output: label image, "
                    + "0 = background, unsigned 16-bit when there are at most 65535 regions, else 32-bit real "
                    + "(exact up to 16777216 regions); it keeps the input's modality, spacing and source "
                    + "instance. One finding per region: label, pixels, area (mm2), mean rescaled value, bounding "
                    + "box bbox_x, bbox_y, bbox_width, bbox_height (mm, whole pixels, from the image's top-left "
                    + "corner) and centroid_x, centroid_y (mm, mean of pixel centres); lengths and areas are in "
                    + "pixels when the spacing is unknown. Measurements: region_count, foreground_pixels",
            "Counting and measuring structures selected by value (calcifications, bone fragments, contrast-filled "
                    + "vessels) for research and quantitative reports; not a diagnostic segmentation",
            List.of(FixedThreshold.LOWER, FixedThreshold.UPPER,
                    ParameterSpec.choice("connectivity",
                            "4 = pixels touching by an edge are connected; 8 = by an edge or a corner", "8",
                            List.of("4", "8")),
                    ParameterSpec.integer("min_pixels",
                            "smallest region reported, in pixels (1 to 2^30); smaller regions become background",
                            1, MAX_MIN_PIXELS, 1)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        ImageMetadata metadata = image.metadata();
        ValueWindow window = ValueWindow.of(parameters.decimal("lower"), parameters.decimal("upper"), metadata);
        boolean eightConnected = Connectivity.eightConnected(parameters.text("connectivity"));
        int minPixels = parameters.integer("min_pixels");
        if (minPixels < 1 || minPixels > MAX_MIN_PIXELS) {
            throw new AlgorithmException("min_pixels must be between 1 and " + MAX_MIN_PIXELS + ", was " + minPixels);
        }
        Pixels pixels = image.pixels();
        int width = image.width();
        int height = image.height();
        int[] count = new int[1];
        int[] labels = ComponentLabeller.label(pixels, width, height, window, eightConnected, count);
        if (Thread.currentThread().isInterrupted()) {
            throw new AlgorithmException("connected components interrupted (time limit)");
        }
        RegionStatistics statistics = statistics(labels, count[0], pixels, width, height, window);
        // Number the regions that are kept, in the same (raster) order.
        int[] number = new int[count[0] + 1];
        List<Finding> findings = new ArrayList<>();
        int kept = 0;
        long foreground = 0;
        for (int label = 1; label <= count[0]; label++) {
            if (statistics.pixels(label) >= minPixels) {
                number[label] = ++kept;
                foreground += statistics.pixels(label);
                findings.add(statistics.finding(label, kept, metadata));
            }
        }
        if (kept > MAX_FLOAT_LABEL) {
            throw new AlgorithmException("the mask has " + kept + " regions, more than a label image can number ("
                    + MAX_FLOAT_LABEL + "): raise min_pixels or narrow lower/upper");
        }
        Pixels labelPixels;
        ImageMetadata labelMetadata;
        int bands = bands(labels.length);
        if (kept <= 0xFFFF) {
            short[] out = new short[labels.length];
            inBands(bands, labels.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = (short) number[labels[i]];
                }
            });
            labelPixels = new Pixels.Gray16(out, false);
            labelMetadata = Units.classes(metadata, 16);
        } else {
            float[] out = new float[labels.length];
            inBands(bands, labels.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = number[labels[i]];
                }
            });
            labelPixels = new Pixels.Float32(out);
            labelMetadata = Units.classes(metadata, 32);
        }
        return new AlgorithmResult(new Image(width, height, labelPixels, labelMetadata),
                List.of(new Measurement("region_count", kept, ""),
                        new Measurement("foreground_pixels", foreground, Units.PIXEL)),
                findings);
    }

    /** From a 362x362 image up, the passes over the labels run in bands on every core (measured on 2 cores). */
    private static final int PARALLEL_PIXELS = 1 << 17;

    private static int bands(int pixels) {
        int threads = ImagingThreads.available();
        return pixels >= PARALLEL_PIXELS && threads > 1 ? 2 * threads : 1;
    }

    /** Work on pixel indices {@code from} (inclusive) to {@code to} (exclusive). */
    private interface Band {
        void run(int from, int to);
    }

    private static void inBands(int bands, int pixels, Band band) {
        IntStream indices = IntStream.range(0, bands);
        (bands > 1 ? indices.parallel() : indices).forEach(b -> band.run((int) ((long) pixels * b / bands),
                (int) ((long) pixels * (b + 1) / bands)));
    }

    /**
     * The regions' sums, gathered in row bands on every core for large images when the regions are few enough
     * that one table per band costs little (each band's table has a slot per region), then merged.
     */
    private static RegionStatistics statistics(int[] labels, int regions, Pixels pixels, int width, int height,
            ValueWindow window) {
        int bands = (long) regions * 64 <= labels.length ? Math.min(bands(labels.length), height) : 1;
        RegionStatistics[] partial = new RegionStatistics[bands];
        IntStream indices = IntStream.range(0, bands);
        (bands > 1 ? indices.parallel() : indices).forEach(b -> {
            RegionStatistics statistics = new RegionStatistics(regions);
            for (int y = height * b / bands, end = height * (b + 1) / bands; y < end; y++) {
                for (int x = 0, i = y * width; x < width; x++, i++) {
                    if (labels[i] != 0) {
                        statistics.add(labels[i], x, y, window.rescaled(pixels, i));
                    }
                }
            }
            partial[b] = statistics;
        });
        for (int b = 1; b < bands; b++) {
            partial[0].merge(partial[b]);
        }
        return partial[0];
    }
}

package org.panacea.plugins.imaging.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.plugins.support.pixels.PixelLoops;
import org.panacea.plugins.support.pixels.WindowTally;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Fixed threshold on rescaled values: the mask is 255 where {@code lower <= stored * slope + intercept <= upper}
 * (HU for CT), 0 elsewhere.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + FixedThreshold.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + FixedThreshold.VERSION })
public class FixedThreshold implements ImagingAlgorithm {

    static final String ID = "imaging.threshold";
    static final String VERSION = "1.0.0";

    static final ParameterSpec LOWER = ParameterSpec.decimal("lower",
            "lowest value counted as foreground, inclusive, in rescaled units (stored * slope + intercept: HU for "
                    + "CT; the stored value when the image has no rescale); any finite value up to upper",
            "", null, null, null);
    static final ParameterSpec UPPER = ParameterSpec.decimal("upper",
            "highest value counted as foreground, inclusive, in rescaled units; any finite value from lower on",
            "", null, null, null);

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Threshold", "Panacea",
            "Fixed threshold on rescaled values (stored * slope + intercept, so HU for CT): output 8-bit mask, "
                    + "255 where lower <= value <= upper (both inclusive), 0 elsewhere; the mask keeps the "
                    + "input's modality, spacing and source instance, without rescale or window. Reports the "
                    + "foreground pixel count, its area in mm2 (when the pixel spacing is known) and its mean "
                    + "rescaled value",
            "Selecting tissue classes by value (bone above 300 HU, fat -190 to -30 HU) for display, research and "
                    + "as input to other algorithms; not a diagnostic segmentation",
            List.of(LOWER, UPPER));

    /**
     * From a 1024x1024 image up, the mask is made in chunks on every core; below, one core is faster than the
     * hand-over (512x512: 0.039 ms on one, 0.080 ms on two, measured on 2 cores).
     */
    private static final int PARALLEL_PIXELS = 1 << 20;

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        ImageMetadata metadata = image.metadata();
        ValueWindow window = ValueWindow.of(parameters.decimal("lower"), parameters.decimal("upper"), metadata);
        Pixels pixels = image.pixels();
        int n = pixels.length();
        byte[] mask = new byte[n];
        // Chunks of the pixel array, in parallel for large images; each counts its foreground and sums its values.
        int threads = ImagingThreads.available();
        int chunks = n >= PARALLEL_PIXELS && threads > 1 ? 2 * threads : 1;
        long[] counts = new long[chunks];
        double[] sums = new double[chunks];
        IntStream indices = IntStream.range(0, chunks);
        (chunks > 1 ? indices.parallel() : indices).forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            threshold(pixels, window, mask, from, to, counts, sums, c);
        });
        long foreground = 0;
        double sum = 0;
        for (int c = 0; c < chunks; c++) {
            foreground += counts[c];
            sum += sums[c];
        }
        List<Measurement> measurements = new ArrayList<>();
        measurements.add(new Measurement("foreground_pixels", foreground, Units.PIXEL));
        if (Units.hasSpacing(metadata)) {
            measurements.add(new Measurement("foreground_area",
                    foreground * metadata.rowSpacing() * metadata.columnSpacing(), Units.MM2));
        }
        if (foreground > 0) {
            measurements.add(new Measurement("foreground_mean", sum / foreground, Units.rescaled(metadata)));
        }
        return new AlgorithmResult(new Image(image.width(), image.height(), new Pixels.Gray8(mask),
                Units.classes(metadata, 8)), measurements, List.of());
    }

    /**
     * Masks pixels {@code from} to {@code to - 1}; stores their foreground count and sum of rescaled values at
     * {@code chunk}. Integer samples are compared as stored values against the run of stored values whose rescaled
     * value is inside the window (the same decisions as computing each value; see
     * {@link ValueWindow#storedRange}), on the Vector API where the JVM has it.
     */
    private static void threshold(Pixels pixels, ValueWindow window, byte[] mask, int from, int to, long[] counts,
            double[] sums, int chunk) {
        if (pixels instanceof Pixels.Float32 real) {
            float[] v = real.values();
            long count = 0;
            double sum = 0;
            for (int i = from; i < to; i++) {
                double value = v[i] * window.slope() + window.intercept();
                if (window.includes(value)) {
                    mask[i] = (byte) 255;
                    count++;
                    sum += value;
                }
            }
            counts[chunk] = count;
            sums[chunk] = sum;
            return;
        }
        WindowTally tally;
        if (pixels instanceof Pixels.Gray16 gray) {
            long[] range = gray.signed() ? window.storedRange(Short.MIN_VALUE, Short.MAX_VALUE)
                    : window.storedRange(0, 0xFFFF);
            tally = PixelLoops.window(gray.values(), gray.signed(), range[0], range[1], mask, from, to);
        } else {
            long[] range = window.storedRange(0, 0xFF);
            tally = PixelLoops.window(((Pixels.Gray8) pixels).values(), range[0], range[1], mask, from, to);
        }
        counts[chunk] = tally.count();
        sums[chunk] = tally.sum() * window.slope() + tally.count() * window.intercept();
    }
}

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

    private static final int PARALLEL_PIXELS = 1 << 20;
    private static final int CHUNKS = 64;

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
        byte[] inside = table(pixels, window);
        // Chunks of the pixel array, in parallel for large images; each counts its foreground and sums its values.
        int chunks = n >= PARALLEL_PIXELS ? CHUNKS : 1;
        long[] counts = new long[chunks];
        double[] sums = new double[chunks];
        IntStream indices = IntStream.range(0, chunks);
        (chunks > 1 ? indices.parallel() : indices).forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            threshold(pixels, window, inside, mask, from, to, counts, sums, c);
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
     * The mask byte per stored value for integer samples (-1, i.e. 255, inside; see {@link ValueWindow#table});
     * null for real ones.
     */
    private static byte[] table(Pixels pixels, ValueWindow window) {
        boolean[] inside;
        if (pixels instanceof Pixels.Gray8) {
            inside = window.table(0, 256);
        } else if (pixels instanceof Pixels.Gray16) {
            inside = window.table(((Pixels.Gray16) pixels).signed() ? 32768 : 0, 65536);
        } else {
            return null;
        }
        byte[] mask = new byte[inside.length];
        for (int k = 0; k < inside.length; k++) {
            mask[k] = inside[k] ? (byte) -1 : 0;
        }
        return mask;
    }

    /**
     * Masks pixels {@code from} to {@code to - 1}; stores their foreground count and sum of rescaled values at
     * {@code chunk}. Integer samples are decided by table lookup (same decisions as computing each value).
     */
    private static void threshold(Pixels pixels, ValueWindow window, byte[] inside, byte[] mask, int from, int to,
            long[] counts, double[] sums, int chunk) {
        long count = 0;
        long storedSum = 0;
        double realSum = 0;
        if (pixels instanceof Pixels.Gray8) {
            byte[] v = ((Pixels.Gray8) pixels).values();
            for (int i = from; i < to; i++) {
                int s = v[i] & 0xFF;
                byte m = inside[s];
                // Branch-free: m is 0 or -1 (255), so noise at the window's edges costs no mispredictions.
                mask[i] = m;
                count -= m;
                storedSum += s & m;
            }
        } else if (pixels instanceof Pixels.Gray16) {
            Pixels.Gray16 gray = (Pixels.Gray16) pixels;
            short[] v = gray.values();
            int offset = gray.signed() ? 32768 : 0;
            int bits = gray.signed() ? 0xFFFFFFFF : 0xFFFF;
            for (int i = from; i < to; i++) {
                int s = v[i] & bits;
                byte m = inside[s + offset];
                mask[i] = m;
                count -= m;
                storedSum += s & m;
            }
        } else {
            float[] v = ((Pixels.Float32) pixels).values();
            for (int i = from; i < to; i++) {
                double value = v[i] * window.slope() + window.intercept();
                if (window.includes(value)) {
                    mask[i] = (byte) 255;
                    count++;
                    realSum += value;
                }
            }
        }
        counts[chunk] = count;
        sums[chunk] = pixels instanceof Pixels.Float32 ? realSum
                : storedSum * window.slope() + count * window.intercept();
    }
}

package org.panacea.plugins.imaging.filters;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Otsu's threshold on the exact integer histogram of the stored values: one bin per integer from the image's minimum
 * to its maximum (no binning, no rescale). The threshold {@code t} maximises the between-class variance with class 0
 * = {@code value <= t}; the first maximum wins ties. The output is an 8-bit mask, 255 where {@code value > t}, 0
 * elsewhere, with the threshold in stored and rescaled units and the foreground pixel count as measurements. Real
 * (32-bit float) images are refused: they have no integer histogram.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + OtsuThreshold.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + OtsuThreshold.VERSION })
public class OtsuThreshold implements ImagingAlgorithm {

    static final String ID = "imaging.otsu-threshold";
    static final String VERSION = "1.0.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Otsu threshold", "Panacea",
            "Otsu's method on the exact integer histogram of stored values (one bin per integer from the image's "
                    + "minimum to maximum, no rescale); class 0 is value <= threshold; output 8-bit mask, 255 where "
                    + "value > threshold; reports the threshold in stored and rescaled units and the foreground "
                    + "pixel count. Needs integer samples (8 or 16 bit)",
            "Automatic foreground/background separation for research and pre-processing; not a diagnostic "
                    + "segmentation",
            List.of());

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        Pixels pixels = image.pixels();
        if (pixels instanceof Pixels.Float32) {
            throw new AlgorithmException("Otsu threshold needs integer samples (8 or 16 bit stored values); "
                    + "this image has 32-bit real samples");
        }
        int n = pixels.length();
        int[] values = new int[n];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int v = (int) pixels.sample(i);
            values[i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min == max) {
            throw new AlgorithmException("Otsu threshold needs at least two different values; every pixel is " + min);
        }
        long[] histogram = new long[max - min + 1];
        for (int v : values) {
            histogram[v - min]++;
        }
        int threshold = threshold(histogram, min);

        byte[] mask = new byte[n];
        long foreground = 0;
        for (int i = 0; i < n; i++) {
            if (values[i] > threshold) {
                mask[i] = (byte) 255;
                foreground++;
            }
        }
        ImageMetadata in = image.metadata();
        ImageMetadata binary = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, 8, in.sourceInstanceUid());
        String unit = "HU".equals(in.rescaleUnit()) ? "[hnsf'U]" : in.rescaleUnit();
        return new AlgorithmResult(new Image(image.width(), image.height(), new Pixels.Gray8(mask), binary),
                List.of(new Measurement("threshold", threshold, ""),
                        new Measurement("threshold_rescaled", threshold * in.rescaleSlope() + in.rescaleIntercept(),
                                unit),
                        new Measurement("foreground_pixels", foreground, "")),
                List.of());
    }

    /**
     * The value {@code t} (between {@code first} and the last bin's value minus one) that maximises
     * {@code w0 w1 (mu0 - mu1)^2} with class 0 the bins up to and including {@code t}.
     */
    static int threshold(long[] histogram, int first) {
        long total = 0;
        double totalSum = 0;
        for (int i = 0; i < histogram.length; i++) {
            total += histogram[i];
            totalSum += (double) histogram[i] * (first + i);
        }
        long count0 = 0;
        double sum0 = 0;
        double best = -1;
        int bestIndex = 0;
        for (int i = 0; i < histogram.length - 1; i++) {
            count0 += histogram[i];
            sum0 += (double) histogram[i] * (first + i);
            long count1 = total - count0;
            if (count0 == 0 || count1 == 0) {
                continue;
            }
            double w0 = (double) count0 / total;
            double w1 = (double) count1 / total;
            double difference = sum0 / count0 - (totalSum - sum0) / count1;
            double between = w0 * w1 * difference * difference;
            if (between > best) {
                best = between;
                bestIndex = i;
            }
        }
        return first + bestIndex;
    }

    /** The between-class variance at threshold {@code t} (class 0 = values up to {@code t}), for tests. */
    static double betweenVariance(long[] histogram, int first, int t) {
        long total = 0;
        long count0 = 0;
        double sum = 0;
        double sum0 = 0;
        for (int i = 0; i < histogram.length; i++) {
            total += histogram[i];
            sum += (double) histogram[i] * (first + i);
            if (first + i <= t) {
                count0 += histogram[i];
                sum0 += (double) histogram[i] * (first + i);
            }
        }
        long count1 = total - count0;
        double difference = sum0 / count0 - (sum - sum0) / count1;
        return (double) count0 / total * count1 / total * difference * difference;
    }
}

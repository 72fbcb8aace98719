package org.panacea.plugins.imaging.filters;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * Otsu's threshold on the exact histogram of the stored values: for integer images one bin per integer from the
 * image's minimum to its maximum (no binning, no rescale); for real images the sorted distinct values play the
 * bins' part, so the result is exact there too. The threshold {@code t} maximises the between-class variance with
 * class 0 = {@code value <= t}; the first maximum wins ties. The output is an 8-bit mask, 255 where
 * {@code value > t}, 0 elsewhere, with the threshold in stored and rescaled units and the foreground pixel count as
 * measurements. The histogram and the mask are made straight from the source array, in bands on several cores for
 * large images.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + OtsuThreshold.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + OtsuThreshold.VERSION })
public class OtsuThreshold implements ImagingAlgorithm {

    static final String ID = "imaging.otsu-threshold";
    static final String VERSION = "1.1.0";

    /** From about 1024x1024 up, the histogram is counted on several cores. */
    static final long PARALLEL_HISTOGRAM_PIXELS = 1 << 20;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Otsu threshold", "Panacea",
            "Otsu's method on the exact histogram of stored values (integer images: one bin per integer from the "
                    + "image's minimum to maximum; real images: one bin per distinct value; no rescale); class 0 "
                    + "is value <= threshold; output 8-bit mask, 255 where value > threshold; reports the "
                    + "threshold in stored and rescaled units and the foreground pixel count. Accepts 8-bit, "
                    + "16-bit signed or unsigned and 32-bit real images (without NaN) of any size with at least "
                    + "two different values",
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
        int width = image.width();
        int height = image.height();
        double threshold;
        long foreground;
        if (pixels instanceof Pixels.Float32 real) {
            float[] sorted = real.values().clone();
            Arrays.parallelSort(sorted);
            threshold = realThreshold(sorted);
            foreground = sorted.length - upperBound(sorted, (float) threshold);
        } else {
            // The histogram gives the threshold and the foreground count; the mask pass only writes.
            int offset = pixels instanceof Pixels.Gray16 gray && gray.signed() ? -Short.MIN_VALUE : 0;
            long[] histogram = histogram(pixels, width, height);
            int lowest = 0;
            while (histogram[lowest] == 0) {
                lowest++;
            }
            int highest = histogram.length - 1;
            while (histogram[highest] == 0) {
                highest--;
            }
            if (lowest == highest) {
                throw new AlgorithmException("Otsu threshold needs at least two different values; every pixel is "
                        + (lowest - offset));
            }
            int t = threshold(Arrays.copyOfRange(histogram, lowest, highest + 1), lowest - offset);
            threshold = t;
            foreground = 0;
            for (int i = t + offset + 1; i <= highest; i++) {
                foreground += histogram[i];
            }
        }
        byte[] mask = new byte[pixels.length()];
        double finalThreshold = threshold;
        Bands.run("Otsu threshold", width, height, 0, (first, end, cancellation) -> {
            cancellation.check();
            maskRows(pixels, first * width, end * width, finalThreshold, mask);
        });
        ImageMetadata in = image.metadata();
        ImageMetadata binary = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, 8, in.sourceInstanceUid());
        String unit = "HU".equals(in.rescaleUnit()) ? "[hnsf'U]" : in.rescaleUnit();
        return new AlgorithmResult(new Image(width, height, new Pixels.Gray8(mask), binary),
                List.of(new Measurement("threshold", threshold, ""),
                        new Measurement("threshold_rescaled", threshold * in.rescaleSlope() + in.rescaleIntercept(),
                                unit),
                        new Measurement("foreground_pixels", foreground, "")),
                List.of());
    }

    /**
     * Counts per stored value (index = value + 32768 for signed samples). Large images are counted in bands whose
     * tables are then merged; below {@link #PARALLEL_HISTOGRAM_PIXELS} merging 64 Ki-entry tables costs more than
     * the second core saves.
     */
    private static long[] histogram(Pixels pixels, int width, int height) throws AlgorithmException {
        int size = pixels instanceof Pixels.Gray8 ? 256 : 65536;
        List<int[]> partial = new CopyOnWriteArrayList<>();
        Bands.run("Otsu threshold", width, height, 0, PARALLEL_HISTOGRAM_PIXELS, (first, end, cancellation) -> {
            cancellation.check();
            int[] counts = new int[size];
            countRows(pixels, first * width, end * width, counts);
            partial.add(counts);
        });
        long[] total = new long[size];
        for (int[] counts : partial) {
            for (int i = 0; i < size; i++) {
                total[i] += counts[i];
            }
        }
        return total;
    }

    private static void countRows(Pixels pixels, int from, int to, int[] counts) {
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = from; i < to; i++) {
                    counts[values[i] - Short.MIN_VALUE]++;
                }
            } else {
                for (int i = from; i < to; i++) {
                    counts[values[i] & 0xFFFF]++;
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int i = from; i < to; i++) {
                counts[values[i] & 0xFF]++;
            }
        }
    }

    /** 255 where the sample exceeds {@code threshold}, for samples {@code from .. to - 1}. */
    private static void maskRows(Pixels pixels, int from, int to, double threshold, byte[] mask) {
        if (pixels instanceof Pixels.Float32 real) {
            float[] values = real.values();
            for (int i = from; i < to; i++) {
                mask[i] = values[i] > threshold ? (byte) 255 : 0;
            }
            return;
        }
        // Integer thresholds: (t - v) >> 31 is -1 (255 as a byte) exactly when v > t; no branch per sample.
        int t = (int) threshold;
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = from; i < to; i++) {
                    mask[i] = (byte) ((t - values[i]) >> 31);
                }
            } else {
                for (int i = from; i < to; i++) {
                    mask[i] = (byte) ((t - (values[i] & 0xFFFF)) >> 31);
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int i = from; i < to; i++) {
                mask[i] = (byte) ((t - (values[i] & 0xFF)) >> 31);
            }
        }
    }

    /** Otsu over the distinct values of a real image, given sorted. */
    private static double realThreshold(float[] sorted) throws AlgorithmException {
        if (Float.isNaN(sorted[sorted.length - 1])) {
            throw new AlgorithmException("Otsu threshold needs real samples without NaN");
        }
        if (sorted[0] == sorted[sorted.length - 1]) {
            throw new AlgorithmException("Otsu threshold needs at least two different values; every pixel is "
                    + sorted[0]);
        }
        long total = sorted.length;
        double totalSum = 0;
        for (float v : sorted) {
            totalSum += v;
        }
        long count0 = 0;
        double sum0 = 0;
        double best = -1;
        double threshold = sorted[0];
        int i = 0;
        while (i < sorted.length) {
            float value = sorted[i];
            while (i < sorted.length && sorted[i] == value) {
                sum0 += sorted[i];
                count0++;
                i++;
            }
            long count1 = total - count0;
            if (count1 == 0) {
                break;
            }
            double difference = sum0 / count0 - (totalSum - sum0) / count1;
            double between = (double) count0 / total * count1 / total * difference * difference;
            if (between > best) {
                best = between;
                threshold = value;
            }
        }
        return threshold;
    }

    /** How many of the sorted values are {@code <= value}. */
    private static int upperBound(float[] sorted, float value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
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

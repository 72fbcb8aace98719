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
import org.panacea.plugins.support.pixels.PixelLoops;

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

    /**
     * From about 1024x1024 up, a full 65536-entry histogram is counted on several cores (below, merging the tables
     * costs more than the second core saves); tables cut to the image's range are small and split from
     * {@link Bands#PARALLEL_MIN_PIXELS} up.
     */
    static final long PARALLEL_FULL_HISTOGRAM_PIXELS = 1 << 20;

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
            Histogram histogram = histogram(pixels, width, height);
            long[] counts = histogram.counts();
            int lowest = 0;
            while (counts[lowest] == 0) {
                lowest++;
            }
            int highest = counts.length - 1;
            while (counts[highest] == 0) {
                highest--;
            }
            if (lowest == highest) {
                throw new AlgorithmException("Otsu threshold needs at least two different values; every pixel is "
                        + (histogram.first() + lowest));
            }
            int t = threshold(Arrays.copyOfRange(counts, lowest, highest + 1), histogram.first() + lowest);
            threshold = t;
            foreground = 0;
            for (int i = t - histogram.first() + 1; i <= highest; i++) {
                foreground += counts[i];
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

    /** Counts per stored value: {@code counts[k]} pixels have the value {@code first + k}. */
    private record Histogram(long[] counts, int first) {
    }

    /**
     * Counts per stored value over the image's own range of values (found first, on the Vector API where the JVM
     * has it), so the tables stay small (4096 entries for 12-bit CT, not 65536) and in the fastest cache. Large
     * images are counted in bands whose tables are then merged.
     */
    private static Histogram histogram(Pixels pixels, int width, int height) throws AlgorithmException {
        int first = 0;
        int size = 256;
        long parallelPixels = Bands.PARALLEL_MIN_PIXELS;
        if (pixels instanceof Pixels.Gray16 gray && !PixelLoops.vectorised()) {
            // Without the Vector API, finding the range first costs more than the large table.
            first = gray.signed() ? Short.MIN_VALUE : 0;
            size = 65536;
            parallelPixels = PARALLEL_FULL_HISTOGRAM_PIXELS;
        } else if (pixels instanceof Pixels.Gray16 gray) {
            List<int[]> ranges = new CopyOnWriteArrayList<>();
            Bands.run("Otsu threshold", width, height, 0, Bands.PARALLEL_MIN_PIXELS, (from, end, cancellation) -> {
                cancellation.check();
                ranges.add(PixelLoops.range(gray.values(), gray.signed(), from * width, end * width));
            });
            first = ranges.stream().mapToInt(range -> range[0]).min().getAsInt();
            size = ranges.stream().mapToInt(range -> range[1]).max().getAsInt() - first + 1;
        }
        int base = first;
        int bins = size;
        List<int[]> partial = new CopyOnWriteArrayList<>();
        Bands.run("Otsu threshold", width, height, 0, parallelPixels, (from, end, cancellation) -> {
            cancellation.check();
            int[] counts = new int[bins];
            countRows(pixels, from * width, end * width, base, counts);
            partial.add(counts);
        });
        long[] total = new long[size];
        for (int[] counts : partial) {
            for (int i = 0; i < size; i++) {
                total[i] += counts[i];
            }
        }
        return new Histogram(total, first);
    }

    /** Counts samples {@code from .. to - 1} at index {@code value - first}. */
    private static void countRows(Pixels pixels, int from, int to, int first, int[] counts) {
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = from; i < to; i++) {
                    counts[values[i] - first]++;
                }
            } else {
                for (int i = from; i < to; i++) {
                    counts[(values[i] & 0xFFFF) - first]++;
                }
            }
        } else {
            // Four interleaved tables: runs of one value (saturated pixels) would otherwise wait on their own
            // previous increment of the same counter.
            byte[] values = ((Pixels.Gray8) pixels).values();
            int[] ways = new int[4 * 256];
            int i = from;
            for (; i + 3 < to; i += 4) {
                ways[values[i] & 0xFF]++;
                ways[256 + (values[i + 1] & 0xFF)]++;
                ways[512 + (values[i + 2] & 0xFF)]++;
                ways[768 + (values[i + 3] & 0xFF)]++;
            }
            for (; i < to; i++) {
                ways[values[i] & 0xFF]++;
            }
            for (int k = 0; k < 256; k++) {
                counts[k] += ways[k] + ways[256 + k] + ways[512 + k] + ways[768 + k];
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
        // Integer thresholds: on the Vector API where the JVM has it.
        long t = (long) threshold;
        if (pixels instanceof Pixels.Gray16 gray) {
            PixelLoops.above(gray.values(), gray.signed(), t, mask, from, to);
        } else {
            PixelLoops.above(((Pixels.Gray8) pixels).values(), t, mask, from, to);
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

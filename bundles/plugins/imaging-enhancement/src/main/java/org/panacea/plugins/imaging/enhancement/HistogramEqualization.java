package org.panacea.plugins.imaging.enhancement;

import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Global histogram equalisation on the exact histogram of the stored values (one bin per integer value; real
 * images use their sorted values): {@code out(v) = low + (cdf(v) - cdf(min)) / (n - count(min)) * (high - low)},
 * rounded half to even for integer images. With the 8-bit type range this is OpenCV's {@code equalizeHist}.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + HistogramEqualization.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + HistogramEqualization.VERSION })
public class HistogramEqualization implements ImagingAlgorithm {

    static final String ID = "imaging.histogram-equalization";
    static final String VERSION = "1.0.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Histogram equalisation",
            "Panacea",
            "Global histogram equalisation on the exact histogram of the stored values (no binning: one bin per "
                    + "integer for 8/16-bit images, one per distinct value for 32-bit real ones): "
                    + "out(v) = low + (cdf(v) - cdf(min)) / (n - count(min)) * (high - low), where cdf(v) counts "
                    + "the pixels <= v and n is the pixel count; rounded half to even for integer images (with "
                    + "range=type on 8-bit images this is OpenCV's equalizeHist). The minimum maps to low and the "
                    + "maximum to high; a constant image is returned unchanged. The output has the input's pixel "
                    + "type; its values are display values, so the rescale is reset to identity and the window "
                    + "dropped (modality, spacing and source instance are kept). Accepts 8-bit, 16-bit signed or "
                    + "unsigned and 32-bit real images (without NaN) of any size",
            "Global contrast enhancement for display; it changes grey values non-linearly and is not for "
                    + "quantitative measurement",
            List.of(ParameterSpec.choice("range", ValueRange.DESCRIPTION, ValueRange.IMAGE, ValueRange.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        String rangeName = Checks.choice("range", parameters.text("range"), ValueRange.NAMES);
        Pixels in = image.pixels();
        int width = image.width();
        Pixels out;
        if (in instanceof Pixels.Float32 real) {
            out = new Pixels.Float32(equalizeReal(real.values(), ValueRange.of(in, rangeName)));
        } else {
            IntegerSamples samples = new IntegerSamples(in);
            long[] histogram = samples.histogram(width, image.height());
            // The image's own range comes from the histogram: no extra pass over the pixels.
            ValueRange range = ValueRange.TYPE.equals(rangeName) ? ValueRange.ofType(in)
                    : occupied(histogram, samples.first());
            int[] table = table(histogram, samples.first(), range);
            out = samples.map(table, width, image.height(), "Histogram equalisation");
        }
        return AlgorithmResult.of(new Image(width, image.height(), out, DisplayMetadata.of(image.metadata(), in)));
    }

    /** The smallest and largest value that occurs (index + first). */
    private static ValueRange occupied(long[] histogram, int first) {
        int lowest = 0;
        while (histogram[lowest] == 0) {
            lowest++;
        }
        int highest = histogram.length - 1;
        while (histogram[highest] == 0) {
            highest--;
        }
        return new ValueRange(first + lowest, first + highest);
    }

    /** Output value for every possible stored value (index = value - first). */
    static int[] table(long[] histogram, int first, ValueRange range) {
        int lowest = 0;
        while (histogram[lowest] == 0) {
            lowest++;
        }
        int highest = histogram.length - 1;
        while (histogram[highest] == 0) {
            highest--;
        }
        int[] table = new int[histogram.length];
        if (lowest == highest) {
            // A constant image stays as it is (OpenCV does the same).
            Arrays.fill(table, first + lowest);
            return table;
        }
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        double scale = (range.high() - range.low()) / (total - histogram[lowest]);
        long cumulative = 0;
        for (int i = lowest; i <= highest; i++) {
            cumulative += i == lowest ? 0 : histogram[i];
            table[i] = (int) (range.low() + Math.rint(cumulative * scale));
        }
        // Values that do not occur: below the minimum low, above the maximum high.
        Arrays.fill(table, 0, lowest, (int) range.low());
        Arrays.fill(table, highest + 1, table.length, (int) range.high());
        return table;
    }

    /** The exact empirical distribution of real values, through a sorted copy. */
    private static float[] equalizeReal(float[] values, ValueRange range) throws AlgorithmException {
        float[] sorted = values.clone();
        Arrays.parallelSort(sorted);
        int n = sorted.length;
        if (Float.isNaN(sorted[n - 1])) {
            throw new AlgorithmException("histogram equalisation needs real samples without NaN");
        }
        float[] out = new float[n];
        if (sorted[0] == sorted[n - 1]) {
            System.arraycopy(values, 0, out, 0, n);
            return out;
        }
        int countOfMinimum = upperBound(sorted, sorted[0]);
        double scale = (range.high() - range.low()) / (n - countOfMinimum);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (range.low() + (upperBound(sorted, values[i]) - countOfMinimum) * scale);
        }
        return out;
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
}

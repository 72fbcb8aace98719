package ${package};

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Box mean filter, the example imaging plugin: every output pixel is the mean of the (2 radius + 1) squared input
 * pixels around it. Works on stored values, so the output keeps the input's rescale (HU stay HU) and its geometry
 * and identity; output samples are 32-bit floats.
 * <p>
 * Two passes of running sums (a row pass into one float buffer, then a column pass into the output), so the cost
 * does not grow with the radius. Large images are split into rows (then column blocks) across the common ForkJoin
 * pool. Every row checks whether the calling thread was interrupted (the engine's time limit) and stops the run.
 * Thread-safe: no state but the constant descriptor.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + BoxMeanFilter.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + BoxMeanFilter.VERSION })
public class BoxMeanFilter implements ImagingAlgorithm {

    static final String ID = "${pluginId}";
    /** The algorithm's version (major.minor.micro): at least a minor bump whenever results change. */
    static final String VERSION = "1.0.0";

    static final int MIN_RADIUS = 1;
    static final int MAX_RADIUS = 25;
    static final List<String> BORDERS = List.of("reflect", "nearest");

    /** From this many pixels on the work is split across cores; below it, the hand-over costs more than it saves. */
    private static final int PARALLEL_PIXELS = 256 * 256;
    /** Columns per task of the column pass: wide enough for sequential memory access along a row. */
    private static final int COLUMN_BLOCK = 256;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Box mean filter",
            "${vendorName}",
            "Mean of the (2 radius + 1) x (2 radius + 1) pixels around each pixel, on stored values: the output keeps "
                    + "the input's rescale (HU for CT), spacing, window and source; 32-bit float samples. Borders: "
                    + "'reflect' mirrors the image with its edge pixel repeated (d c b a | a b c d, scipy.ndimage "
                    + "mode 'reflect'), 'nearest' repeats the edge pixel (a a a a | a b c d)",
            "Example plugin from the Panacea SDK: noise reduction before display or further processing of CT, MR "
                    + "and secondary-capture images; not a diagnostic measurement",
            List.of(ParameterSpec.integer("radius", "half-width of the square window in pixels (" + MIN_RADIUS
                            + " to " + MAX_RADIUS + "); the window is 2 radius + 1 pixels wide", MIN_RADIUS, MAX_RADIUS, 1),
                    ParameterSpec.choice("border", "how pixels beyond the image edge are taken: reflect or nearest",
                            "reflect", BORDERS)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        int radius = parameters.integer("radius");
        if (radius < MIN_RADIUS || radius > MAX_RADIUS) {
            throw new AlgorithmException("radius must be " + MIN_RADIUS + " to " + MAX_RADIUS + " pixels, was "
                    + radius);
        }
        String border = parameters.text("border");
        if (!BORDERS.contains(border)) {
            throw new AlgorithmException("border must be one of " + BORDERS + ", was '" + border + "'");
        }
        boolean reflect = border.equals("reflect");
        int width = image.width();
        int height = image.height();
        float[] rowMeans = new float[width * height];
        float[] out = new float[width * height];
        // The engine interrupts the thread that called apply(); pool workers check that thread, not their own.
        Thread caller = Thread.currentThread();
        try {
            forEach(height, width * height, y -> rowPass(image.pixels(), width, y, radius, reflect, rowMeans, caller));
            int blocks = (width + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
            forEach(blocks, width * height, block -> columnPass(rowMeans, width, height, block * COLUMN_BLOCK,
                    Math.min(width, (block + 1) * COLUMN_BLOCK), radius, reflect, out, caller));
        } catch (CancellationException interrupted) {
            throw new AlgorithmException("stopped: the run was interrupted (time limit)");
        }
        ImageMetadata in = image.metadata();
        ImageMetadata metadata = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(),
                in.rescaleSlope(), in.rescaleIntercept(), in.rescaleUnit(), in.windowCenter(), in.windowWidth(), 32,
                in.sourceInstanceUid());
        return AlgorithmResult.of(new Image(width, height, new Pixels.Float32(out), metadata));
    }

    /** Runs {@code task} for 0..count-1, across the common pool when the image is large. */
    private static void forEach(int count, int pixels, IntConsumer task) {
        IntStream range = IntStream.range(0, count);
        (pixels >= PARALLEL_PIXELS ? range.parallel() : range).forEach(task);
    }

    /** Means along row {@code y} into {@code rowMeans}, by a running sum over the window. */
    private static void rowPass(Pixels pixels, int width, int y, int radius, boolean reflect, float[] rowMeans,
            Thread caller) {
        if (caller.isInterrupted()) {
            throw new CancellationException();
        }
        double[] row = new double[width];
        read(pixels, y * width, row);
        double window = 2 * radius + 1;
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            sum += row[index(k, width, reflect)];
        }
        int offset = y * width;
        for (int x = 0; x < width; x++) {
            rowMeans[offset + x] = (float) (sum / window);
            sum += row[index(x + radius + 1, width, reflect)] - row[index(x - radius, width, reflect)];
        }
    }

    /** Means down columns {@code x0..x1-1} of {@code rowMeans} into {@code out}, by running sums. */
    private static void columnPass(float[] rowMeans, int width, int height, int x0, int x1, int radius,
            boolean reflect, float[] out, Thread caller) {
        double window = 2 * radius + 1;
        double[] sums = new double[x1 - x0];
        for (int k = -radius; k <= radius; k++) {
            int source = index(k, height, reflect) * width;
            for (int x = x0; x < x1; x++) {
                sums[x - x0] += rowMeans[source + x];
            }
        }
        for (int y = 0; y < height; y++) {
            if (caller.isInterrupted()) {
                throw new CancellationException();
            }
            int entering = index(y + radius + 1, height, reflect) * width;
            int leaving = index(y - radius, height, reflect) * width;
            int offset = y * width;
            for (int x = x0; x < x1; x++) {
                out[offset + x] = (float) (sums[x - x0] / window);
                sums[x - x0] += rowMeans[entering + x] - rowMeans[leaving + x];
            }
        }
    }

    /** The stored values of one row, from {@code offset}, as doubles. */
    private static void read(Pixels pixels, int offset, double[] row) {
        if (pixels instanceof Pixels.Gray8 gray) {
            byte[] values = gray.values();
            for (int x = 0; x < row.length; x++) {
                row[x] = values[offset + x] & 0xFF;
            }
        } else if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            boolean signed = gray.signed();
            for (int x = 0; x < row.length; x++) {
                row[x] = signed ? values[offset + x] : values[offset + x] & 0xFFFF;
            }
        } else {
            float[] values = ((Pixels.Float32) pixels).values();
            for (int x = 0; x < row.length; x++) {
                row[x] = values[offset + x];
            }
        }
    }

    /**
     * The pixel that stands for position {@code i} of a line of {@code n}: mirrored with the edge repeated
     * (period 2n, so any radius works on a line of one pixel), or clamped to the edge.
     */
    static int index(int i, int n, boolean reflect) {
        if (!reflect) {
            return Math.max(0, Math.min(n - 1, i));
        }
        int m = Math.floorMod(i, 2 * n);
        return m < n ? m : 2 * n - 1 - m;
    }
}

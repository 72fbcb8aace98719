package org.panacea.plugins.imaging.filters;

import java.util.List;
import java.util.Locale;

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
 * Gaussian blur on stored values (no rescale), as a separable convolution: rows first into one intermediate
 * {@code float} image, then columns into the output. The kernel has radius {@code ceil(4 * sigma)} (scipy's
 * {@code truncate=4}; 17 taps for sigma 2), taps {@code exp(-x^2 / (2 sigma^2))} normalised to sum 1 in double;
 * sums are taken in double. Borders:
 * <ul>
 * <li>{@code reflect}: mirror including the edge sample, {@code d c b a | a b c d} (scipy {@code reflect},
 * OpenCV {@code BORDER_REFLECT});</li>
 * <li>{@code reflect101}: mirror about the edge sample, {@code d c b | a b c d} (OpenCV's default
 * {@code BORDER_REFLECT_101}, scipy {@code mirror});</li>
 * <li>{@code nearest}: the edge sample repeated, {@code a a a | a b c d}.</li>
 * </ul>
 * Reflection repeats periodically, so kernels wider than the image are well defined. The output is
 * {@link Pixels.Float32} with the input's metadata and rescale (so HU keep their meaning) and 32 bits stored.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + GaussianBlur.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + GaussianBlur.VERSION })
public class GaussianBlur implements ImagingAlgorithm {

    static final String ID = "imaging.gaussian-blur";
    static final String VERSION = "1.0.0";

    static final double MIN_SIGMA = 0.1;
    static final double MAX_SIGMA = 50;

    static final String REFLECT = "reflect";
    static final String REFLECT101 = "reflect101";
    static final String NEAREST = "nearest";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Gaussian blur", "Panacea",
            "Separable Gaussian convolution on stored values (no rescale; the output keeps the input's rescale), "
                    + "kernel radius ceil(4 sigma) (17 taps for sigma 2), taps normalised to sum 1, output 32-bit "
                    + "real. Borders: reflect = mirror including the edge sample, d c b a | a b c d (scipy "
                    + "'reflect'); reflect101 = mirror about the edge sample, d c b | a b c d (OpenCV default "
                    + "BORDER_REFLECT_101); nearest = edge sample repeated, a a a | a b c d (scipy 'nearest', "
                    + "OpenCV BORDER_REPLICATE)",
            "Noise reduction before display or further processing; not a diagnostic measurement",
            List.of(ParameterSpec.decimal("sigma", "standard deviation of the Gaussian, in pixels", "", MIN_SIGMA,
                            MAX_SIGMA, 2.0),
                    ParameterSpec.choice("border",
                            "how the image is extended past its edges: reflect (d c b a | a b c d, scipy), "
                                    + "reflect101 (d c b | a b c d, OpenCV default), nearest (a a a | a b c d)",
                            REFLECT, List.of(REFLECT, REFLECT101, NEAREST))));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double sigma = parameters.decimal("sigma");
        if (!(sigma >= MIN_SIGMA && sigma <= MAX_SIGMA)) {
            throw new AlgorithmException("sigma must be between " + MIN_SIGMA + " and " + MAX_SIGMA
                    + " pixels, was " + sigma);
        }
        String border = parameters.text("border").toLowerCase(Locale.ROOT);
        if (!List.of(REFLECT, REFLECT101, NEAREST).contains(border)) {
            throw new AlgorithmException("border must be reflect, reflect101 or nearest, was '"
                    + parameters.text("border") + "'");
        }
        int width = image.width();
        int height = image.height();
        double[] taps = kernel(sigma);
        int radius = taps.length / 2;
        int[] columns = borderIndex(width, radius, border);
        int[] rows = borderIndex(height, radius, border);
        Pixels pixels = image.pixels();

        // Rows: input -> the one intermediate buffer.
        float[] across = new float[width * height];
        for (int y = 0; y < height; y++) {
            checkInterrupted();
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = 0; k < taps.length; k++) {
                    sum += taps[k] * pixels.sample(row + columns[x + k]);
                }
                across[row + x] = (float) sum;
            }
        }
        // Columns: intermediate -> output.
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            checkInterrupted();
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = 0; k < taps.length; k++) {
                    sum += taps[k] * across[rows[y + k] * width + x];
                }
                out[y * width + x] = (float) sum;
            }
        }
        ImageMetadata in = image.metadata();
        ImageMetadata real = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), in.rescaleSlope(),
                in.rescaleIntercept(), in.rescaleUnit(), in.windowCenter(), in.windowWidth(), 32,
                in.sourceInstanceUid());
        return new AlgorithmResult(new Image(width, height, new Pixels.Float32(out), real),
                List.of(new Measurement("sigma", sigma, "")), List.of());
    }

    /** The normalised taps, {@code 2 * ceil(4 * sigma) + 1} of them, centre in the middle. */
    static double[] kernel(double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        double[] taps = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double tap = Math.exp(-0.5 * i * i / (sigma * sigma));
            taps[i + radius] = tap;
            sum += tap;
        }
        for (int i = 0; i < taps.length; i++) {
            taps[i] /= sum;
        }
        return taps;
    }

    /**
     * For each position {@code -radius .. size - 1 + radius} (shifted by {@code radius}), the index inside
     * {@code 0 .. size - 1} that the border mode reads there.
     */
    static int[] borderIndex(int size, int radius, String border) {
        int[] index = new int[size + 2 * radius];
        for (int i = 0; i < index.length; i++) {
            index[i] = inside(i - radius, size, border);
        }
        return index;
    }

    private static int inside(int i, int size, String border) {
        if (i >= 0 && i < size) {
            return i;
        }
        switch (border) {
            case NEAREST:
                return i < 0 ? 0 : size - 1;
            case REFLECT: {
                int period = 2 * size;
                int j = Math.floorMod(i, period);
                return j < size ? j : period - 1 - j;
            }
            default: {
                if (size == 1) {
                    return 0;
                }
                int period = 2 * size - 2;
                int j = Math.floorMod(i, period);
                return j < size ? j : period - j;
            }
        }
    }

    private static void checkInterrupted() throws AlgorithmException {
        if (Thread.currentThread().isInterrupted()) {
            throw new AlgorithmException("Gaussian blur interrupted (time limit)");
        }
    }
}

package org.panacea.plugins.imaging.filters;

import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * Gaussian blur on stored values (no rescale), as a separable convolution: rows, then columns, streamed through a
 * small ring of row-filtered rows (see {@link SymmetricConvolution}). The kernel has radius {@code ceil(4 * sigma)}
 * (scipy's {@code truncate=4}; 17 taps for sigma 2), taps {@code exp(-x^2 / (2 sigma^2))} normalised to sum 1 in
 * double, then applied in {@code float}. Borders are those of {@link Border}. The output is {@link Pixels.Float32}
 * with the input's metadata and rescale (so HU keep their meaning) and 32 bits stored.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + GaussianBlur.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + GaussianBlur.VERSION })
public class GaussianBlur implements ImagingAlgorithm {

    static final String ID = "imaging.gaussian-blur";
    static final String VERSION = "1.1.0";

    static final double MIN_SIGMA = 0.1;
    static final double MAX_SIGMA = 50;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Gaussian blur", "Panacea",
            "Separable Gaussian convolution on stored values (no rescale; the output keeps the input's rescale), "
                    + "kernel radius ceil(4 sigma) (17 taps for sigma 2), taps normalised to sum 1, sums in 32-bit "
                    + "float, output 32-bit real (on CT_small, values up to 2191, within 2.7e-4 of scipy's float64 "
                    + "result: about two float roundings of the value). "
                    + "Borders: reflect = mirror including the edge sample, d c b a | a b c d (scipy 'reflect'); "
                    + "reflect101 = mirror about the edge sample, d c b | a b c d (OpenCV default "
                    + "BORDER_REFLECT_101); nearest = edge sample repeated, a a a | a b c d (scipy 'nearest', "
                    + "OpenCV BORDER_REPLICATE). Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images "
                    + "of any size",
            "Noise reduction before display or further processing; not a diagnostic measurement",
            List.of(ParameterSpec.decimal("sigma", "standard deviation of the Gaussian, in pixels (0.1 to 50)", "",
                            MIN_SIGMA, MAX_SIGMA, 2.0),
                    ParameterSpec.choice("border", Border.DESCRIPTION, Border.REFLECT.parameterValue,
                            Border.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double sigma = Checks.range("sigma", parameters.decimal("sigma"), MIN_SIGMA, MAX_SIGMA, "pixels");
        Border border = Border.parse(parameters.text("border"));
        float[] out = new SymmetricConvolution(kernel(sigma)).apply(image, border, "Gaussian blur");
        return new AlgorithmResult(new Image(image.width(), image.height(), new Pixels.Float32(out),
                OutputMetadata.real(image.metadata())), List.of(new Measurement("sigma", sigma, "")), List.of());
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
     * {@code 0 .. size - 1} that the border mode ({@code reflect}, {@code reflect101} or {@code nearest}) reads
     * there.
     */
    static int[] borderIndex(int size, int radius, String border) {
        return Border.valueOf(border.toUpperCase(Locale.ROOT)).table(size, radius);
    }
}

package org.panacea.plugins.imaging.filters;

import java.util.List;

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
 * Unsharp masking: {@code out = in + amount * (in - G_sigma * in)}, with the Gaussian of {@link GaussianBlur}
 * (radius {@code ceil(4 sigma)}, the same borders). ImageJ's "Unsharp Mask" with weight {@code w} is the same
 * operation with {@code amount = w / (1 - w)} (its Gaussian is truncated differently).
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + UnsharpMask.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + UnsharpMask.VERSION })
public class UnsharpMask implements ImagingAlgorithm {

    static final String ID = "imaging.unsharp-mask";
    static final String VERSION = "1.0.0";

    static final double MAX_AMOUNT = 20;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Unsharp mask", "Panacea",
            "Sharpening by unsharp masking of the stored values: out = in + amount * (in - gaussian(in, sigma)), "
                    + "Gaussian as imaging.gaussian-blur (radius ceil(4 sigma), taps normalised to sum 1, 32-bit "
                    + "float sums). ImageJ's Unsharp Mask with weight w equals amount = w / (1 - w) (weight 0.6 "
                    + "is amount 1.5). Output 32-bit real, not clipped (it may overshoot the input's range); "
                    + "constants are preserved, so the input's rescale and metadata are kept. Borders: "
                    + Border.DESCRIPTION + ". Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images of "
                    + "any size",
            "Edge and detail enhancement for display; it amplifies noise and creates halos at edges, so it is "
                    + "not for quantitative measurement",
            List.of(ParameterSpec.decimal("sigma",
                            "standard deviation of the Gaussian, in pixels (" + GaussianBlur.MIN_SIGMA + " to "
                                    + (int) GaussianBlur.MAX_SIGMA + "): the size of the details enhanced", "",
                            GaussianBlur.MIN_SIGMA, GaussianBlur.MAX_SIGMA, 1.0),
                    ParameterSpec.decimal("amount",
                            "how much of the detail (in - blurred) is added back, 0 (no change) to "
                                    + (int) MAX_AMOUNT, "", 0.0, MAX_AMOUNT, 1.0),
                    ParameterSpec.choice("border", Border.DESCRIPTION, Border.REFLECT.parameterValue,
                            Border.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double sigma = Checks.range("sigma", parameters.decimal("sigma"), GaussianBlur.MIN_SIGMA,
                GaussianBlur.MAX_SIGMA, "pixels");
        float amount = (float) Checks.range("amount", parameters.decimal("amount"), 0, MAX_AMOUNT, "");
        Border border = Border.parse(parameters.text("border"));
        int width = image.width();
        Pixels pixels = image.pixels();
        float[] out = new float[width * image.height()];
        new SymmetricConvolution(GaussianBlur.kernel(sigma)).apply(image, border, "Unsharp mask",
                (y, blurred, source) -> {
                    PixelRows.read(pixels, y * width, width, source, 0);
                    for (int x = 0; x < width; x++) {
                        source[x] += amount * (source[x] - blurred[x]);
                    }
                    System.arraycopy(source, 0, out, y * width, width);
                });
        return new AlgorithmResult(new Image(width, image.height(), new Pixels.Float32(out),
                OutputMetadata.real(image.metadata())),
                List.of(new Measurement("sigma", sigma, ""), new Measurement("amount", amount, "")), List.of());
    }
}

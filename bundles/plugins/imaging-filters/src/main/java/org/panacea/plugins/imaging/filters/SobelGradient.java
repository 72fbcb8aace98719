package org.panacea.plugins.imaging.filters;

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
 * Sobel gradient magnitude {@code sqrt(gx^2 + gy^2)} of the stored values with the unnormalised 3x3 kernels
 * (see {@link SobelRows}), as ImageJ's "Find Edges" and OpenCV's {@code Sobel} + {@code magnitude} compute it.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + SobelGradient.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + SobelGradient.VERSION })
public class SobelGradient implements ImagingAlgorithm {

    static final String ID = "imaging.sobel";
    static final String VERSION = "1.0.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Sobel gradient magnitude",
            "Panacea",
            "Gradient magnitude sqrt(gx^2 + gy^2) of the stored values with the unnormalised 3x3 Sobel kernels: "
                    + "gx = [-1 0 1; -2 0 2; -1 0 1] (right minus left), gy its transpose (below minus above), "
                    + "so a step of height h gives 4h (as ImageJ's Find Edges and OpenCV's Sobel). Output 32-bit "
                    + "real in stored units per pixel times 4; the rescale slope is kept (|slope|) and the "
                    + "intercept set to 0, as differences cancel it. Borders: " + Border.DESCRIPTION
                    + ". Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images of any size",
            "Edge enhancement for display and as a step of edge or contour detection; not a diagnostic measurement",
            List.of(ParameterSpec.choice("border", Border.DESCRIPTION, Border.REFLECT.parameterValue,
                    Border.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        Border border = Border.parse(parameters.text("border"));
        int width = image.width();
        float[] out = new float[width * image.height()];
        SobelRows.magnitude(image, border, "Sobel gradient", out);
        return AlgorithmResult.of(new Image(width, image.height(), new Pixels.Float32(out),
                OutputMetadata.difference(image.metadata(), true)));
    }
}

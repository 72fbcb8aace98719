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
 * Median over a square {@code (2r + 1) x (2r + 1)} window, with the edge samples repeated past the border (as
 * ImageJ's rank filters and OpenCV's {@code medianBlur}). Integer images at radius 1 and 2 use sorting networks on
 * the Vector API where the JVM has it ({@link NetworkMedian}); otherwise radius 1 uses a selection network the JIT
 * vectorises ({@link Median3x3}) and larger windows use a sliding histogram on integer images ({@link HistogramMedian}) and
 * selection on real ones ({@link SelectionMedian}). The output has the input's pixel type and metadata: every
 * output value is one of the input's.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + MedianFilter.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + MedianFilter.VERSION })
public class MedianFilter implements ImagingAlgorithm {

    static final String ID = "imaging.median";
    static final String VERSION = "1.0.0";

    static final int MAX_RADIUS = 50;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Median filter", "Panacea",
            "Median of the stored values over a square (2 radius + 1) x (2 radius + 1) window centred on each "
                    + "pixel (radius 1: 3x3, radius 2: 5x5); past the image's edges the edge sample is repeated "
                    + "(a a a | a b c d, as ImageJ's rank filters and OpenCV's medianBlur). Output of the input's "
                    + "pixel type, rescale and metadata (every output value is one of the input's). Accepts "
                    + "8-bit, 16-bit signed or unsigned and 32-bit real images of any size; real images must not "
                    + "hold NaN",
            "Removal of impulse (salt-and-pepper) noise while keeping edges, before display or further "
                    + "processing; not a diagnostic measurement",
            List.of(ParameterSpec.integer("radius",
                    "half-width of the square window in pixels, 1 to " + MAX_RADIUS + " (window 2 radius + 1 "
                            + "pixels wide)", 1, MAX_RADIUS, 1)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        int radius = Checks.range("radius", parameters.integer("radius"), 1, MAX_RADIUS);
        Pixels pixels = image.pixels();
        SameTypeRows out = new SameTypeRows(pixels, image.width(), image.height());
        if (NetworkMedian.serves(pixels, radius)) {
            NetworkMedian.apply(image, radius, Border.NEAREST, out);
        } else if (radius == 1) {
            Median3x3.apply(image, Border.NEAREST, out);
        } else if (pixels instanceof Pixels.Float32) {
            SelectionMedian.apply(image, radius, Border.NEAREST, out);
        } else {
            HistogramMedian.apply(image, radius, Border.NEAREST, out);
        }
        return AlgorithmResult.of(new Image(image.width(), image.height(), out.pixels(), image.metadata()));
    }
}

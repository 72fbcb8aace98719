package org.panacea.sdk.testkit.fake.good;

import java.util.List;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * A plugin that keeps the whole contract: rescales samples by a gain into a new Float32 image, in rescaled units,
 * checking for interruption every row, with no state but its constant descriptor.
 */
public class GoodAlgorithm implements ImagingAlgorithm {

    public static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("test.good-gain", "1.0.0", "Gain",
            "Test Vendor", "Multiplies rescaled values (HU for CT) by a gain; Float32 output in rescaled units",
            "Test fixture for the plugin test kit; no clinical use",
            List.of(ParameterSpec.decimal("gain", "factor applied to every rescaled value, unitless", "1", 0.0, 10.0,
                    1.0), ParameterSpec.choice("rounding", "none keeps real values, nearest rounds them", "none",
                            List.of("none", "nearest"))));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double gain = parameters.decimal("gain");
        boolean round = parameters.text("rounding").equals("nearest");
        double slope = image.metadata().rescaleSlope();
        double intercept = image.metadata().rescaleIntercept();
        Pixels pixels = image.pixels();
        float[] out = new float[pixels.length()];
        Thread caller = Thread.currentThread();
        for (int y = 0; y < image.height(); y++) {
            if (caller.isInterrupted()) {
                throw new AlgorithmException("stopped: interrupted");
            }
            for (int x = 0; x < image.width(); x++) {
                int i = y * image.width() + x;
                double value = (pixels.sample(i) * slope + intercept) * gain;
                out[i] = (float) (round ? Math.rint(value) : value);
            }
        }
        Image result = new Image(image.width(), image.height(), new Pixels.Float32(out),
                image.metadata().withRescale(1, 0, image.metadata().rescaleUnit()));
        return new AlgorithmResult(result, List.of(new Measurement("gain", gain, "1")), List.of());
    }
}

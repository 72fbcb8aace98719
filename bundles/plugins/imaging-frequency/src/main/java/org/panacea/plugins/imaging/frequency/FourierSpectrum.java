package org.panacea.plugins.imaging.frequency;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/** The magnitude of the 2-D discrete Fourier transform of the stored values. */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + FourierSpectrum.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + FourierSpectrum.VERSION })
public class FourierSpectrum implements ImagingAlgorithm {

    static final String ID = "imaging.fourier-spectrum";
    static final String VERSION = "1.0.0";

    static final String LINEAR = "linear";
    static final String LOG = "log";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Fourier spectrum",
            "Panacea",
            "Magnitude |F(u, v)| of the unnormalised 2-D discrete Fourier transform of the stored values (no "
                    + "rescale; NumPy fft2 scaling, so F(0, 0) is the sum of the samples), any image size. "
                    + "centred = true moves frequency 0 to column width / 2, row height / 2 (NumPy fftshift); "
                    + "false leaves it at the top-left. scale = log gives ln(1 + |F|) for display, linear |F|. "
                    + "Output 32-bit real, the input's metadata without rescale or window. Reports the DC "
                    + "term and the spectrum's frequency steps 1 / (columns * column spacing) and 1 / (rows * row "
                    + "spacing) in cycles/mm (cycles/pixel when the spacing is unknown)",
            "Inspecting periodic noise, aliasing and sampling artefacts; teaching and research; not diagnostic",
            List.of(new ParameterSpec("centred", ParameterType.BOOLEAN,
                            "true: frequency 0 at the image centre (width / 2, height / 2); false: at the top-left",
                            "", "", null, null, "true", List.of()),
                    ParameterSpec.choice("scale", "log = ln(1 + |F|) for display; linear = |F|", LOG,
                            List.of(LOG, LINEAR))));

    @Activate
    void activate() {
        FftThreads.acquire();
    }

    @Deactivate
    void deactivate() {
        FftThreads.release();
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        boolean centred = parameters.flag("centred");
        String scale = parameters.text("scale");
        if (!LOG.equals(scale) && !LINEAR.equals(scale)) {
            throw new AlgorithmException("scale must be log or linear, was '" + scale + "'");
        }
        int width = image.width();
        int height = image.height();
        Pixels pixels = image.pixels();
        double[] data = Fourier2D.workspace(width, height);
        for (int i = 0; i < pixels.length(); i++) {
            data[i] = pixels.sample(i);
        }
        Fourier2D.forward(data, width, height);
        if (Thread.currentThread().isInterrupted()) {
            throw new AlgorithmException("Fourier spectrum interrupted (time limit)");
        }
        float[] out = new float[width * height];
        boolean log = LOG.equals(scale);
        int shiftX = centred ? width / 2 : 0;
        int shiftY = centred ? height / 2 : 0;
        for (int v = 0; v < height; v++) {
            int row = ((v + shiftY) % height) * width;
            for (int u = 0; u < width; u++) {
                int i = 2 * (v * width + u);
                double magnitude = Math.sqrt(data[i] * data[i] + data[i + 1] * data[i + 1]);
                out[row + (u + shiftX) % width] = (float) (log ? Math.log1p(magnitude) : magnitude);
            }
        }
        ImageMetadata in = image.metadata();
        boolean mm = in.rowSpacing() > 0 && in.columnSpacing() > 0;
        String unit = mm ? "/mm" : "/{pixel}";
        ImageMetadata spectrum = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, 32, in.sourceInstanceUid());
        return new AlgorithmResult(new Image(width, height, new Pixels.Float32(out), spectrum),
                List.of(new Measurement("dc", data[0], ""),
                        new Measurement("frequency_step_x", 1 / (width * (mm ? in.columnSpacing() : 1)), unit),
                        new Measurement("frequency_step_y", 1 / (height * (mm ? in.rowSpacing() : 1)), unit)),
                List.of());
    }
}

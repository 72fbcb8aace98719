package org.panacea.plugins.imaging.frequency;

import java.util.List;
import java.util.stream.IntStream;

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
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Low-, high- or band-pass filtering in the frequency domain: forward transform of the stored values, each
 * coefficient multiplied by the {@link FrequencyResponse} gain at its radial frequency, inverse transform. The
 * transform is periodic: the image is treated as repeating at its borders (no padding).
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + FrequencyFilter.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + FrequencyFilter.VERSION })
public class FrequencyFilter implements ImagingAlgorithm {

    static final String ID = "imaging.frequency-filter";
    static final String VERSION = "1.0.0";

    static final String PER_PIXEL = "cycles_per_pixel";
    static final String PER_MM = "cycles_per_mm";

    private static final int PARALLEL_PIXELS = 1 << 18;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Frequency filter",
            "Panacea",
            "Filters the stored values in the Fourier domain (unnormalised DFT, periodic borders: the image "
                    + "repeats, no padding). The gain depends on the radial frequency f = sqrt(fx^2 + fy^2), fx, fy "
                    + "as NumPy's fftfreq in cycles/pixel, or divided by the column / row spacing in cycles/mm "
                    + "(units). lowpass: ideal 1 for f <= cutoff, else 0; gaussian exp(-f^2 / (2 cutoff^2)). "
                    + "highpass: 1 - lowpass(cutoff). bandpass: lowpass(upper_cutoff) * highpass(cutoff). The "
                    + "output is the real part of the inverse transform, 32-bit real, with the input's metadata "
                    + "and rescale (values stay in stored units). Reports energy_kept, the fraction of the "
                    + "spectrum's energy sum |F|^2 that passes. An ideal low-pass with a cut-off at or above "
                    + "sqrt(0.5) cycles/pixel returns the input (to float precision)",
            "Noise and background suppression, edge enhancement and band selection for display and research; "
                    + "not diagnostic",
            List.of(ParameterSpec.choice("pass", "lowpass, highpass or bandpass", FrequencyResponse.LOWPASS,
                            FrequencyResponse.PASSES),
                    ParameterSpec.choice("shape",
                            "ideal (sharp edge at the cut-off, rings) or gaussian (smooth, 0.61 at the cut-off)",
                            FrequencyResponse.GAUSSIAN, FrequencyResponse.SHAPES),
                    ParameterSpec.choice("units",
                            "unit of the cut-offs: cycles_per_pixel (Nyquist 0.5) or cycles_per_mm (needs the "
                                    + "pixel spacing; Nyquist 0.5 / spacing)",
                            PER_PIXEL, List.of(PER_PIXEL, PER_MM)),
                    ParameterSpec.decimal("cutoff",
                            "cut-off of lowpass and highpass, lower edge of bandpass; greater than 0, in units",
                            "", 0.0, null, 0.1),
                    ParameterSpec.decimal("upper_cutoff",
                            "upper edge of bandpass (ignored otherwise); greater than cutoff, in units", "", 0.0,
                            null, 0.25)));

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
        FrequencyResponse response = FrequencyResponse.of(parameters.text("pass"), parameters.text("shape"),
                parameters.decimal("cutoff"), parameters.decimal("upper_cutoff"));
        String units = parameters.text("units");
        ImageMetadata metadata = image.metadata();
        double columnStep;
        double rowStep;
        if (PER_PIXEL.equals(units)) {
            columnStep = 1;
            rowStep = 1;
        } else if (PER_MM.equals(units)) {
            if (!(metadata.rowSpacing() > 0 && metadata.columnSpacing() > 0)) {
                throw new AlgorithmException("units cycles_per_mm needs the pixel spacing, which this image lacks; "
                        + "use cycles_per_pixel");
            }
            columnStep = metadata.columnSpacing();
            rowStep = metadata.rowSpacing();
        } else {
            throw new AlgorithmException("units must be cycles_per_pixel or cycles_per_mm, was '" + units + "'");
        }
        int width = image.width();
        int height = image.height();
        Pixels pixels = image.pixels();
        double[] data = Fourier2D.workspace(width, height);
        for (int i = 0; i < pixels.length(); i++) {
            data[i] = pixels.sample(i);
        }
        Fourier2D.forward(data, width, height);

        double[] fx2 = new double[width];
        for (int u = 0; u < width; u++) {
            double f = Fourier2D.frequency(u, width) / columnStep;
            fx2[u] = f * f;
        }
        double[] energyBefore = new double[height];
        double[] energyAfter = new double[height];
        IntStream rows = IntStream.range(0, height);
        (width * height >= PARALLEL_PIXELS && ImagingThreads.parallel() ? rows.parallel() : rows).forEach(v -> {
            double fy = Fourier2D.frequency(v, height) / rowStep;
            double before = 0;
            double after = 0;
            for (int u = 0; u < width; u++) {
                int i = 2 * (v * width + u);
                double power = data[i] * data[i] + data[i + 1] * data[i + 1];
                double gain = response.gain(Math.sqrt(fx2[u] + fy * fy));
                data[i] *= gain;
                data[i + 1] *= gain;
                before += power;
                after += power * gain * gain;
            }
            energyBefore[v] = before;
            energyAfter[v] = after;
        });
        if (Thread.currentThread().isInterrupted()) {
            throw new AlgorithmException("frequency filter interrupted (time limit)");
        }
        Fourier2D.inverse(data, width, height);
        float[] out = new float[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data[2 * i];
        }
        double before = 0;
        double after = 0;
        for (int v = 0; v < height; v++) {
            before += energyBefore[v];
            after += energyAfter[v];
        }
        ImageMetadata real = new ImageMetadata(metadata.modality(), metadata.rowSpacing(), metadata.columnSpacing(),
                metadata.rescaleSlope(), metadata.rescaleIntercept(), metadata.rescaleUnit(), metadata.windowCenter(),
                metadata.windowWidth(), 32, metadata.sourceInstanceUid());
        return new AlgorithmResult(new Image(width, height, new Pixels.Float32(out), real),
                List.of(new Measurement("energy_kept", before > 0 ? after / before : 1, "")), List.of());
    }
}

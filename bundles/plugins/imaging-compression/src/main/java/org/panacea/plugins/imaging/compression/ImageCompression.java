package org.panacea.plugins.imaging.compression;

import java.util.ArrayList;
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
 * Compresses an image with {@link PredictiveImageCodec}, decodes it again, and returns the decoded image (what a
 * reader of the compressed image would see) with the compression figures: so a user can judge a near-lossless
 * setting on a real image before archiving with it.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + ImageCompression.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + ImageCompression.VERSION })
public class ImageCompression implements ImagingAlgorithm {

    static final String ID = "imaging.predictive-compression";
    static final String VERSION = "1.0.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION,
            "Lossless / near-lossless compression", "Panacea",
            "Predictive compression of stored values: LOCO-I median edge prediction with per-context bias "
                    + "correction (365 gradient contexts as in JPEG-LS) and an adaptive binary range coder. near = 0 "
                    + "is lossless (bit for bit, 8/16-bit signed or unsigned and 32-bit real); near = N > 0 (8 and "
                    + "16-bit only) bounds every sample's error by N stored units. Returns the decoded image with "
                    + "the input's metadata and: ratio (uncompressed bytes at 1, 2 or 4 bytes per sample / "
                    + "compressed bytes), bits_per_pixel, compressed_bytes, max_abs_error (stored units), "
                    + "mean_abs_error, and psnr in dB with the image's own dynamic range (max - min stored value) "
                    + "as peak, reported only when the decoded image differs from the input",
            "Archiving and transmission of images; near-lossless settings are for research and teaching copies "
                    + "unless validated for the diagnostic task",
            List.of(ParameterSpec.integer("near",
                    "largest allowed error per sample in stored units: 0 = lossless, 1 to 255 = near-lossless "
                            + "(8 and 16-bit images only)",
                    0, PredictiveImageCodec.MAX_NEAR, 0)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        int near = parameters.integer("near");
        if (near < 0 || near > PredictiveImageCodec.MAX_NEAR) {
            throw new AlgorithmException("near must be between 0 and " + PredictiveImageCodec.MAX_NEAR
                    + " stored units, was " + near);
        }
        Pixels pixels = image.pixels();
        if (near > 0 && pixels instanceof Pixels.Float32) {
            throw new AlgorithmException("near must be 0 (lossless) for 32-bit real images, was " + near);
        }
        byte[] stream = PredictiveImageCodec.encode(image, near);
        if (Thread.currentThread().isInterrupted()) {
            throw new AlgorithmException("compression interrupted (time limit)");
        }
        Image decoded = PredictiveImageCodec.decode(stream, image.metadata());

        int n = pixels.length();
        int bytesPerSample = SampleFormat.of(pixels).bits / 8;
        double maxError = 0;
        double errorSum = 0;
        double squaredErrorSum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        Pixels out = decoded.pixels();
        if (pixels instanceof Pixels.Float32) {
            // Real samples are only coded losslessly; compare bit patterns (NaN is not equal to itself).
            float[] a = ((Pixels.Float32) pixels).values();
            float[] b = ((Pixels.Float32) out).values();
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    throw new AlgorithmException("internal error: sample " + i + " did not survive lossless coding");
                }
            }
        } else {
            // Measured, not assumed: the figures describe the image the reader will get.
            for (int i = 0; i < n; i++) {
                double original = pixels.sample(i);
                double error = Math.abs(out.sample(i) - original);
                maxError = Math.max(maxError, error);
                errorSum += error;
                squaredErrorSum += error * error;
                min = Math.min(min, original);
                max = Math.max(max, original);
            }
        }
        List<Measurement> measurements = new ArrayList<>(List.of(
                new Measurement("ratio", (double) n * bytesPerSample / stream.length, ""),
                new Measurement("bits_per_pixel", 8.0 * stream.length / n, "bit"),
                new Measurement("compressed_bytes", stream.length, "By"),
                new Measurement("max_abs_error", maxError, ""),
                new Measurement("mean_abs_error", errorSum / n, "")));
        if (squaredErrorSum > 0) {
            double peak = max - min;
            measurements.add(new Measurement("psnr", 10 * Math.log10(peak * peak / (squaredErrorSum / n)), "dB"));
        }
        return new AlgorithmResult(decoded, measurements, List.of());
    }
}

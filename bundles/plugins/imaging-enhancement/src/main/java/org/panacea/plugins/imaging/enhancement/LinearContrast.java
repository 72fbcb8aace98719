package org.panacea.plugins.imaging.enhancement;

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
import org.panacea.plugins.support.pixels.LinearFloat;
import org.panacea.plugins.support.pixels.PixelLoops;

/**
 * Linear contrast {@code out = gain * in + bias} on stored values, rounded half to even and saturated to the pixel
 * type's range (OpenCV's {@code convertTo(type, alpha, beta)}). 16-bit images run on float vector lanes where the
 * JVM has the Vector API and float arithmetic is checked to give every value the image holds exactly; otherwise
 * integer images go through a table over the values the image holds (at most 256 or 65536 entries).
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + LinearContrast.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + LinearContrast.VERSION })
public class LinearContrast implements ImagingAlgorithm {

    static final String ID = "imaging.linear-contrast";
    static final String VERSION = "1.0.0";

    static final double MAX_GAIN = 1000;
    static final double MAX_BIAS = 1e6;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Linear contrast", "Panacea",
            "out = gain * stored + bias on the stored values (no rescale), rounded half to even and saturated to "
                    + "the pixel type's range: 0..255 for 8-bit, 0..65535 for unsigned and -32768..32767 for "
                    + "signed 16-bit; 32-bit real images are not rounded and are limited to the finite float range "
                    + "(as OpenCV's convertTo with alpha = gain, beta = bias). The output has the input's pixel "
                    + "type; its values are display values, so the rescale is reset to identity and the window "
                    + "dropped (modality, spacing and source instance are kept). Reports the number of saturated "
                    + "pixels. Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images of any size",
            "Brightness and contrast adjustment for display; not for quantitative measurement (values saturate)",
            List.of(ParameterSpec.decimal("gain",
                            "multiplier of the stored value, -1000 to 1000 (1 keeps the contrast, negative inverts)",
                            "", -MAX_GAIN, MAX_GAIN, 1.0),
                    ParameterSpec.decimal("bias",
                            "value added after the gain, in stored units, -1000000 to 1000000", "", -MAX_BIAS,
                            MAX_BIAS, 0.0)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double gain = Checks.range("gain", parameters.decimal("gain"), -MAX_GAIN, MAX_GAIN);
        double bias = Checks.range("bias", parameters.decimal("bias"), -MAX_BIAS, MAX_BIAS);
        Pixels in = image.pixels();
        int width = image.width();
        int n = in.length();
        long[] saturatedPerRow = new long[image.height()];
        Pixels out;
        if (in instanceof Pixels.Gray8 gray) {
            byte[] source = gray.values();
            byte[] target = new byte[n];
            int[] table = table(0, 256, gain, bias, 0, 255);
            Rows.run("Linear contrast", image.height(), width, (first, end) -> {
                for (int y = first; y < end; y++) {
                    long saturated = 0;
                    for (int i = y * width; i < (y + 1) * width; i++) {
                        int v = table[source[i] & 0xFF];
                        target[i] = (byte) v;
                        saturated += v >>> 31;
                    }
                    saturatedPerRow[y] = saturated;
                }
            });
            out = new Pixels.Gray8(target);
        } else if (in instanceof Pixels.Gray16 gray) {
            short[] source = gray.values();
            short[] target = new short[n];
            boolean signed = gray.signed();
            int first = signed ? Short.MIN_VALUE : 0;
            // Only the values the image holds need a table, or a check that float lanes compute them exactly.
            int[] range = n == 0 ? new int[] { first, first } : PixelLoops.range(source, signed, 0, n);
            LinearFloat lanes = new LinearFloat((float) gain, (float) bias, first, first + 65535);
            if (PixelLoops.vectorised() && lanes.matches(gain, bias, range[0], range[1])) {
                // A register of samples multiplied, added, rounded and clamped per step, as OpenCV's convertTo
                // does, where a table look-up is one sample at a time; taken only when float arithmetic gives
                // every value the image holds exactly as the double definition does.
                boolean count = lanes.clamps(range[0], range[1]);
                Rows.run("Linear contrast", image.height(), width, (from, end) -> saturatedPerRow[from] =
                        PixelLoops.linear(source, signed, lanes, target, from * width, end * width, count));
            } else {
                int low = range[0];
                int[] table = table(low, range[1] - low + 1, gain, bias, first, first + 65535);
                Rows.run("Linear contrast", image.height(), width, (from, end) -> {
                    for (int y = from; y < end; y++) {
                        long saturated = 0;
                        if (signed) {
                            for (int i = y * width; i < (y + 1) * width; i++) {
                                int v = table[source[i] - low];
                                target[i] = (short) v;
                                saturated += v >>> 31;
                            }
                        } else {
                            for (int i = y * width; i < (y + 1) * width; i++) {
                                int v = table[(source[i] & 0xFFFF) - low];
                                target[i] = (short) v;
                                saturated += v >>> 31;
                            }
                        }
                        saturatedPerRow[y] = saturated;
                    }
                });
            }
            out = new Pixels.Gray16(target, signed);
        } else {
            float[] source = ((Pixels.Float32) in).values();
            float[] target = new float[n];
            Rows.run("Linear contrast", image.height(), width, (first, end) -> {
                for (int y = first; y < end; y++) {
                    long saturated = 0;
                    for (int i = y * width; i < (y + 1) * width; i++) {
                        double v = gain * source[i] + bias;
                        double limited = Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, v));
                        saturated += limited != v ? 1 : 0;
                        target[i] = (float) limited;
                    }
                    saturatedPerRow[y] = saturated;
                }
            });
            out = new Pixels.Float32(target);
        }
        long saturated = 0;
        for (long count : saturatedPerRow) {
            saturated += count;
        }
        return new AlgorithmResult(new Image(width, image.height(), out, DisplayMetadata.of(image.metadata(), in)),
                List.of(new Measurement("saturated_pixels", saturated, "")), List.of());
    }

    /**
     * For each of {@code size} stored values from {@code first}, the output value in the low bits, with bit 31 set
     * when it was saturated to {@code min} or {@code max}.
     */
    private static int[] table(int first, int size, double gain, double bias, int min, int max) {
        int[] table = new int[size];
        for (int i = 0; i < size; i++) {
            double v = Math.rint(gain * (first + i) + bias);
            int clamped = (int) Math.max(min, Math.min(max, v));
            table[i] = clamped == v ? clamped & 0x7FFFFFFF : clamped | 0x80000000;
        }
        return table;
    }
}

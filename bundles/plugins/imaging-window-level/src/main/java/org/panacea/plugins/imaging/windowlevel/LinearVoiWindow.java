package org.panacea.plugins.imaging.windowlevel;

import java.util.List;

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
 * Window/level for display: the DICOM linear VOI function (PS3.3 C.11.2.1.2.1) applied to rescaled values
 * (Hounsfield units for CT), mapped to 0..255 and rounded half up. Values at or below
 * {@code centre - 0.5 - (width - 1) / 2} are black, above {@code centre - 0.5 + (width - 1) / 2} white.
 * For integer images a look-up table over every possible stored value does the work, so a 2048x2048 16-bit image
 * costs one table of 64 KiB and one pass.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + LinearVoiWindow.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + LinearVoiWindow.VERSION })
public class LinearVoiWindow implements ImagingAlgorithm {

    static final String ID = "imaging.window-level";
    static final String VERSION = "1.0.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Window/level",
            "Panacea",
            "DICOM linear VOI LUT (PS3.3 C.11.2.1.2.1) on rescaled values (HU for CT), output 8-bit 0..255, "
                    + "rounded half up",
            "Display of CT and MR images with a chosen window; not a diagnostic measurement",
            List.of(ParameterSpec.decimal("center", "window centre, in rescaled units", "[hnsf'U]", -10000.0,
                            100000.0, 40.0),
                    ParameterSpec.decimal("width", "window width, in rescaled units (at least 1)", "[hnsf'U]", 1.0,
                            200000.0, 400.0)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double center = parameters.decimal("center");
        double width = parameters.decimal("width");
        if (!(width >= 1)) {
            throw new AlgorithmException("window width must be at least 1, was " + width);
        }
        ImageMetadata in = image.metadata();
        double slope = in.rescaleSlope();
        double intercept = in.rescaleIntercept();
        int n = image.pixels().length();
        byte[] out = new byte[n];
        Pixels pixels = image.pixels();
        if (pixels instanceof Pixels.Gray8 gray) {
            byte[] lut = table(0, 256, slope, intercept, center, width);
            byte[] values = gray.values();
            for (int i = 0; i < n; i++) {
                out[i] = lut[values[i] & 0xFF];
            }
        } else if (pixels instanceof Pixels.Gray16 gray) {
            // Index the table by the stored value's position in its range: signed values start at -32768.
            int first = gray.signed() ? Short.MIN_VALUE : 0;
            byte[] lut = table(first, 65536, slope, intercept, center, width);
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = 0; i < n; i++) {
                    out[i] = lut[values[i] - Short.MIN_VALUE];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = lut[values[i] & 0xFFFF];
                }
            }
        } else {
            float[] values = ((Pixels.Float32) pixels).values();
            for (int i = 0; i < n; i++) {
                out[i] = (byte) Math.round(voi(values[i] * slope + intercept, center, width));
            }
        }
        ImageMetadata display = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, 8, in.sourceInstanceUid());
        return new AlgorithmResult(new Image(image.width(), image.height(), new Pixels.Gray8(out), display),
                List.of(new Measurement("center", center, "[hnsf'U]"), new Measurement("width", width, "[hnsf'U]")),
                List.of());
    }

    /** The 8-bit output for each of {@code size} stored values starting at {@code first}. */
    private static byte[] table(int first, int size, double slope, double intercept, double center, double width) {
        byte[] lut = new byte[size];
        for (int i = 0; i < size; i++) {
            lut[i] = (byte) Math.round(voi((first + i) * slope + intercept, center, width));
        }
        return lut;
    }

    /** The DICOM linear VOI function with output range 0..255. */
    static double voi(double x, double center, double width) {
        double c = center - 0.5;
        double halfSpan = (width - 1) / 2;
        if (x <= c - halfSpan) {
            return 0;
        }
        if (x > c + halfSpan) {
            return 255;
        }
        return ((x - c) / (width - 1) + 0.5) * 255;
    }
}

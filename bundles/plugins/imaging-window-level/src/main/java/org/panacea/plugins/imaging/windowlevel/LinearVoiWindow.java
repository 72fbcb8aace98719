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
import org.panacea.plugins.support.display.GreyscaleDisplay;

/**
 * Window/level for display: Panacea's display function ({@link GreyscaleDisplay}, the one DICOMweb's rendered
 * images use), that is the DICOM linear VOI function (PS3.3 C.11.2.1.2.1) applied to rescaled values (Hounsfield
 * units for CT), mapped to 0..255 and rounded half up, with MONOCHROME1 images (higher values darker) inverted so
 * that the output displays the right way round as MONOCHROME2. Values at or below
 * {@code centre - 0.5 - (width - 1) / 2} are black, above {@code centre - 0.5 + (width - 1) / 2} white (the other
 * way round for MONOCHROME1). For large integer images a look-up table over every possible stored value does the
 * work, so a 2048x2048 16-bit image costs one table of 64 KiB and one pass.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + LinearVoiWindow.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + LinearVoiWindow.VERSION })
public class LinearVoiWindow implements ImagingAlgorithm {

    static final String ID = "imaging.window-level";
    static final String VERSION = "1.1.0";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Window/level",
            "Panacea",
            "DICOM linear VOI LUT (PS3.3 C.11.2.1.2.1) on rescaled values (HU for CT), output 8-bit 0..255, "
                    + "rounded half up; MONOCHROME1 images inverted to display as MONOCHROME2",
            "Display of CT, MR and radiographs with a chosen window; not a diagnostic measurement",
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
        byte[] out = GreyscaleDisplay.render(image, center, width);
        // Display values: no rescale, no window of their own, higher values brighter (MONOCHROME2).
        ImageMetadata display = new ImageMetadata(in.modality(), in.rowSpacing(), in.columnSpacing(), 1, 0, "",
                Double.NaN, Double.NaN, 8, in.sourceInstanceUid(), ImageMetadata.MONOCHROME2);
        return new AlgorithmResult(new Image(image.width(), image.height(), new Pixels.Gray8(out), display),
                List.of(new Measurement("center", center, "[hnsf'U]"), new Measurement("width", width, "[hnsf'U]")),
                List.of());
    }
}

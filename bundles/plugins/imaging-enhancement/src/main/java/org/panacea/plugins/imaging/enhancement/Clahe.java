package org.panacea.plugins.imaging.enhancement;

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
 * Contrast-limited adaptive histogram equalisation (Zuiderveld, Graphics Gems IV, 1994) with OpenCV's
 * conventions, so that with {@code range=type} and one bin per value it gives OpenCV's {@code CLAHE::apply}:
 * <ol>
 * <li>the image is cut into {@code tiles-x x tiles-y} equal tiles; when its size is not a multiple of the grid,
 * it is first extended to the right and bottom by {@code tiles - size % tiles} mirrored samples (reflect101, as
 * OpenCV does);</li>
 * <li>each tile's histogram (of {@code bins} equal bins over the output range) is clipped at
 * {@code max(1, floor(clip-limit * tile pixels / bins))}; the clipped counts are spread evenly over all bins and
 * the remainder one by one at a regular step from the first bin;</li>
 * <li>each tile's mapping is {@code low + cumulative count * (high - low) / tile pixels}, rounded half to even
 * for integer images;</li>
 * <li>each pixel's value is the bilinear interpolation of the mappings of the four nearest tile centres (the
 * nearest one or two at the image's edges), in {@code float}, rounded half to even for integer images.</li>
 * </ol>
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + Clahe.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + Clahe.VERSION })
public class Clahe implements ImagingAlgorithm {

    static final String ID = "imaging.clahe";
    static final String VERSION = "1.0.0";

    static final int MAX_TILES = 64;
    static final double MAX_CLIP_LIMIT = 1000;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION,
            "CLAHE (contrast-limited adaptive histogram equalisation)", "Panacea",
            "Contrast-limited adaptive histogram equalisation of the stored values (Zuiderveld 1994) with OpenCV's "
                    + "conventions: the image is cut into tiles-x by tiles-y equal tiles (a size that is not a "
                    + "multiple of the grid is first extended at the right and bottom by tiles - size % tiles "
                    + "mirrored samples, reflect101); each tile's histogram of `bins` equal bins over the output "
                    + "range (bin = floor((v - low) x bins / (high - low)), the top value in the last bin) is "
                    + "clipped at max(1, floor(clip-limit x tile pixels / bins)) and the excess spread evenly over "
                    + "all bins; each tile maps a value to low + cumulative count x (high - low) / "
                    + "tile pixels; every pixel takes the bilinear interpolation of the four nearest tile "
                    + "centres' mappings. Integer results are rounded half to even. With range=type and one bin "
                    + "per value (256 for 8-bit, 65536 for 16-bit) this is OpenCV's createCLAHE(clip-limit, "
                    + "(tiles-x, tiles-y)).apply. Integer images use at most one bin per value. The output has "
                    + "the input's pixel type; its values are display values, so the rescale is reset to "
                    + "identity and the window dropped (modality, spacing and source instance are kept). Accepts "
                    + "8-bit, 16-bit signed or unsigned and 32-bit real images (without NaN) of any size; a "
                    + "constant image is returned unchanged",
            "Local contrast enhancement for display (e.g. soft tissue in CT/MR, retinal and X-ray images); it "
                    + "changes grey values non-linearly and locally and is not for quantitative measurement",
            List.of(ParameterSpec.integer("tiles-x", "number of tile columns, 1 to " + MAX_TILES, 1, MAX_TILES, 8),
                    ParameterSpec.integer("tiles-y", "number of tile rows, 1 to " + MAX_TILES, 1, MAX_TILES, 8),
                    ParameterSpec.decimal("clip-limit",
                            "histogram clip limit as a multiple of the mean bin count (tile pixels / bins), 0 to "
                                    + "1000; 0 means no limit (plain adaptive equalisation), 1 almost no contrast "
                                    + "change", "", 0.0, MAX_CLIP_LIMIT, 2.0),
                    ParameterSpec.integer("bins",
                            "number of histogram bins over the range, 2 to 65536 (capped at one bin per value "
                                    + "for integer images)", 2, 65536, 256),
                    ParameterSpec.choice("range", ValueRange.DESCRIPTION, ValueRange.IMAGE, ValueRange.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        int tilesX = Checks.range("tiles-x", parameters.integer("tiles-x"), 1, MAX_TILES);
        int tilesY = Checks.range("tiles-y", parameters.integer("tiles-y"), 1, MAX_TILES);
        double clipLimit = Checks.range("clip-limit", parameters.decimal("clip-limit"), 0, MAX_CLIP_LIMIT);
        int bins = Checks.range("bins", parameters.integer("bins"), 2, 65536);
        String rangeName = Checks.choice("range", parameters.text("range"), ValueRange.NAMES);
        Pixels in = image.pixels();
        ValueRange data = ValueRange.ofImage(in);
        if (!(data.high() >= data.low())) {
            throw new AlgorithmException("CLAHE needs real samples without NaN");
        }
        ValueRange range = ValueRange.TYPE.equals(rangeName) ? ValueRange.ofType(in) : data;
        Pixels out;
        if (data.low() == data.high()) {
            out = copy(in);
        } else {
            out = new ClaheMapping(image, range, data, bins, tilesX, tilesY, clipLimit).apply();
        }
        return AlgorithmResult.of(new Image(image.width(), image.height(), out,
                DisplayMetadata.of(image.metadata(), in)));
    }

    private static Pixels copy(Pixels pixels) {
        if (pixels instanceof Pixels.Gray8 gray) {
            return new Pixels.Gray8(gray.values().clone());
        }
        if (pixels instanceof Pixels.Gray16 gray) {
            return new Pixels.Gray16(gray.values().clone(), gray.signed());
        }
        return new Pixels.Float32(((Pixels.Float32) pixels).values().clone());
    }
}

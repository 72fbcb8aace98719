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
 * Discrete Laplacian of the stored values with a 3x3 kernel: 4 neighbours {@code [0 1 0; 1 -4 1; 0 1 0]}
 * (scipy's {@code ndimage.laplace}, OpenCV's {@code Laplacian(ksize=1)}) or 8 neighbours
 * {@code [1 1 1; 1 -8 1; 1 1 1]}. Integer inputs give exact integer results (held exactly in {@code float}).
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + LaplacianFilter.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + LaplacianFilter.VERSION })
public class LaplacianFilter implements ImagingAlgorithm {

    static final String ID = "imaging.laplacian";
    static final String VERSION = "1.0.0";

    static final String FOUR = "4";
    static final String EIGHT = "8";

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Laplacian", "Panacea",
            "Discrete Laplacian of the stored values with a 3x3 kernel: neighbours=4 uses [0 1 0; 1 -4 1; 0 1 0] "
                    + "(scipy ndimage.laplace, OpenCV Laplacian ksize=1), neighbours=8 uses [1 1 1; 1 -8 1; "
                    + "1 1 1]. Output 32-bit real (exact for integer inputs) in stored units; the rescale slope is "
                    + "kept and the intercept set to 0, as the kernel's weights sum to 0. Borders: "
                    + Border.DESCRIPTION + ". Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images of "
                    + "any size",
            "Edge and detail enhancement, zero-crossing edge detection; not a diagnostic measurement",
            List.of(ParameterSpec.choice("neighbours",
                            "4 (edge neighbours, [0 1 0; 1 -4 1; 0 1 0]) or 8 (edge and corner neighbours, "
                                    + "[1 1 1; 1 -8 1; 1 1 1])",
                            FOUR, List.of(FOUR, EIGHT)),
                    ParameterSpec.choice("border", Border.DESCRIPTION, Border.REFLECT.parameterValue,
                            Border.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        String neighbours = parameters.text("neighbours");
        if (!FOUR.equals(neighbours) && !EIGHT.equals(neighbours)) {
            throw new AlgorithmException("neighbours must be 4 or 8, was '" + neighbours + "'");
        }
        boolean eight = EIGHT.equals(neighbours);
        Border border = Border.parse(parameters.text("border"));
        int width = image.width();
        float[] out = new float[width * image.height()];
        Bands.run("Laplacian", width, image.height(), 1, (first, end, cancellation) -> {
            PaddedRows rows = new PaddedRows(image, border, 1);
            int padded = rows.paddedWidth();
            float[] vertical = new float[padded];
            float[] middle = new float[width];
            float[] right = new float[width];
            float[] centre = new float[width];
            float[] result = new float[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                float[][] window = rows.around(y);
                float[] above = window[0];
                float[] row = window[1];
                float[] below = window[2];
                // Padded index x + 1 is sample x: shifted copies line the neighbours up at index x.
                System.arraycopy(row, 1, centre, 0, width);
                if (eight) {
                    for (int x = 0; x < padded; x++) {
                        vertical[x] = above[x] + row[x] + below[x];
                    }
                    System.arraycopy(vertical, 1, middle, 0, width);
                    System.arraycopy(vertical, 2, right, 0, width);
                    for (int x = 0; x < width; x++) {
                        result[x] = vertical[x] + middle[x] + right[x] - 9 * centre[x];
                    }
                } else {
                    for (int x = 0; x < padded; x++) {
                        vertical[x] = above[x] + below[x];
                    }
                    System.arraycopy(vertical, 1, middle, 0, width);
                    System.arraycopy(row, 2, right, 0, width);
                    for (int x = 0; x < width; x++) {
                        result[x] = middle[x] + row[x] + right[x] - 4 * centre[x];
                    }
                }
                System.arraycopy(result, 0, out, y * width, width);
            }
        });
        return AlgorithmResult.of(new Image(width, image.height(), new Pixels.Float32(out),
                OutputMetadata.difference(image.metadata(), false)));
    }
}

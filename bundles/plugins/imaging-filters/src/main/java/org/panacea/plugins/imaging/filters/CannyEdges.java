package org.panacea.plugins.imaging.filters;

import java.util.Arrays;
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
 * Canny edges: Gaussian smoothing ({@link GaussianBlur}'s kernel), 3x3 Sobel derivatives ({@link SobelRows}),
 * non-maximum suppression along the gradient direction quantised to 0, 45, 90 and 135 degrees, and hysteresis:
 * pixels whose gradient magnitude exceeds {@code high} are edges, and pixels above {@code low} join them when
 * 8-connected to an edge through such pixels. The suppression follows OpenCV's {@code Canny} with
 * {@code L2gradient}: a pixel survives when its magnitude is greater than its neighbour before it along the
 * direction and not less than the one after it (strictly greater than both on diagonals), and neighbours outside
 * the image count as 0.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + CannyEdges.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + CannyEdges.VERSION })
public class CannyEdges implements ImagingAlgorithm {

    static final String ID = "imaging.canny";
    static final String VERSION = "1.0.0";

    static final double MAX_THRESHOLD = 1e7;

    private static final float TAN_22_5 = (float) Math.tan(Math.PI / 8);
    private static final float TAN_67_5 = (float) Math.tan(3 * Math.PI / 8);

    private static final byte NONE = 0;
    private static final byte WEAK = 1;
    private static final byte STRONG = 2;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Canny edges", "Panacea",
            "Canny edge detector on the stored values: Gaussian smoothing (radius ceil(4 sigma), as "
                    + "imaging.gaussian-blur), unnormalised 3x3 Sobel derivatives (a step of height h gives a "
                    + "gradient of 4h), gradient magnitude sqrt(gx^2 + gy^2), non-maximum suppression along the "
                    + "gradient direction quantised to 0/45/90/135 degrees (outside the image counts as 0), and "
                    + "hysteresis: magnitude > high starts an edge, magnitude > low continues it through "
                    + "8-connected neighbours (OpenCV Canny with L2gradient on the same derivatives). Thresholds "
                    + "are in stored units x 4 per pixel (Sobel scale), not rescaled. Output 8-bit mask, 255 on "
                    + "edges, 0 elsewhere; reports the edge pixel count. Borders (smoothing and derivatives): "
                    + Border.DESCRIPTION + ". Accepts 8-bit, 16-bit signed or unsigned and 32-bit real images of "
                    + "any size",
            "Edge and contour detection for research and pre-processing; not a diagnostic segmentation",
            List.of(ParameterSpec.decimal("sigma",
                            "standard deviation of the smoothing Gaussian, in pixels (" + GaussianBlur.MIN_SIGMA
                                    + " to " + (int) GaussianBlur.MAX_SIGMA + ")", "", GaussianBlur.MIN_SIGMA,
                            GaussianBlur.MAX_SIGMA, 1.0),
                    ParameterSpec.decimal("low",
                            "lower hysteresis threshold on the gradient magnitude (Sobel scale, stored units x 4 "
                                    + "per pixel), 0 to 1e7 and not above high", "", 0.0, MAX_THRESHOLD, 50.0),
                    ParameterSpec.decimal("high",
                            "upper hysteresis threshold on the gradient magnitude (Sobel scale, stored units x 4 "
                                    + "per pixel), 0 to 1e7 and not below low", "", 0.0, MAX_THRESHOLD, 150.0),
                    ParameterSpec.choice("border", Border.DESCRIPTION, Border.REFLECT.parameterValue,
                            Border.NAMES)));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        double sigma = Checks.range("sigma", parameters.decimal("sigma"), GaussianBlur.MIN_SIGMA,
                GaussianBlur.MAX_SIGMA, "pixels");
        double low = Checks.range("low", parameters.decimal("low"), 0, MAX_THRESHOLD, "");
        double high = Checks.range("high", parameters.decimal("high"), 0, MAX_THRESHOLD, "");
        if (low > high) {
            throw new AlgorithmException("low must not be above high (" + high + "), was " + low);
        }
        Border border = Border.parse(parameters.text("border"));
        int width = image.width();
        int height = image.height();
        float[] smoothed = new SymmetricConvolution(GaussianBlur.kernel(sigma)).apply(image, border, "Canny edges");
        Image smooth = new Image(width, height, new Pixels.Float32(smoothed), image.metadata());

        // Squared magnitudes order pixels as magnitudes do and need no square root. They go into an image with a
        // border of zeros one pixel wide, so the suppression reads outside the image as 0 without a bounds check.
        int stride = width + 2;
        float[] magnitude = new float[stride * (height + 2)];
        float[] dxs = new float[width * height];
        float[] dys = new float[width * height];
        SobelRows.derivatives(smooth, border, "Canny edges", (y, gx, gy) -> {
            System.arraycopy(gx, 0, dxs, y * width, width);
            System.arraycopy(gy, 0, dys, y * width, width);
            // gx becomes the squared magnitude: this loop reads and writes one index only, so it vectorises.
            for (int x = 0; x < width; x++) {
                gx[x] = gx[x] * gx[x] + gy[x] * gy[x];
            }
            System.arraycopy(gx, 0, magnitude, (y + 1) * stride + 1, width);
        });
        byte[] map = suppressNonMaxima(magnitude, dxs, dys, width, height, (float) (low * low),
                (float) (high * high));
        long edges = trace(map, width, height);
        return new AlgorithmResult(new Image(width, height, new Pixels.Gray8(map),
                OutputMetadata.mask(image.metadata())),
                List.of(new Measurement("edge_pixels", edges, ""), new Measurement("sigma", sigma, ""),
                        new Measurement("low", low, ""), new Measurement("high", high, "")),
                List.of());
    }

    /**
     * WEAK or STRONG where the pixel is a local maximum above {@code low2} (squared thresholds), NONE elsewhere.
     * The direction is worked out only for pixels above the low threshold, most of an image being below it.
     */
    private static byte[] suppressNonMaxima(float[] magnitude, float[] dxs, float[] dys, int width, int height,
            float low2, float high2) throws AlgorithmException {
        int stride = width + 2;
        byte[] map = new byte[width * height];
        Bands.run("Canny edges", width, height, 1, (first, end, cancellation) -> {
            for (int y = first; y < end; y++) {
                cancellation.check();
                int row = (y + 1) * stride + 1;
                for (int x = 0; x < width; x++) {
                    int i = row + x;
                    float m = magnitude[i];
                    if (!(m > low2)) {
                        continue;
                    }
                    float gx = dxs[y * width + x];
                    float gy = dys[y * width + x];
                    float ax = Math.abs(gx);
                    float ay = Math.abs(gy);
                    boolean maximum;
                    if (ay < TAN_22_5 * ax) {
                        maximum = m > magnitude[i - 1] && m >= magnitude[i + 1];
                    } else if (ay > TAN_67_5 * ax) {
                        maximum = m > magnitude[i - stride] && m >= magnitude[i + stride];
                    } else if ((gx > 0) == (gy > 0)) {
                        // Same signs: the gradient points to (x+1, y+1), with y growing downwards.
                        maximum = m > magnitude[i - stride - 1] && m > magnitude[i + stride + 1];
                    } else {
                        maximum = m > magnitude[i - stride + 1] && m > magnitude[i + stride - 1];
                    }
                    if (maximum) {
                        map[y * width + x] = m > high2 ? STRONG : WEAK;
                    }
                }
            }
        });
        return map;
    }

    /**
     * Hysteresis: every WEAK pixel 8-connected to a STRONG one through WEAK pixels becomes an edge. Rewrites
     * {@code map} as the 0/255 mask and returns the number of edge pixels.
     */
    static long trace(byte[] map, int width, int height) {
        int[] stack = new int[Math.max(16, width * height / 16)];
        int top = 0;
        for (int i = 0; i < map.length; i++) {
            if (map[i] == STRONG) {
                stack = push(stack, top++, i);
            }
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % width;
            int y = i / width;
            for (int dy = -1; dy <= 1; dy++) {
                int ny = y + dy;
                if (ny < 0 || ny >= height) {
                    continue;
                }
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    if (nx < 0 || nx >= width) {
                        continue;
                    }
                    int j = ny * width + nx;
                    if (map[j] == WEAK) {
                        map[j] = STRONG;
                        stack = push(stack, top++, j);
                    }
                }
            }
        }
        long edges = 0;
        for (int i = 0; i < map.length; i++) {
            // STRONG (2) becomes 255, WEAK and NONE 0.
            int strong = map[i] >> 1;
            map[i] = (byte) -strong;
            edges += strong;
        }
        return edges;
    }

    private static int[] push(int[] stack, int top, int value) {
        int[] target = top < stack.length ? stack : Arrays.copyOf(stack, stack.length * 2);
        target[top] = value;
        return target;
    }
}

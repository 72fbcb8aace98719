package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.sdk.testkit.SampleImages;

/**
 * The filter against a direct computation written independently here: every window summed pixel by pixel in double
 * precision, border pixels found by walking back and forth between the edges (the definition of the two border
 * modes) rather than by the filter's index formula. The filter rounds to 32-bit floats twice (row means, output),
 * so it agrees to 1e-6 of the largest magnitude in the image (where positive and negative values cancel, relative
 * to the result itself would ask more than float holds).
 */
class BoxMeanFilterTest {

    private static final double RELATIVE_TOLERANCE = 1e-6;

    private final BoxMeanFilter filter = new BoxMeanFilter();

    private static Parameters parameters(int radius, String border) {
        return new Parameters(Map.of("radius", radius, "border", border));
    }

    @Test
    void equalsTheDirectMeanForEveryPixelFormatSizeRadiusAndBorder() throws Exception {
        List<Image> images = new ArrayList<>(SampleImages.standard());
        // Large enough to take the parallel path, with odd sizes so that blocks and rows do not divide evenly.
        images.add(SampleImages.gray16(601, 397, true, 7));
        images.add(SampleImages.float32(397, 601, 8));
        for (Image image : images) {
            for (int radius : new int[] { 1, 2, 7, BoxMeanFilter.MAX_RADIUS }) {
                if (radius == BoxMeanFilter.MAX_RADIUS && image.width() * image.height() > 10_000) {
                    continue; // the direct sum is slow at this radius; small images cover it
                }
                for (String border : BoxMeanFilter.BORDERS) {
                    float[] out = ((Pixels.Float32) filter.apply(image, parameters(radius, border)).image().pixels())
                            .values();
                    double[] expected = directMean(image, radius, border.equals("reflect"));
                    double tolerance = RELATIVE_TOLERANCE * Math.max(1, largestMagnitude(image));
                    for (int i = 0; i < out.length; i++) {
                        assertEquals(expected[i], out[i], tolerance, SampleImages.describe(image) + " radius "
                                + radius + " " + border + ": pixel " + i);
                    }
                }
            }
        }
    }

    @Test
    void aConstantImageStaysConstantAndAnImpulseSpreadsEvenly() throws Exception {
        short[] constant = new short[25];
        java.util.Arrays.fill(constant, (short) 7);
        Image flat = new Image(5, 5, new Pixels.Gray16(constant, false), ImageMetadata.unknown(16));
        for (float value : ((Pixels.Float32) filter.apply(flat, parameters(2, "nearest")).image().pixels()).values()) {
            assertEquals(7f, value);
        }
        byte[] impulse = new byte[81];
        impulse[40] = (byte) 90;
        Image dot = new Image(9, 9, new Pixels.Gray8(impulse), ImageMetadata.unknown(8));
        float[] spread = ((Pixels.Float32) filter.apply(dot, parameters(1, "reflect")).image().pixels()).values();
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                boolean near = Math.abs(x - 4) <= 1 && Math.abs(y - 4) <= 1;
                assertEquals(near ? 10f : 0f, spread[y * 9 + x], 1e-6, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void keepsTheRescaleGeometryWindowAndSource() throws Exception {
        Image ct = SampleImages.gray16(33, 17, false, 3);
        ImageMetadata out = filter.apply(ct, parameters(3, "reflect")).image().metadata();
        ImageMetadata in = ct.metadata();
        assertEquals(in.rescaleSlope(), out.rescaleSlope());
        assertEquals(in.rescaleIntercept(), out.rescaleIntercept());
        assertEquals(in.rescaleUnit(), out.rescaleUnit());
        assertEquals(in.rowSpacing(), out.rowSpacing());
        assertEquals(in.windowCenter(), out.windowCenter());
        assertEquals(in.sourceInstanceUid(), out.sourceInstanceUid());
        assertEquals(32, out.bitsStored());
    }

    @Test
    void refusesARadiusOrBorderOutsideItsRangeNamingIt() {
        Image image = SampleImages.gray8(4, 4, 1);
        AlgorithmException radius = assertThrows(AlgorithmException.class,
                () -> filter.apply(image, parameters(BoxMeanFilter.MAX_RADIUS + 1, "reflect")));
        assertTrue(radius.getMessage().contains("radius") && radius.getMessage().contains("1 to 25"),
                radius.getMessage());
        AlgorithmException border = assertThrows(AlgorithmException.class,
                () -> filter.apply(image, parameters(1, "wrap")));
        assertTrue(border.getMessage().contains("border") && border.getMessage().contains("reflect"),
                border.getMessage());
    }

    private static double largestMagnitude(Image image) {
        double largest = 0;
        for (int i = 0; i < image.pixels().length(); i++) {
            largest = Math.max(largest, Math.abs(image.pixels().sample(i)));
        }
        return largest;
    }

    /** The mean of every window, summed directly. */
    private static double[] directMean(Image image, int radius, boolean reflect) {
        int width = image.width();
        int height = image.height();
        double[] mean = new double[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int sx = borderPixel(x + dx, width, reflect);
                        int sy = borderPixel(y + dy, height, reflect);
                        sum += image.pixels().sample(sy * width + sx);
                    }
                }
                mean[y * width + x] = sum / ((2 * radius + 1) * (2 * radius + 1));
            }
        }
        return mean;
    }

    /**
     * Position {@code i} of a line of {@code n} pixels. Nearest: the edge pixel. Reflect: walk from the nearest edge
     * outwards step by step, turning back at each edge, where the edge pixel is met twice (d c b a | a b c d).
     */
    private static int borderPixel(int i, int n, boolean reflect) {
        if (i >= 0 && i < n) {
            return i;
        }
        if (!reflect) {
            return i < 0 ? 0 : n - 1;
        }
        int position = i < 0 ? 0 : n - 1;
        int direction = i < 0 ? 1 : -1;
        int steps = i < 0 ? -i - 1 : i - n;
        for (int s = 0; s < steps; s++) {
            int next = position + direction;
            if (next < 0 || next >= n) {
                direction = -direction; // the edge pixel is repeated: turn back without moving
            } else {
                position = next;
            }
        }
        return position;
    }
}

package org.panacea.plugins.imaging.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
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
 * Region growing from a seed: the pixels connected to the seed (4 or 8 neighbours) through pixels whose rescaled
 * value lies within {@code tolerance} of the seed's, bounds inclusive. The same region as flood-filling the mask
 * {@code seed - tolerance <= value <= seed + tolerance} from the seed.
 */
@Component(service = ImagingAlgorithm.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + RegionGrowing.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + RegionGrowing.VERSION })
public class RegionGrowing implements ImagingAlgorithm {

    static final String ID = "imaging.region-growing";
    static final String VERSION = "1.0.0";

    static final int MAX_COORDINATE = Integer.MAX_VALUE - 1;

    private static final PluginDescriptor DESCRIPTOR = new PluginDescriptor(ID, VERSION, "Region growing",
            "Panacea",
            "Grows a region from the seed pixel (x = column, y = row, 0-based from the top-left corner): every "
                    + "pixel connected to the seed (4 = edge neighbours, 8 = edge and corner neighbours) through "
                    + "pixels whose rescaled value (stored * slope + intercept, HU for CT) is within tolerance of "
                    + "the seed's value, inclusive. Output: 8-bit mask, 255 in the region, keeping the input's "
                    + "modality, spacing and source instance. Reports the seed value and one finding with the "
                    + "region's pixels, area (mm2), mean rescaled value, bounding box and centroid (mm; pixels "
                    + "when the spacing is unknown)",
            "Interactive delineation of a structure of homogeneous value (a cyst, a vessel lumen, an organ) for "
                    + "measurement in research and reports; the user checks the result",
            List.of(ParameterSpec.integer("x", "seed column, 0 to image width - 1", 0, MAX_COORDINATE, null),
                    ParameterSpec.integer("y", "seed row, 0 to image height - 1", 0, MAX_COORDINATE, null),
                    ParameterSpec.decimal("tolerance",
                            "largest difference from the seed's value, inclusive, in rescaled units (HU for CT); "
                                    + "0 or more",
                            "", 0.0, null, 0.0),
                    ParameterSpec.choice("connectivity",
                            "4 = pixels touching by an edge are connected; 8 = by an edge or a corner", "4",
                            List.of("4", "8"))));

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        int width = image.width();
        int height = image.height();
        int seedX = parameters.integer("x");
        int seedY = parameters.integer("y");
        if (seedX < 0 || seedX >= width) {
            throw new AlgorithmException("x must be between 0 and " + (width - 1) + " (the image's columns), was "
                    + seedX);
        }
        if (seedY < 0 || seedY >= height) {
            throw new AlgorithmException("y must be between 0 and " + (height - 1) + " (the image's rows), was "
                    + seedY);
        }
        double tolerance = parameters.decimal("tolerance");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new AlgorithmException("tolerance must be a finite value of 0 or more, was " + tolerance);
        }
        boolean eightConnected = Connectivity.eightConnected(parameters.text("connectivity"));
        ImageMetadata metadata = image.metadata();
        Pixels pixels = image.pixels();
        int seed = seedY * width + seedX;
        double seedValue = pixels.sample(seed) * metadata.rescaleSlope() + metadata.rescaleIntercept();
        if (!Double.isFinite(seedValue)) {
            throw new AlgorithmException("the seed pixel (" + seedX + ", " + seedY + ") has no finite value");
        }
        ValueWindow window = ValueWindow.of(seedValue - tolerance, seedValue + tolerance, metadata);

        Foreground foreground = new Foreground(pixels, window);
        byte[] mask = new byte[width * height];
        RegionStatistics statistics = new RegionStatistics(1);
        // Each pixel enters the stack at most once (it is marked when pushed): it never holds more than n entries.
        int[] stack = new int[Math.min(width * height, 1 << 16)];
        int size = 0;
        mask[seed] = (byte) 255;
        stack[size++] = seed;
        while (size > 0) {
            int i = stack[--size];
            int x = i % width;
            int y = i / width;
            statistics.add(1, x, y, window.rescaled(pixels, i));
            for (int dy = -1; dy <= 1; dy++) {
                int ny = y + dy;
                if (ny < 0 || ny >= height) {
                    continue;
                }
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    if (nx < 0 || nx >= width || (dx == 0 && dy == 0) || (!eightConnected && dx != 0 && dy != 0)) {
                        continue;
                    }
                    int j = ny * width + nx;
                    if (mask[j] == 0 && foreground.test(j)) {
                        mask[j] = (byte) 255;
                        if (size == stack.length) {
                            stack = Arrays.copyOf(stack, Math.min(width * height, stack.length * 2));
                        }
                        stack[size++] = j;
                    }
                }
            }
        }
        Finding region = statistics.finding(1, 1, metadata);
        List<Measurement> measurements = new ArrayList<>();
        measurements.add(new Measurement("seed_value", seedValue, Units.rescaled(metadata)));
        measurements.add(new Measurement("region_pixels", statistics.pixels(1), Units.PIXEL));
        if (Units.hasSpacing(metadata)) {
            measurements.add(new Measurement("region_area",
                    statistics.pixels(1) * metadata.rowSpacing() * metadata.columnSpacing(), Units.MM2));
        }
        return new AlgorithmResult(new Image(width, height, new Pixels.Gray8(mask), Units.classes(metadata, 8)),
                measurements, List.of(region));
    }
}

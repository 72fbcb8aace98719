package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.plugins.support.pixels.PixelLoops;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * The sorting-network medians (radius 1 and 2 of integer images on the Vector API) give exactly what the other
 * paths give (the sliding histogram, the float selection network), on samples over each type's whole range, which
 * the CT test images do not reach: unsigned 16-bit values above 32767 (kept with the top bit flipped), signed ones
 * at both ends, 8-bit values above 127, sizes at and around the register widths, and images large enough to be
 * split over threads; and the same image gives the same median on one thread and on all.
 */
@Isolated
class NetworkMedianTest {

    private static final Random RANDOM = new Random(20261208);
    private static final int[][] SIZES = { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 3 }, { 31, 5 }, { 32, 32 },
        { 33, 7 }, { 64, 3 }, { 65, 65 }, { 97, 40 }, { 700, 300 } };

    @Test
    void networksServeIntegerImagesUpToRadiusTwoWhereTheJvmVectorises() {
        // Surefire starts with --add-modules jdk.incubator.vector; on a processor without 256-bit vectors the
        // plain paths run (and the comparisons below still run the networks, in plain Java).
        assertEquals(PixelLoops.vectorised(), NetworkMedian.serves(new Pixels.Gray16(new short[1], false), 2));
        assertEquals(PixelLoops.vectorised(), NetworkMedian.serves(new Pixels.Gray8(new byte[1]), 1));
        assertFalse(NetworkMedian.serves(new Pixels.Gray16(new short[1], true), 3));
        assertFalse(NetworkMedian.serves(new Pixels.Float32(new float[1]), 1));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void networksEqualTheOtherPathsOverTheWholeRange(int radius) throws Exception {
        for (int[] size : SIZES) {
            for (String type : new String[] { "unsigned", "signed", "8-bit", "narrow" }) {
                Image image = image(type, size[0], size[1]);
                SameTypeRows network = new SameTypeRows(image.pixels(), size[0], size[1]);
                NetworkMedian.apply(image, radius, Border.NEAREST, network);
                SameTypeRows other = new SameTypeRows(image.pixels(), size[0], size[1]);
                if (radius == 1) {
                    Median3x3.apply(image, Border.NEAREST, other);
                } else {
                    HistogramMedian.apply(image, radius, Border.NEAREST, other);
                }
                String what = type + " " + size[0] + "x" + size[1] + " radius " + radius;
                assertArrayEquals(TestImages.samples(new Image(size[0], size[1], other.pixels(), image.metadata())),
                        TestImages.samples(new Image(size[0], size[1], network.pixels(), image.metadata())), what);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2 })
    void oneThreadGivesWhatAllThreadsGive(int radius) throws Exception {
        Image image = image("unsigned", 800, 700);
        MedianFilter median = new MedianFilter();
        Parameters parameters = new Parameters(Map.of("radius", radius));
        double[] all = TestImages.samples(median.apply(image, parameters).image());
        System.setProperty(ImagingThreads.PROPERTY, "1");
        try {
            assertArrayEquals(all, TestImages.samples(median.apply(image, parameters).image()));
        } finally {
            System.clearProperty(ImagingThreads.PROPERTY);
        }
    }

    private static Image image(String type, int width, int height) {
        int n = width * height;
        switch (type) {
            case "8-bit": {
                byte[] values = new byte[n];
                RANDOM.nextBytes(values);
                return new Image(width, height, new Pixels.Gray8(values), ImageMetadata.unknown(8));
            }
            case "narrow": {
                // Few distinct values: many ties, where a network that confuses equal samples would show.
                short[] values = new short[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (short) (RANDOM.nextInt(3) - 1);
                }
                return new Image(width, height, new Pixels.Gray16(values, true), ImageMetadata.unknown(16));
            }
            default: {
                short[] values = new short[n];
                for (int i = 0; i < n; i++) {
                    // Half the samples at the extremes, where sign handling goes wrong.
                    values[i] = switch (RANDOM.nextInt(4)) {
                        case 0 -> Short.MIN_VALUE;
                        case 1 -> Short.MAX_VALUE;
                        case 2 -> (short) -1;
                        default -> (short) RANDOM.nextInt(65536);
                    };
                }
                return new Image(width, height, new Pixels.Gray16(values, "signed".equals(type)),
                        ImageMetadata.unknown(16));
            }
        }
    }
}

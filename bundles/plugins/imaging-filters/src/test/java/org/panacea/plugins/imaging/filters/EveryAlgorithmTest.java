package org.panacea.plugins.imaging.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * What every algorithm of the plugin promises: complete descriptors, every pixel type and size (1x1, 1xN, Nx1,
 * and one large enough for the banded path), the input's geometry and identifying metadata kept.
 */
class EveryAlgorithmTest {

    static Stream<ImagingAlgorithm> algorithms() {
        return Stream.of(new GaussianBlur(), new OtsuThreshold(), new MedianFilter(), new LaplacianFilter(),
                new SobelGradient(), new CannyEdges(), new UnsharpMask());
    }

    /** The descriptor's defaults, as the platform fills them in. */
    static Parameters defaults(PluginDescriptor descriptor) {
        Map<String, Object> values = new HashMap<>();
        for (ParameterSpec spec : descriptor.parameters()) {
            String value = spec.defaultValue();
            Object typed = spec.type() == ParameterType.DECIMAL ? Double.valueOf(value)
                    : spec.type() == ParameterType.INTEGER ? Integer.valueOf(value) : value;
            values.put(spec.name(), typed);
        }
        return new Parameters(values);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void describesItselfCompletely(ImagingAlgorithm algorithm) {
        PluginDescriptor descriptor = algorithm.descriptor();
        assertTrue(descriptor.id().startsWith("imaging."), descriptor.id());
        assertEquals("Panacea", descriptor.vendor());
        assertTrue(descriptor.description().length() > 100, descriptor.id() + " description");
        assertTrue(descriptor.description().contains("Accepts 8-bit"), descriptor.id() + " accepted inputs");
        assertFalse(descriptor.intendedUse().isEmpty(), descriptor.id() + " intended use");
        for (ParameterSpec spec : descriptor.parameters()) {
            assertTrue(spec.description().length() > 20, descriptor.id() + " " + spec.name());
            assertNotNull(spec.defaultValue(), descriptor.id() + " " + spec.name() + " default");
            if (spec.type() == ParameterType.DECIMAL || spec.type() == ParameterType.INTEGER) {
                assertNotNull(spec.minimum(), spec.name());
                assertNotNull(spec.maximum(), spec.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void acceptsEveryPixelTypeAndSizeKeepingGeometryAndMetadata(ImagingAlgorithm algorithm) throws Exception {
        Random random = new Random(23);
        ImageMetadata metadata = new ImageMetadata("MR", 0.8, 0.9, 1, 0, "", 300, 600, 12, "1.2.840.1");
        for (int[] size : new int[][] { { 1, 1 }, { 1, 9 }, { 9, 1 }, { 2, 3 }, { 17, 5 }, { 700, 300 } }) {
            int n = size[0] * size[1];
            byte[] gray8 = new byte[n];
            short[] gray16 = new short[n];
            float[] real = new float[n];
            for (int i = 0; i < n; i++) {
                gray8[i] = (byte) random.nextInt(256);
                gray16[i] = (short) (random.nextInt(4096) - 1000);
                real[i] = random.nextFloat() * 100 - 20;
            }
            for (Pixels pixels : List.of(new Pixels.Gray8(gray8), new Pixels.Gray16(gray16, true),
                    new Pixels.Gray16(gray16, false), new Pixels.Float32(real))) {
                Image input = new Image(size[0], size[1], pixels, metadata);
                String what = algorithm.descriptor().id() + " " + pixels.getClass().getSimpleName() + " "
                        + size[0] + "x" + size[1];
                Image out;
                try {
                    out = algorithm.apply(input, defaults(algorithm.descriptor())).image();
                } catch (AlgorithmException e) {
                    // Only Otsu may refuse, and only an image of one value.
                    assertTrue(n == 1 && algorithm instanceof OtsuThreshold, what + ": " + e.getMessage());
                    continue;
                }
                assertEquals(size[0], out.width(), what);
                assertEquals(size[1], out.height(), what);
                assertEquals("MR", out.metadata().modality(), what);
                assertEquals(0.8, out.metadata().rowSpacing(), what);
                assertEquals(0.9, out.metadata().columnSpacing(), what);
                assertEquals("1.2.840.1", out.metadata().sourceInstanceUid(), what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void stopsWithAClearMessageWhenItsThreadIsInterrupted(ImagingAlgorithm algorithm) {
        short[] values = new short[640 * 480];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) (i % 1000);
        }
        Image large = new Image(640, 480, new Pixels.Gray16(values, true), ImageMetadata.unknown(16));
        Thread.currentThread().interrupt();
        try {
            AlgorithmException e = assertThrows(AlgorithmException.class,
                    () -> algorithm.apply(large, defaults(algorithm.descriptor())));
            assertTrue(e.getMessage().contains("interrupted (time limit)"), e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }
}

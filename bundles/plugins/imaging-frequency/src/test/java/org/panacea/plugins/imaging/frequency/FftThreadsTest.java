package org.panacea.plugins.imaging.frequency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;

/** JTransforms' worker threads exist while a component is active and are gone after the last deactivation. */
class FftThreadsTest {

    private static List<Thread> fftThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(FftThreads.THREAD_PREFIX) && t.isAlive())
                .collect(Collectors.toList());
    }

    private static Image large() {
        // 512 x 512 is above JTransforms' threshold for using its threads.
        float[] values = new float[512 * 512];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7919) % 1000;
        }
        return new Image(512, 512, new Pixels.Float32(values), ImageMetadata.unknown(32));
    }

    @Test
    void noWorkerThreadIsLeftAfterDeactivation() throws Exception {
        FourierSpectrum spectrum = new FourierSpectrum();
        FrequencyFilter filter = new FrequencyFilter();
        for (int round = 0; round < 2; round++) {
            spectrum.activate();
            filter.activate();
            spectrum.apply(large(), new Parameters(Map.of("centred", true, "scale", "log")));
            filter.apply(large(), FrequencyFilterTest.settings("lowpass", "gaussian", "cycles_per_pixel", 0.1, 0));
            assertTrue(Runtime.getRuntime().availableProcessors() == 1 || !fftThreads().isEmpty(),
                    "JTransforms used its worker threads");
            spectrum.deactivate();
            // One component is still active: its transforms must still run.
            filter.apply(large(), FrequencyFilterTest.settings("highpass", "ideal", "cycles_per_pixel", 0.1, 0));
            filter.deactivate();
            assertEquals(List.of(), fftThreads(), "round " + round + ": threads left after deactivation");
        }
    }
}

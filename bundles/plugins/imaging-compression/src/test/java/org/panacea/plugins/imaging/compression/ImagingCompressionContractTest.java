package org.panacea.plugins.imaging.compression;

import org.junit.jupiter.api.Nested;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the algorithm this plugin ships,
 * {@link ImageCompression}, activated and deactivated as Declarative Services does it.
 */
class ImagingCompressionContractTest {

    @Nested
    class ImageCompressionContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new ImageCompression();
        }
    }
}

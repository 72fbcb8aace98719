package org.panacea.plugins.imaging.enhancement;

import org.junit.jupiter.api.Nested;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: each of the three algorithms this plugin
 * ships ({@link LinearContrast}, {@link HistogramEqualization}, {@link Clahe}), activated and deactivated as
 * Declarative Services does it.
 */
class ImagingEnhancementContractTest {

    @Nested
    class LinearContrastContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new LinearContrast();
        }
    }

    @Nested
    class HistogramEqualizationContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new HistogramEqualization();
        }
    }

    @Nested
    class ClaheContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new Clahe();
        }
    }
}

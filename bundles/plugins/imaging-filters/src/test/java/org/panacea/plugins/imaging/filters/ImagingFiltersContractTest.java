package org.panacea.plugins.imaging.filters;

import org.junit.jupiter.api.Nested;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: each of the seven algorithms this plugin
 * ships ({@link GaussianBlur}, {@link MedianFilter}, {@link LaplacianFilter}, {@link SobelGradient},
 * {@link CannyEdges}, {@link UnsharpMask}, {@link OtsuThreshold}), activated and deactivated as Declarative Services
 * does it.
 */
class ImagingFiltersContractTest {

    @Nested
    class GaussianBlurContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new GaussianBlur();
        }
    }

    @Nested
    class MedianFilterContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new MedianFilter();
        }
    }

    @Nested
    class LaplacianFilterContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new LaplacianFilter();
        }
    }

    @Nested
    class SobelGradientContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new SobelGradient();
        }
    }

    @Nested
    class CannyEdgesContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new CannyEdges();
        }
    }

    @Nested
    class UnsharpMaskContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new UnsharpMask();
        }
    }

    @Nested
    class OtsuThresholdContract extends ImagingAlgorithmContract {

        @Override
        protected ImagingAlgorithm activate() {
            return new OtsuThreshold();
        }
    }
}

package ${package};

import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.ImagingAlgorithmContract;

/**
 * The platform's contract, checked by the Panacea test kit: complete descriptor, valid parameters, every pixel
 * format, deterministic, thread-safe, interruptible, nothing left behind.
 */
class BoxMeanFilterContractTest extends ImagingAlgorithmContract {

    /** What Declarative Services does: construct it (and call its @Activate method, if it had one). */
    @Override
    protected ImagingAlgorithm activate() {
        return new BoxMeanFilter();
    }
}

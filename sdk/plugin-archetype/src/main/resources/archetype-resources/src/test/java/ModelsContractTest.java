package ${package};

import org.panacea.sdk.testkit.OnnxModelContract;

/**
 * The Panacea test kit's checks of a model-only plugin, on what the bundle will hold (target/classes/model): every
 * descriptor valid and matching its graph's inputs and outputs, a complete model card, the same result twice on the
 * same image, a result (with its heat map) within the time limit, and an image outside the card's applicability
 * refused with the reason. These are the checks the hospital's Panacea makes at install, with the same code and the
 * same ONNX Runtime.
 */
class ModelsContractTest extends OnnxModelContract {
}

"""Writes model/example-classifier.onnx, the placeholder network of a generated ONNX model plugin.

Not a trained network: a single linear layer whose weights are set by hand, so that the project builds, passes the
Panacea test kit and runs in Panacea before your own network replaces it. It reads a 32 x 32 window-normalised image
(the descriptor's pre-processing), takes a mean weighted towards the centre (a Gaussian, sigma 8 pixels) and answers
two logits, [not dense, dense]: "dense" wins when the centre is brighter than the window's centre (40 HU).

Export your own network the same way: ONNX IR version 8, opset 17, one FLOAT input [1, 1, H, W] named as in the
descriptor's input.name, one output [1, labels] named as in output.name, then onnx.checker.check_model. From PyTorch:
torch.onnx.export(model, example, path, opset_version=17, dynamo=False, input_names=["image"],
output_names=["logits"]), then lower model.ir_version to 8.

Run: python3 python/make_example_classifier.py   (needs numpy and onnx; writes src/main/resources/model/)
"""
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 32
SIGMA = 8.0
GAIN = 4.0


def centre_weights():
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    centre = (SIZE - 1) / 2.0
    weight = np.exp(-((x - centre) ** 2 + (y - centre) ** 2) / (2 * SIGMA ** 2))
    return (weight / weight.sum()).reshape(-1)


def build():
    w = centre_weights() * GAIN
    gemm_weights = np.stack([-w, w], axis=1).astype(np.float32)  # [1024, 2]
    bias = np.zeros(2, dtype=np.float32)
    nodes = [
        helper.make_node("Flatten", ["image"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "weights", "bias"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "example_classifier",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, SIZE, SIZE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2])],
        initializer=[numpy_helper.from_array(gemm_weights, "weights"), numpy_helper.from_array(bias, "bias")])
    model = helper.make_model(graph, producer_name="panacea-plugin-archetype",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "src/main/resources/model/example-classifier.onnx"
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(build(), str(target))
    print("wrote", target, target.stat().st_size, "bytes")

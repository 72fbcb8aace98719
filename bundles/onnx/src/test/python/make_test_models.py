"""Writes the small graphs the runtime's tests load (committed; the build does not run this):

    python3 make_test_models.py ../resources/models

- matmul-chain.onnx: y = x.x.x... (12 square MatMuls of its input): seconds of work for the time-limit test
- future-opset.onnx: an Identity importing opset 99 of ai.onnx, which no runtime implements: must be refused
- add-one.onnx: y = x + 1 over a [-1, 3] input, for inputs and shapes
- identity-ir<I>-opset<O>.onnx: an Identity at the IR and opset versions the runtime states it reads, and one above
  each, to check the stated limits against the runtime itself
"""
import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper


def save(graph, path, opset, ir_version=8):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="panacea-tests")
    model.ir_version = ir_version
    onnx.save(model, str(path))


def main():
    out = Path(sys.argv[1])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", "n"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", "n"])
    nodes, previous = [], "x"
    for i in range(12):
        name = "y" if i == 11 else f"t{i}"
        nodes.append(helper.make_node("MatMul", [previous, "x"], [name]))
        previous = name
    save(helper.make_graph(nodes, "matmul-chain", [x], [y]), out / "matmul-chain.onnx", 17)

    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [1])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [1])
    save(helper.make_graph([helper.make_node("Identity", ["a"], ["b"])], "future", [a], [b]),
         out / "future-opset.onnx", 99)

    x3 = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])
    y3 = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])
    one = helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])
    save(helper.make_graph([helper.make_node("Add", ["x", "one"], ["y"])], "add-one", [x3], [y3], [one]),
         out / "add-one.onnx", 17)

    for ir_version, opset in ((10, 22), (10, 23), (11, 17)):
        save(helper.make_graph([helper.make_node("Identity", ["a"], ["b"])], "identity", [a], [b]),
             out / f"identity-ir{ir_version}-opset{opset}.onnx", opset, ir_version)


if __name__ == "__main__":
    main()

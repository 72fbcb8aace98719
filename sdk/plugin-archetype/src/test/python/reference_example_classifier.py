"""The onnx flavour's placeholder classifier on CT_small.dcm with Python ONNX Runtime, pre-processed with pydicom and
numpy as its descriptor declares (window 40/400 HU, bilinear to 32 x 32, normalise 0.5/0.25) by the example models'
independent pre-processing (bundles/plugins/onnx-examples/python/reference_preprocessing.py). itests' VendorSdkIT
compares the generated, signed and installed plugin's answer with it.

Run from this folder: python3 reference_example_classifier.py   (needs numpy, pydicom, onnxruntime)
"""
import json
import pathlib
import sys

import numpy as np
import onnxruntime

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[3].parent
sys.path.insert(0, str(ROOT / "bundles/plugins/onnx-examples/python"))
from reference_preprocessing import preprocess, softmax  # noqa: E402

DICOM = ROOT / "bundles/plugins/onnx-examples/src/test/resources/reference/CT_small.dcm"
MODEL = ROOT / "sdk/plugin-archetype/src/main/resources/archetype-resources/src/main/resources/model/example-classifier.onnx"

image = preprocess(str(DICOM), 32, 40.0, 400.0, 0.5, 0.25).reshape(1, 1, 32, 32).astype(np.float32)
logits = onnxruntime.InferenceSession(str(MODEL)).run(None, {"image": image})[0][0]
probabilities = softmax(logits.astype(np.float64))
reference = {
    "input": "CT_small.dcm",
    "logits": [float(v) for v in logits],
    "probabilities": {"not dense": float(probabilities[0]), "dense": float(probabilities[1])},
    "versions": {"onnxruntime": onnxruntime.__version__, "numpy": np.__version__},
}
target = HERE.parent / "resources/reference/CT_small-example-classifier.json"
target.write_text(json.dumps(reference, indent=1) + "\n")
print(json.dumps(reference))

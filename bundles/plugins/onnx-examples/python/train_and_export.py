"""Trains and exports Panacea's example ONNX models, and writes the reference outputs the Java tests compare with.

Run from this folder (the build never runs it: the .onnx files and the references it writes are committed):

    python3 -m venv venv && venv/bin/pip install torch onnx onnxruntime pydicom numpy
    venv/bin/python train_and_export.py ../../../../path/to/sklearn_wdbc_breast_cancer.csv ../src/test/resources/reference/CT_small.dcm

Writes ../src/main/resources/model/*.onnx and ../src/test/resources/reference/*.json. Deterministic: fixed seeds,
one thread. The image models learn synthetic phantoms with known ground truth (demonstration only); the tabular model
is a logistic regression on the Wisconsin Diagnostic Breast Cancer data (scikit-learn's copy, BSD-3).
"""
import csv
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn as nn

import reference_preprocessing as ref

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "src" / "main" / "resources" / "model"
REFERENCE = HERE.parent / "src" / "test" / "resources" / "reference"
# ONNX Runtime 1.22 (the Java runtime) reads IR <= 10 and opset <= 22; the models are exported to opset 17, IR 8,
# which every ONNX Runtime since 1.14 reads.
OPSET = 17
IR_VERSION = 8
SIZE = 64  # the image networks' input: 1 x 1 x 64 x 64
CLASSES = ["background", "disc", "square"]

torch.manual_seed(18)
torch.set_num_threads(1)
rng = np.random.default_rng(18)


# ---------------------------------------------------------------- synthetic phantoms, known ground truth
def phantom(kind):
    """A 64x64 CT-like slice in HU: soft tissue (-100..100 HU) with noise, and a bright disc or square, or nothing."""
    image = rng.uniform(-100, 100) + rng.normal(0, 25, (SIZE, SIZE))
    mask = np.zeros((SIZE, SIZE), dtype=np.int64)
    if kind != 0:
        r = rng.uniform(6, 16)
        cy, cx = rng.uniform(r + 2, SIZE - r - 2, 2)
        yy, xx = np.mgrid[0:SIZE, 0:SIZE] + 0.5
        inside = ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r) if kind == 1 else \
            (np.abs(yy - cy) <= r * 0.89) & (np.abs(xx - cx) <= r * 0.89)  # same area as the disc
        image[inside] += rng.uniform(150, 400)
        mask[inside] = 1
    return image, mask


def network_input(hu):
    """The declared pre-processing of the descriptors, on an image already at 64x64: window 40/400, normalise."""
    return ((ref.window(hu, 40.0, 400.0) - 0.5) / 0.25).astype(np.float32)


def phantom_set(n):
    kinds = rng.integers(0, 3, n)
    images, masks = zip(*(phantom(k) for k in kinds))
    x = np.stack([network_input(i) for i in images])[:, None]
    return torch.from_numpy(x), torch.from_numpy(kinds), torch.from_numpy(np.stack(masks))


class PhantomClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.head = nn.Linear(16 * 16, len(CLASSES))

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


class PhantomSegmenter(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=4, dilation=4), nn.ReLU(),
            nn.Conv2d(8, 2, 1))

    def forward(self, x):
        return self.net(x)


def train(model, x, y, loss, epochs, batch=64):
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            optimiser.zero_grad()
            value = loss(model(x[idx]), y[idx])
            value.backward()
            optimiser.step()
    model.eval()
    return model


def export(model, example, path, input_name, output_name):
    torch.onnx.export(model, example, str(path), input_names=[input_name], output_names=[output_name],
                      opset_version=OPSET, dynamo=False)
    graph = onnx.load(str(path))
    graph.ir_version = IR_VERSION
    graph.producer_name = "pytorch"
    graph.producer_version = torch.__version__
    onnx.checker.check_model(graph)
    onnx.save(graph, str(path))


def image_models(ct_small):
    x_train, k_train, m_train = phantom_set(1500)
    x_val, k_val, m_val = phantom_set(500)

    classifier = train(PhantomClassifier(), x_train, k_train, nn.CrossEntropyLoss(), 12)
    with torch.no_grad():
        accuracy = float((classifier(x_val).argmax(1) == k_val).float().mean())
    export(classifier, x_val[:1], MODELS / "phantom-classifier.onnx", "image", "logits")

    segmenter = train(PhantomSegmenter(), x_train, m_train, nn.CrossEntropyLoss(), 12)
    with torch.no_grad():
        predicted = segmenter(x_val).argmax(1)
    intersection = float(((predicted == 1) & (m_val == 1)).sum())
    dice = 2 * intersection / float((predicted == 1).sum() + (m_val == 1).sum())
    export(segmenter, x_val[:1], MODELS / "phantom-segmenter.onnx", "image", "logits")

    # The reference: from the DICOM file, with the pre-processing written again in numpy (reference_preprocessing).
    tensor = ref.preprocess(ct_small, SIZE, 40.0, 400.0, 0.5, 0.25)
    outputs = {}
    for name in ("phantom-classifier", "phantom-segmenter"):
        session = onnxruntime.InferenceSession(str(MODELS / f"{name}.onnx"), providers=["CPUExecutionProvider"])
        logits = session.run(None, {"image": tensor})[0]
        outputs[name] = logits
    probabilities = ref.softmax(outputs["phantom-classifier"][0])
    label_map = outputs["phantom-segmenter"][0].argmax(0)
    mask = ref.nearest_back(label_map, ct_small)
    write_reference("CT_small-phantom-classifier.json", {
        "input": "CT_small.dcm", "logits": outputs["phantom-classifier"].ravel().tolist(),
        "probabilities": probabilities.tolist(), "classes": CLASSES})
    write_reference("CT_small-phantom-segmenter.json", {
        "input": "CT_small.dcm", "logits_sum": float(outputs["phantom-segmenter"].astype(np.float64).sum()),
        "logits_first": outputs["phantom-segmenter"].ravel()[:64].tolist(),
        "logits": outputs["phantom-segmenter"].ravel().tolist(),
        "label_pixels_original_geometry": int((mask == 1).sum()),
        "pixel_spacing_mm": ref.spacing(ct_small)})
    return {"accuracy": accuracy, "validation_images": len(k_val)}, {"dice": dice, "validation_images": len(k_val)}


def tabular_model(csv_path):
    with open(csv_path) as f:
        rows = list(csv.reader(f))
    header, data = rows[0], np.array(rows[1:], dtype=np.float64)
    features, target = data[:, :30], 1.0 - data[:, 30]  # the file says 0 = malignant: predict malignancy
    order = rng.permutation(len(data))
    train_rows, val_rows = order[:400], order[400:]
    mean, std = features[train_rows].mean(0), features[train_rows].std(0)

    class Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
            self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
            self.linear = nn.Linear(30, 1)

        def forward(self, x):
            return torch.sigmoid(self.linear((x - self.mean) / self.std))

    model = Logistic()
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32)[:, None]
    optimiser = torch.optim.LBFGS(model.parameters(), max_iter=200)
    l2 = 1e-2

    def closure():
        optimiser.zero_grad()
        loss = nn.functional.binary_cross_entropy(model(x[train_rows]), y[train_rows]) \
            + l2 * (model.linear.weight ** 2).sum()
        loss.backward()
        return loss
    optimiser.step(closure)
    model.eval()
    with torch.no_grad():
        p = model(x[val_rows]).numpy().ravel()
    auc = ref.roc_auc(p, target[val_rows])
    accuracy = float(((p >= 0.5) == (target[val_rows] == 1)).mean())
    export(model, x[:1], MODELS / "wdbc-logistic.onnx", "features", "probability")
    session = onnxruntime.InferenceSession(str(MODELS / "wdbc-logistic.onnx"), providers=["CPUExecutionProvider"])
    sample = [int(i) for i in val_rows[:5]]
    write_reference("wdbc-logistic.json", {
        "features": header[:30], "rows": [features[i].tolist() for i in sample],
        "probabilities": [float(session.run(None, {"features": features[i:i + 1].astype(np.float32)})[0][0, 0])
                          for i in sample],
        "weights": (model.linear.weight.detach().numpy().ravel() / std).tolist(), "mean": mean.tolist()})
    return {"auc": auc, "accuracy": accuracy, "validation_rows": len(val_rows), "training_rows": len(train_rows)}


def write_reference(name, content):
    content["versions"] = {"onnxruntime": onnxruntime.__version__, "torch": torch.__version__,
                           "numpy": np.__version__, "onnx": onnx.__version__}
    (REFERENCE / name).write_text(json.dumps(content, indent=1) + "\n")


def main():
    csv_path, ct_small = sys.argv[1], sys.argv[2]
    MODELS.mkdir(parents=True, exist_ok=True)
    REFERENCE.mkdir(parents=True, exist_ok=True)
    classifier, segmenter = image_models(ct_small)
    tabular = tabular_model(csv_path)
    metrics = {"phantom-classifier": classifier, "phantom-segmenter": segmenter, "wdbc-logistic": tabular}
    write_reference("validation-metrics.json", metrics)
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()

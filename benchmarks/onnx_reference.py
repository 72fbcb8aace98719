"""Python ONNX Runtime's side of benchmarks/onnx-compare.sh: the phantom classifier on CT_small with one
intra-operator thread, timed as Panacea's JMH benchmark is (pre-processing of the decoded DICOM frame in numpy plus the
graph; and the graph alone). Prints one JSON line: microseconds per call (median of 5 rounds) and the resident
memory one more loaded session adds.

    python3 onnx_reference.py <onnx-examples src folder>
"""
import json
import resource
import sys
import time
from pathlib import Path

import onnxruntime

sys.path.insert(0, str(Path(sys.argv[1]).parent / "python"))
import reference_preprocessing as ref  # noqa: E402


def per_call_us(call, seconds=2.0, rounds=5):
    call()
    results = []
    for _ in range(rounds):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            call()
            count += 1
        results.append((time.perf_counter() - start) / count * 1e6)
    return sorted(results)[len(results) // 2]


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    src = Path(sys.argv[1])
    model = str(src / "main/resources/model/phantom-classifier.onnx")
    dicom = str(src / "test/resources/reference/CT_small.dcm")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    tensor = ref.preprocess(dicom, 64, 40.0, 400.0, 0.5, 0.25)
    # The file is read and decoded once, as Panacea's benchmark starts from the decoded frame.
    hu = ref.hounsfield(dicom)

    def classify():
        resampled = ref.bilinear(ref.window(hu, 40.0, 400.0), 64, 64)
        return session.run(None, {"image": ((resampled - 0.5) / 0.25).astype("float32")[None, None]})
    pixels_and_graph = per_call_us(classify)
    graph_only = per_call_us(lambda: session.run(None, {"image": tensor}))
    before = rss_kib()
    extra = [onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"]) for _ in range(10)]
    for s in extra:
        s.run(None, {"image": tensor})
    per_session_kib = (rss_kib() - before) / len(extra)
    print(json.dumps({"onnxruntime": onnxruntime.__version__, "classify_us": pixels_and_graph,
                      "graph_only_us": graph_only, "rss_kib_per_session": per_session_kib}))


if __name__ == "__main__":
    main()

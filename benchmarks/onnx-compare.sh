#!/usr/bin/env bash
# The shipped phantom classifier on CT_small through Panacea (JMH OnnxClassifierBenchmark: pre-processing plus the
# graph, and the graph alone, ONNX Runtime 1.22.0 Java) and through Python ONNX Runtime (onnx_reference.py, the same
# model file, pre-processing from the same DICOM file in pydicom/numpy), one intra-operator thread each, in one run;
# prints both and time(Panacea) / time(Python). Python needs onnxruntime, numpy and pydicom
# (python3 -m pip install onnxruntime numpy pydicom); PYTHON names the interpreter (default python3).
#
# Usage: benchmarks/onnx-compare.sh        (after: mvn -q install -pl benchmarks -am -DskipTests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jar="$here/target/benchmarks.jar"
python=${PYTHON:-python3}
examples="$root/bundles/plugins/onnx-examples/src"
if [ ! -f "$jar" ]; then
    echo "no $jar: build it first with  mvn -q install -pl benchmarks -am -DskipTests" >&2
    exit 1
fi
if ! "$python" -c 'import onnxruntime, numpy, pydicom' 2>/dev/null; then
    echo "$python lacks onnxruntime, numpy or pydicom: $python -m pip install onnxruntime numpy pydicom" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Donnx.examples="$examples" -jar "$jar" OnnxClassifierBenchmark -rf json -rff "$work/jmh.json" >"$work/jmh.log"
"$python" "$here/onnx_reference.py" "$examples" >"$work/python.json"
"$python" - "$work/jmh.json" "$work/python.json" <<'PY'
import json, sys
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
py = json.load(open(sys.argv[2]))
print(f"Python ONNX Runtime {py['onnxruntime']}, Panacea ONNX Runtime 1.22.0 (Java), 1 thread, microseconds per image")
for name, key in (("classify (pre-processing + graph)", "classify"), ("graph only", "graphOnly")):
    pyk = "classify_us" if key == "classify" else "graph_only_us"
    print(f"{name:36s} Panacea {jmh[key]:9.1f}   Python {py[pyk]:9.1f}   Panacea / Python {jmh[key] / py[pyk]:.2f}")
print(f"resident memory one more loaded session adds in Python: {py['rss_kib_per_session']:.0f} KiB")
PY

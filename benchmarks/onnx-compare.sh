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
# Resident memory per loaded session, in a JVM whose heap is fixed and pre-touched so that only native memory grows.
java -Xms64m -Xmx64m -XX:+AlwaysPreTouch -Donnx.examples="$examples" -cp "$jar" \
    org.panacea.onnx.internal.models.ModelMemory 2>/dev/null >"$work/memory.json"
"$python" "$here/onnx_reference.py" "$examples" >"$work/python.json"
"$python" - "$work/jmh.json" "$work/python.json" "$work/memory.json" <<'PY'
import json, sys
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
py = json.load(open(sys.argv[2]))
memory = json.load(open(sys.argv[3]))
print(f"Python ONNX Runtime {py['onnxruntime']}, Panacea ONNX Runtime 1.22.0 (Java), 1 thread, microseconds per image")
for name, key in (("classify (pre-processing + graph)", "classify"), ("graph only", "graphOnly")):
    pyk = "classify_us" if key == "classify" else "graph_only_us"
    print(f"{name:36s} Panacea {jmh[key]:9.1f}   Python {py[pyk]:9.1f}   Panacea / Python {jmh[key] / py[pyk]:.2f}")
print(f"resident memory one more loaded session adds: Panacea {memory['rss_kib_per_session']:.0f} KiB, "
      f"Python {py['rss_kib_per_session']:.0f} KiB (model file {memory['model_bytes']} bytes)")
PY

package org.panacea.onnx.internal.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.Tensor;
import org.panacea.onnx.internal.runtime.OnnxInferenceRuntime;

/**
 * Resident memory one more loaded session of the shipped phantom classifier adds to Panacea's process, measured as
 * {@code onnx_reference.py} measures it in Python's: the runtime and a first session are loaded (the native library,
 * the allocator), then fifty more sessions each run once, and the growth of {@code VmRSS} is divided by fifty. Run it with a
 * fixed, pre-touched heap ({@code -Xms64m -Xmx64m -XX:+AlwaysPreTouch}, as the script does), so that the heap's own
 * growth does not count. Prints one
 * JSON object; {@code benchmarks/onnx-compare.sh} runs it beside the Python measurement.
 */
public final class ModelMemory {

    private static final int SESSIONS = 50;

    private ModelMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(System.getProperty("onnx.examples", "bundles/plugins/onnx-examples/src"));
        byte[] model = Files.readAllBytes(examples.resolve("main/resources/model/phantom-classifier.onnx"));
        OnnxInferenceRuntime runtime = new OnnxInferenceRuntime(OnnxClassifierBenchmark.oneThread());
        Tensor input = new Tensor(new long[] {1, 1, 64, 64}, new float[64 * 64]);
        List<LoadedModel> sessions = new ArrayList<>();
        try {
            LoadedModel first = runtime.load("phantom-classifier.onnx", model);
            sessions.add(first);
            first.run(Map.of("image", input), RunTimeLimits.settings(1));
            long before = residentKib();
            for (int i = 0; i < SESSIONS; i++) {
                LoadedModel session = runtime.load("phantom-classifier.onnx", model);
                session.run(Map.of("image", input), RunTimeLimits.settings(1));
                sessions.add(session);
            }
            double perSession = (residentKib() - before) / (double) SESSIONS;
            System.out.printf(Locale.ROOT, "{\"model_bytes\": %d, \"rss_kib_per_session\": %.0f}%n", model.length,
                    perSession);
        } finally {
            sessions.forEach(LoadedModel::close);
            runtime.stop();
        }
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status (Linux only)");
    }
}

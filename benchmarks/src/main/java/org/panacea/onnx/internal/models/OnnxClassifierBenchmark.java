package org.panacea.onnx.internal.models;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panacea.api.imaging.Image;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.RunSettings;
import org.panacea.api.inference.Tensor;
import org.panacea.dicom.read.DicomReader;
import org.panacea.onnx.internal.runtime.OnnxConfig;
import org.panacea.onnx.internal.runtime.OnnxInferenceRuntime;

/**
 * The shipped phantom classifier on CT_small, one intra-operator thread, through Panacea's path: {@code classify} is
 * pre-processing (HU, window, bilinear resample, normalise) plus the graph, as a run of the plugin does before its
 * explanation; {@code graphOnly} is the graph alone on the pre-processed tensor. {@code benchmarks/onnx-compare.sh}
 * runs it beside Python ONNX Runtime on the same file and thread count. {@code -Donnx.examples=} names the example
 * plugin's {@code src} folder (default: as seen from the project's root).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OnnxClassifierBenchmark {

    private OnnxInferenceRuntime runtime;
    private LoadedModel graph;
    private OnnxImageClassifier classifier;
    private ImagePreprocessor preprocessor;
    private Image ctSmall;
    private Tensor tensor;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path examples = Path.of(System.getProperty("onnx.examples", "bundles/plugins/onnx-examples/src"));
        Path folder = examples.resolve("main/resources/model");
        runtime = new OnnxInferenceRuntime(oneThread());
        ModelDescription description = DescriptorReader.read("phantom-classifier.json",
                Files.readAllBytes(folder.resolve("phantom-classifier.json")));
        graph = runtime.load("phantom-classifier.onnx", Files.readAllBytes(folder.resolve("phantom-classifier.onnx")));
        classifier = new OnnxImageClassifier(new DescribedModel(description, graph, 1));
        preprocessor = new ImagePreprocessor(description.preprocessing());
        ctSmall = new DicomReader().read(examples.resolve("test/resources/reference/CT_small.dcm")).frame(0);
        tensor = preprocessor.apply(ctSmall);
    }

    @TearDown(Level.Trial)
    public void close() {
        graph.close();
        runtime.stop();
    }

    @Benchmark
    public float[] classify() throws Exception {
        return classifier.logits(ctSmall);
    }

    @Benchmark
    public Map<String, Tensor> graphOnly() throws Exception {
        return graph.run(Map.of("image", tensor), RunTimeLimits.settings(1));
    }

    static OnnxConfig oneThread() {
        return new OnnxConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OnnxConfig.class;
            }

            @Override
            public int thread_limit() {
                return 1;
            }

            @Override
            public int default_threads() {
                return 1;
            }

            @Override
            public int model_run_threads() {
                return 1;
            }

            @Override
            public int native_memory_limit_mb() {
                return 1024;
            }

            @Override
            public int model_memory_factor() {
                return 3;
            }

            @Override
            public int run_memory_factor() {
                return 32;
            }
        };
    }
}

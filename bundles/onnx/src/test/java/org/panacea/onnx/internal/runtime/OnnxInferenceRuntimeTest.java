package org.panacea.onnx.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.inference.InferenceException;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.api.inference.RunSettings;
import org.panacea.api.inference.Tensor;
import org.panacea.api.inference.TensorSpec;

/** The runtime on real ONNX Runtime natives: loading, refusals with the runtime's reason, limits. */
class OnnxInferenceRuntimeTest {

    private static final RunSettings ONE_THREAD = new RunSettings(1, Duration.ofSeconds(30));

    private final OnnxInferenceRuntime runtime = new OnnxInferenceRuntime(TestConfigs.config(2, 256, 32));

    @AfterEach
    void stop() {
        runtime.stop();
    }

    static byte[] model(String name) throws IOException {
        try (InputStream in = OnnxInferenceRuntimeTest.class.getResourceAsStream("/models/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void runsAGraphAndReadsItsSignature() throws Exception {
        byte[] bytes = model("add-one.onnx");
        try (LoadedModel model = runtime.load("add-one.onnx", bytes)) {
            assertEquals(List.of(new TensorSpec("x", "FLOAT", List.of(-1L, 3L))), model.signature().inputs());
            assertEquals(List.of(new TensorSpec("y", "FLOAT", List.of(-1L, 3L))), model.signature().outputs());
            assertEquals("panacea-tests", model.signature().producer());
            assertEquals(OnnxInferenceRuntime.sha256(bytes), model.sha256());
            Map<String, Tensor> out = model.run(Map.of("x", new Tensor(new long[] {2, 3},
                    new float[] {0, 1, 2, -1, -2, 0.5f})), ONE_THREAD);
            assertArrayEquals(new float[] {1, 2, 3, 0, -1, 1.5f}, out.get("y").values());
            assertArrayEquals(new long[] {2, 3}, out.get("y").shape());
            // another thread count opens a session of its own: same answer
            Map<String, Tensor> two = model.run(Map.of("x", new Tensor(new long[] {1, 3}, new float[] {4, 5, 6})),
                    new RunSettings(2, Duration.ofSeconds(30)));
            assertArrayEquals(new float[] {5, 6, 7}, two.get("y").values());
        }
        assertEquals(0, runtime.reservedNativeBytes(), "closing gives every reserved byte back");
    }

    @Test
    void statesTheVersionsItReads() {
        var info = runtime.info();
        assertEquals("ONNX Runtime 1.22.0", info.runtime());
        assertEquals(10, info.maxIrVersion());
        assertEquals(22, info.maxOpsetVersion());
        assertEquals(2, info.threadLimit());
    }

    /** The versions stated are the runtime's own: a graph at them loads, one above either is refused. */
    @Test
    void readsExactlyTheIrAndOpsetVersionsItStates() throws Exception {
        try (LoadedModel atTheLimits = runtime.load("identity-ir10-opset22.onnx", model("identity-ir10-opset22.onnx"))) {
            assertEquals("a", atTheLimits.signature().inputs().get(0).name());
        }
        ModelLoadException ir = assertThrows(ModelLoadException.class,
                () -> runtime.load("identity-ir11-opset17.onnx", model("identity-ir11-opset17.onnx")));
        assertTrue(ir.getMessage().contains("Unsupported model IR version: 11, max supported IR version: 10"),
                ir.getMessage());
        ModelLoadException opset = assertThrows(ModelLoadException.class,
                () -> runtime.load("identity-ir10-opset23.onnx", model("identity-ir10-opset23.onnx")));
        assertTrue(opset.getMessage().contains("refused by ONNX Runtime") && opset.getMessage().contains("opset"),
                opset.getMessage());
    }

    @Test
    void refusesAGraphFromTheFutureWithTheRuntimesReason() {
        ModelLoadException refused = assertThrows(ModelLoadException.class,
                () -> runtime.load("future-opset.onnx", model("future-opset.onnx")));
        assertTrue(refused.getMessage().startsWith("model future-opset.onnx refused by ONNX Runtime: "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("99"), "names the opset it cannot read: " + refused.getMessage());
        assertEquals(0, runtime.reservedNativeBytes());
    }

    @Test
    void refusesBytesThatAreNoModel() {
        ModelLoadException refused = assertThrows(ModelLoadException.class,
                () -> runtime.load("notes.onnx", "not a model".getBytes()));
        assertTrue(refused.getMessage().contains("refused by ONNX Runtime"), refused.getMessage());
        assertThrows(ModelLoadException.class, () -> runtime.load("empty.onnx", new byte[0]));
    }

    @Test
    void refusesInputsTheGraphDoesNotTake() throws Exception {
        try (LoadedModel model = runtime.load("add-one.onnx", model("add-one.onnx"))) {
            InferenceException shape = assertThrows(InferenceException.class, () -> model.run(
                    Map.of("x", new Tensor(new long[] {1, 4}, new float[4])), ONE_THREAD));
            assertTrue(shape.getMessage().contains("has shape [1, 4]; the graph takes [-1, 3]"), shape.getMessage());
            InferenceException missing = assertThrows(InferenceException.class, () -> model.run(Map.of(), ONE_THREAD));
            assertTrue(missing.getMessage().contains("needs input x"), missing.getMessage());
            InferenceException unknown = assertThrows(InferenceException.class, () -> model.run(
                    Map.of("x", new Tensor(new long[] {1, 3}, new float[3]), "z", new Tensor(new long[] {1},
                            new float[1])), ONE_THREAD));
            assertTrue(unknown.getMessage().contains("has no input z"), unknown.getMessage());
        }
    }

    @Test
    void stopsARunOverItsTimeLimit() throws Exception {
        try (LoadedModel model = runtime.load("matmul-chain.onnx", model("matmul-chain.onnx"))) {
            Tensor big = square(1024);
            long start = System.nanoTime();
            InferenceException stopped = assertThrows(InferenceException.class,
                    () -> model.run(Map.of("x", big), new RunSettings(1, Duration.ofMillis(100))));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(stopped.getMessage().contains("over its time limit of 100 ms"), stopped.getMessage());
            // 12 products of 1024x1024 matrices take seconds on one thread; one product is what may run past
            assertTrue(millis < 1500, "stopped after " + millis + " ms");
            // the model still works afterwards
            Map<String, Tensor> out = model.run(Map.of("x", square(2)), ONE_THREAD);
            assertEquals(2, out.get("y").shape()[0]);
        }
    }

    @Test
    void stopsARunWhoseThreadIsInterrupted() throws Exception {
        try (LoadedModel model = runtime.load("matmul-chain.onnx", model("matmul-chain.onnx"))) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    model.run(Map.of("x", square(1024)), ONE_THREAD);
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            caller.start();
            Thread.sleep(150);
            caller.interrupt(); // what the engine does when its time limit is over
            caller.join(5000);
            assertTrue(failure.get() instanceof InferenceException, String.valueOf(failure.get()));
            assertTrue(failure.get().getMessage().contains("interrupted"), failure.get().getMessage());
        }
    }

    @Test
    void refusesARunTheNativeBudgetCannotHold() throws Exception {
        OnnxInferenceRuntime small = new OnnxInferenceRuntime(TestConfigs.config(1, 16, 32));
        try (LoadedModel model = small.load("matmul-chain.onnx", model("matmul-chain.onnx"))) {
            // 512 x 512 floats = 1 MiB of input, times 32: more than the 16 MiB budget
            InferenceException refused = assertThrows(InferenceException.class,
                    () -> model.run(Map.of("x", square(512)), ONE_THREAD));
            assertTrue(refused.getMessage().contains("native memory")
                    && refused.getMessage().contains("native.memory.limit.mb"), refused.getMessage());
            long held = small.reservedNativeBytes();
            assertTrue(held >= OnnxLoadedModel.SESSION_FLOOR_BYTES,
                    "the loaded model holds at least a session's measured overhead in the budget: " + held);
            model.run(Map.of("x", square(64)), ONE_THREAD); // a small one fits
            assertEquals(held, small.reservedNativeBytes(), "a run gives back what it reserved");
        } finally {
            small.stop();
        }
        assertEquals(0, small.reservedNativeBytes());
    }

    @Test
    void closingWaitsForNothingAndRefusesLaterRuns() throws Exception {
        LoadedModel model = runtime.load("add-one.onnx", model("add-one.onnx"));
        model.close();
        model.close();
        InferenceException refused = assertThrows(InferenceException.class,
                () -> model.run(Map.of("x", new Tensor(new long[] {1, 3}, new float[3])), ONE_THREAD));
        assertTrue(refused.getMessage().contains("unloaded"), refused.getMessage());
    }

    private static Tensor square(int n) {
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) * 0.01f;
        }
        return new Tensor(new long[] {n, n}, values);
    }
}

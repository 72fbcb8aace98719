package org.panacea.onnx.internal.runtime;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.inference.InferenceRuntime;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.api.inference.RuntimeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;

/**
 * ONNX Runtime as the platform's {@link InferenceRuntime}. Activation loads the native library (copied out of this
 * bundle into {@code java.io.tmpdir}, or from {@code onnxruntime.native.path}) and fails with the reason when it
 * cannot, so that the service is there only when models can really run.
 */
@Component(service = InferenceRuntime.class, configurationPid = OnnxConfig.PID)
@Designate(ocd = OnnxConfig.class)
public class OnnxInferenceRuntime implements InferenceRuntime {

    /**
     * The ONNX IR version ONNX Runtime 1.22 reads at most; a model declaring a later one is refused by the runtime
     * ("Unsupported model IR version: 11, max supported IR version: 10"). Checked against the runtime by
     * {@code OnnxInferenceRuntimeTest}.
     */
    static final int MAX_IR_VERSION = 10;
    /** The highest opset of the {@code ai.onnx} domain ONNX Runtime 1.22 loads (23 is refused); checked the same way. */
    static final int MAX_OPSET_VERSION = 22;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxInferenceRuntime.class);

    private final OrtEnvironment environment;
    private final OnnxRuntimeLimits limits;
    private final String version;

    @Activate
    public OnnxInferenceRuntime(OnnxConfig config) {
        int processors = Runtime.getRuntime().availableProcessors();
        int threadLimit = config.thread_limit() == 0 ? processors : within(config.thread_limit(), 1, 256,
                "thread.limit");
        int defaultThreads = Math.min(within(config.default_threads(), 1, 256, "default.threads"), threadLimit);
        long limitBytes = within(config.native_memory_limit_mb(), 16, 1 << 20, "native.memory.limit.mb") * 1048576L;
        this.limits = new OnnxRuntimeLimits(threadLimit, defaultThreads, new NativeMemoryBudget(limitBytes),
                within(config.model_memory_factor(), 1, 64, "model.memory.factor"),
                within(config.run_memory_factor(), 1, 1024, "run.memory.factor"), new RunWatchdog());
        // Loads the native library; an UnsatisfiedLinkError here fails the activation with its reason in the log.
        this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "panacea");
        this.version = environment.getVersion();
        LOG.info("ONNX Runtime {} ready: IR <= {}, opset <= {}, up to {} threads a run, native budget {} MiB", version,
                MAX_IR_VERSION, MAX_OPSET_VERSION, threadLimit, limitBytes / 1048576);
    }

    private static int within(int value, int min, int max, String setting) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    @Override
    public RuntimeInfo info() {
        return new RuntimeInfo("ONNX Runtime " + version, MAX_IR_VERSION, MAX_OPSET_VERSION, limits.threadLimit(),
                limits.budget().limitBytes());
    }

    @Override
    public LoadedModel load(String name, byte[] onnx) throws ModelLoadException {
        if (onnx == null || onnx.length == 0) {
            throw new ModelLoadException("model " + name + " is empty");
        }
        return new OnnxLoadedModel(name, onnx.clone(), sha256(onnx), environment, limits);
    }

    /** Native bytes reserved now by loaded models and running calls. */
    long reservedNativeBytes() {
        return limits.budget().reservedBytes();
    }

    @Deactivate
    public void stop() {
        // The environment is a process-wide singleton of ONNX Runtime's and stays; sessions are closed by their owners.
        limits.watchdog().close();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }
}

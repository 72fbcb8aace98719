package org.panacea.onnx.internal.runtime;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.panacea.api.inference.InferenceException;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.api.inference.ModelSignature;
import org.panacea.api.inference.RunSettings;
import org.panacea.api.inference.Tensor;
import org.panacea.api.inference.TensorSpec;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;

/**
 * One ONNX graph with one native session per thread count asked for (ONNX Runtime fixes a session's intra-operator
 * threads when it is created; sessions are made on first use and each reserves its weights in the native budget).
 * Runs hold the read lock and {@link #close()} the write lock, so a close waits for the runs under way and no run
 * starts on a closed session.
 */
final class OnnxLoadedModel implements LoadedModel {

    private final String name;
    private final byte[] onnx;
    private final String sha256;
    private final OrtEnvironment environment;
    private final OnnxRuntimeLimits limits;
    private final ModelSignature signature;
    private final Map<String, TensorSpec> inputsByName = new LinkedHashMap<>();
    /** Sessions by thread count; guarded by {@link #lock}'s write lock for changes. */
    private final Map<Integer, OrtSession> sessions = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    /** Loads the graph with one session of the default thread count; refuses it with the runtime's reason. */
    OnnxLoadedModel(String name, byte[] onnx, String sha256, OrtEnvironment environment, OnnxRuntimeLimits limits)
            throws ModelLoadException {
        this.name = name;
        this.onnx = onnx;
        this.sha256 = sha256;
        this.environment = environment;
        this.limits = limits;
        OrtSession first = openSession(limits.defaultThreads());
        try {
            this.signature = readSignature(first);
        } catch (OrtException e) {
            closeQuietly(first, limits.defaultThreads());
            throw new ModelLoadException("model " + name + " refused by ONNX Runtime: " + e.getMessage(), e);
        }
        sessions.put(limits.defaultThreads(), first);
        signature.inputs().forEach(spec -> inputsByName.put(spec.name(), spec));
    }

    private OrtSession openSession(int threads) throws ModelLoadException {
        long bytes = sessionBytes();
        String refusal = limits.budget().tryReserve(bytes, "model " + name);
        if (refusal != null) {
            throw new ModelLoadException(refusal);
        }
        try (SessionOptions options = new SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            // No arena: what a run allocates goes back when it ends, so the budget's per-run estimate holds; an arena
            // would keep the largest run's memory for the life of the session, out of the budget's sight.
            options.setCPUArenaAllocator(false);
            options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            return environment.createSession(onnx, options);
        } catch (OrtException e) {
            limits.budget().release(bytes);
            throw new ModelLoadException("model " + name + " refused by ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /**
     * The session's estimate: its weights times the configured factor, and never less than what one session of a tiny
     * graph was measured to add to the process (about 200 KiB with ONNX Runtime 1.22: its allocator and kernels).
     */
    long sessionBytes() {
        return Math.max(SESSION_FLOOR_BYTES, (long) onnx.length * limits.modelMemoryFactor());
    }

    /** Measured by the benchmarks' ModelMemory (200 KiB per session of a 19.5 KB graph), rounded up. */
    static final long SESSION_FLOOR_BYTES = 256 * 1024;

    private static ModelSignature readSignature(OrtSession session) throws OrtException {
        List<TensorSpec> inputs = new ArrayList<>();
        for (var entry : session.getInputInfo().entrySet()) {
            inputs.add(spec(entry.getKey(), entry.getValue().getInfo()));
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (var entry : session.getOutputInfo().entrySet()) {
            outputs.add(spec(entry.getKey(), entry.getValue().getInfo()));
        }
        var metadata = session.getMetadata();
        String producer = metadata.getProducerName();
        return new ModelSignature(inputs, outputs, producer, metadata.getVersion());
    }

    private static TensorSpec spec(String name, ai.onnxruntime.ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            List<Long> shape = new ArrayList<>();
            for (long dimension : tensor.getShape()) {
                shape.add(dimension < 0 ? -1L : dimension);
            }
            return new TensorSpec(name, tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", ""), shape);
        }
        return new TensorSpec(name, info.getClass().getSimpleName(), List.of());
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String sha256() {
        return sha256;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, RunSettings settings) throws InferenceException {
        checkInputs(inputs);
        int threads = Math.min(settings.threads(), limits.threadLimit());
        OrtSession session = session(threads);
        long runBytes = runBytes(inputs);
        String refusal = limits.budget().tryReserve(runBytes, "a run of model " + name);
        if (refusal != null) {
            throw new InferenceException(refusal);
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new InferenceException("model " + name + " was unloaded");
            }
            return runOn(session, inputs, settings.timeLimit());
        } finally {
            lock.readLock().unlock();
            limits.budget().release(runBytes);
        }
    }

    private Map<String, Tensor> runOn(OrtSession session, Map<String, Tensor> inputs, Duration timeLimit)
            throws InferenceException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try (RunOptions options = new RunOptions()) {
            for (var entry : inputs.entrySet()) {
                Tensor tensor = entry.getValue();
                tensors.put(entry.getKey(), OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.values()),
                        tensor.shape()));
            }
            RunWatchdog.Watch watch = limits.watchdog().watch(options, timeLimit.toNanos());
            OrtSession.Result result;
            try {
                result = session.run(tensors, options);
            } catch (OrtException e) {
                throw stopped(watch, timeLimit, e);
            } finally {
                limits.watchdog().unwatch(watch);
            }
            try (result) {
                if (watch.stopped != null) {
                    throw stopped(watch, timeLimit, null);
                }
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> output : result) {
                    outputs.put(output.getKey(), toTensor(output.getKey(), output.getValue()));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed on model " + name + ": " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private InferenceException stopped(RunWatchdog.Watch watch, Duration timeLimit, OrtException cause) {
        if (watch.stopped == RunWatchdog.Stop.TIME_LIMIT) {
            return new InferenceException("model " + name + " stopped: over its time limit of " + timeLimit.toMillis()
                    + " ms", cause);
        }
        if (watch.stopped == RunWatchdog.Stop.INTERRUPTED) {
            return new InferenceException("model " + name + " stopped: its run was interrupted", cause);
        }
        return new InferenceException("ONNX Runtime failed on model " + name + ": " + cause.getMessage(), cause);
    }

    private Tensor toTensor(String outputName, OnnxValue value) throws InferenceException, OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new InferenceException("output " + outputName + " of model " + name + " is not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        int count = Math.toIntExact(info.getNumElements());
        float[] values = new float[count];
        if (info.type == OnnxJavaType.FLOAT) {
            tensor.getFloatBuffer().get(values);
        } else if (info.type == OnnxJavaType.INT64) {
            // Label maps (argmax) come as INT64; labels are small integers, exact in a float.
            var longs = tensor.getLongBuffer();
            for (int i = 0; i < count; i++) {
                values[i] = longs.get(i);
            }
        } else if (info.type == OnnxJavaType.DOUBLE) {
            var doubles = tensor.getDoubleBuffer();
            for (int i = 0; i < count; i++) {
                values[i] = (float) doubles.get(i);
            }
        } else {
            throw new InferenceException("output " + outputName + " of model " + name + " has element type "
                    + info.type + "; FLOAT, DOUBLE and INT64 are read");
        }
        long[] tensorShape = shape.length == 0 ? new long[] {1} : shape;
        return new Tensor(tensorShape, values);
    }

    private void checkInputs(Map<String, Tensor> inputs) throws InferenceException {
        for (String required : inputsByName.keySet()) {
            if (!inputs.containsKey(required)) {
                throw new InferenceException("model " + name + " needs input " + required + ", given "
                        + inputs.keySet());
            }
        }
        for (var entry : inputs.entrySet()) {
            TensorSpec spec = inputsByName.get(entry.getKey());
            if (spec == null) {
                throw new InferenceException("model " + name + " has no input " + entry.getKey() + "; its inputs are "
                        + inputsByName.keySet());
            }
            if (!"FLOAT".equals(spec.elementType())) {
                throw new InferenceException("input " + spec.name() + " of model " + name + " takes "
                        + spec.elementType() + "; only FLOAT inputs are supported");
            }
            long[] shape = entry.getValue().shape();
            boolean fits = shape.length == spec.shape().size();
            for (int i = 0; fits && i < shape.length; i++) {
                long declared = spec.shape().get(i);
                fits = declared < 0 || declared == shape[i];
            }
            if (!fits) {
                throw new InferenceException("input " + spec.name() + " of model " + name + " has shape "
                        + Arrays.toString(shape) + "; the graph takes " + spec.shape() + " (-1: any)");
            }
        }
    }

    private long runBytes(Map<String, Tensor> inputs) {
        long bytes = 0;
        for (Tensor tensor : inputs.values()) {
            bytes += tensor.byteSize();
        }
        return bytes * limits.runMemoryFactor();
    }

    private OrtSession session(int threads) throws InferenceException {
        lock.readLock().lock();
        try {
            OrtSession session = sessions.get(threads);
            if (session != null) {
                return session;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new InferenceException("model " + name + " was unloaded");
            }
            OrtSession session = sessions.get(threads);
            if (session == null) {
                session = openSession(threads);
                sessions.put(threads, session);
            }
            return session;
        } catch (ModelLoadException e) {
            throw new InferenceException(e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Native bytes this model holds in the budget (its sessions). */
    long reservedBytes() {
        lock.readLock().lock();
        try {
            return sessions.size() * sessionBytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sessions.forEach((threads, session) -> closeQuietly(session, threads));
            sessions.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeQuietly(OrtSession session, int threads) {
        try {
            session.close();
        } catch (OrtException e) {
            org.slf4j.LoggerFactory.getLogger(OnnxLoadedModel.class).warn("Closing session of model {} ({} threads): {}",
                    name, threads, e.getMessage());
        } finally {
            limits.budget().release(sessionBytes());
        }
    }
}

package org.panacea.api.inference;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A graph loaded by the {@link InferenceRuntime}. Thread-safe: calls may run concurrently, each with its own
 * settings. Closing it releases its native memory; calls under way finish first.
 */
@ProviderType
public interface LoadedModel extends AutoCloseable {

    /** The graph's inputs, outputs and versions, as the graph itself declares them. */
    ModelSignature signature();

    /** Lower-case hexadecimal SHA-256 of the serialised model, as loaded. */
    String sha256();

    /**
     * Runs the graph once.
     *
     * @param inputs   one tensor per graph input, by name; shapes must agree with the graph's
     * @param settings threads and time limit of this call
     * @return every graph output, by name
     * @throws InferenceException when an input is missing or has the wrong shape, the time limit is over, the calling
     *                            thread is interrupted, the native memory budget is exhausted, or the runtime fails
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, RunSettings settings) throws InferenceException;

    /** Releases the native session. Idempotent. */
    @Override
    void close();
}

package org.panacea.api.inference;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Loads ONNX graphs and runs them under the platform's limits. Provided as an OSGi service by the {@code panacea-onnx}
 * feature; thread-safe.
 */
@ProviderType
public interface InferenceRuntime {

    /** The runtime's version and the ONNX IR and opset versions it reads. */
    RuntimeInfo info();

    /**
     * Loads a graph. The returned model holds native memory until it is closed: close it when its owner goes away.
     *
     * @param name a name for messages and logs (the file name)
     * @param onnx the serialised ONNX model
     * @throws ModelLoadException when the runtime refuses the graph (the runtime's reason in the message) or when
     *                            the native memory budget cannot hold it
     */
    LoadedModel load(String name, byte[] onnx) throws ModelLoadException;
}

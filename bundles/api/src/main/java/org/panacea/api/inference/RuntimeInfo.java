package org.panacea.api.inference;

import java.util.Objects;

/**
 * What the runtime is and which models it reads.
 *
 * @param runtime         name and version of the engine underneath ({@code ONNX Runtime 1.22.0})
 * @param maxIrVersion    the highest ONNX IR version a model may declare
 * @param maxOpsetVersion the highest opset version of the default ({@code ai.onnx}) domain a model may import
 * @param threadLimit     the most intra-operator threads one call may use
 * @param nativeMemoryLimitBytes the native memory budget that loaded models and running calls share
 */
public record RuntimeInfo(String runtime, int maxIrVersion, int maxOpsetVersion, int threadLimit,
        long nativeMemoryLimitBytes) {

    public RuntimeInfo {
        Objects.requireNonNull(runtime, "runtime");
    }
}

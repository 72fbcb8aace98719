package org.panacea.onnx.internal.runtime;

import java.lang.annotation.Annotation;

/** {@link OnnxConfig}s for tests, as Config Admin would hand them over. */
final class TestConfigs {

    private TestConfigs() {
    }

    static OnnxConfig config(int threadLimit, int nativeMemoryMb, int runMemoryFactor) {
        return new OnnxConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return OnnxConfig.class;
            }

            @Override
            public int thread_limit() {
                return threadLimit;
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
                return nativeMemoryMb;
            }

            @Override
            public int model_memory_factor() {
                return 3;
            }

            @Override
            public int run_memory_factor() {
                return runMemoryFactor;
            }
        };
    }
}

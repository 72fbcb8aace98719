package org.panacea.onnx.internal.runtime;

/** The runtime's test configuration for tests in other packages. */
public final class TestConfigsAccess {

    private TestConfigsAccess() {
    }

    public static OnnxConfig config() {
        return TestConfigs.config(2, 256, 32);
    }
}

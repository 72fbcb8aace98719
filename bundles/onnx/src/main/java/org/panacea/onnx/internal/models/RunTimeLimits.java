package org.panacea.onnx.internal.models;

import java.time.Duration;

import org.panacea.api.inference.RunSettings;

/**
 * The settings of a described model's runs. The engine's own time limit reaches the native run through the interrupt
 * the engine sends to the thread that runs the plugin (the runtime's watchdog stops the run when it sees it); the
 * ceiling here only stops a run nobody interrupts.
 */
final class RunTimeLimits {

    static final Duration CEILING = Duration.ofHours(1);

    private RunTimeLimits() {
    }

    static RunSettings settings(int threads) {
        return new RunSettings(threads, CEILING);
    }
}

package org.panacea.onnx.internal.runtime;

/**
 * What every loaded model of one runtime shares: the thread limits, the native memory budget and its estimates, and
 * the watchdog that stops runs over their time limit.
 */
record OnnxRuntimeLimits(int threadLimit, int defaultThreads, NativeMemoryBudget budget, int modelMemoryFactor,
        int runMemoryFactor, RunWatchdog watchdog) {
}

package org.panacea.engine.internal.run;

import java.time.Duration;

import org.panacea.engine.internal.EngineConfig;

/**
 * The bounds every run is held to.
 *
 * @param timeLimit         the longest a run may take; a request may ask for less
 * @param maxConcurrentRuns how many runs execute at once
 * @param queueWait         how long a run waits for a free slot before it is refused
 * @param memoryFactor      working memory assumed per byte of input
 */
public record RunLimits(Duration timeLimit, int maxConcurrentRuns, Duration queueWait, int memoryFactor) {

    public RunLimits {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive, was " + timeLimit);
        }
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("max concurrent runs must be at least 1, was " + maxConcurrentRuns);
        }
        if (queueWait.isNegative()) {
            throw new IllegalArgumentException("queue wait must not be negative, was " + queueWait);
        }
        if (memoryFactor < 1) {
            throw new IllegalArgumentException("memory factor must be at least 1, was " + memoryFactor);
        }
    }

    /** The limits of a configuration, each clamped to its documented range. */
    public static RunLimits of(EngineConfig config) {
        return new RunLimits(Duration.ofSeconds(clamp(config.time_limit_seconds(), 1, 3600)),
                clamp(config.max_concurrent_runs(), 1, 1024),
                Duration.ofSeconds(clamp(config.queue_wait_seconds(), 0, 600)),
                clamp(config.memory_factor(), 1, 64));
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}

package org.panacea.engine.internal.registry;

import java.time.Duration;
import java.util.Objects;

import org.panacea.engine.internal.EngineConfig;

/**
 * How long the two sides of a hot swap wait for each other.
 *
 * @param gracePeriod how long a new call waits for a replacement of a plugin that went away
 * @param unbindWait  how long a departing plugin is held back while calls still run on it
 */
public record SwapTimings(Duration gracePeriod, Duration unbindWait) {

    private static final int MAX_SECONDS = 600;

    public SwapTimings {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(unbindWait, "unbindWait");
        if (gracePeriod.isNegative() || unbindWait.isNegative()) {
            throw new IllegalArgumentException("swap waits must not be negative: " + gracePeriod + ", " + unbindWait);
        }
    }

    /** The timings of a configuration; values outside 0 to 600 s are clamped to that range. */
    public static SwapTimings of(EngineConfig config) {
        return new SwapTimings(Duration.ofSeconds(clamp(config.grace_period_seconds())),
                Duration.ofSeconds(clamp(config.unbind_wait_seconds())));
    }

    private static int clamp(int seconds) {
        return Math.max(0, Math.min(MAX_SECONDS, seconds));
    }
}

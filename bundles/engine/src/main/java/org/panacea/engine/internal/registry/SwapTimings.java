package org.panacea.engine.internal.registry;

import java.time.Duration;
import java.util.Objects;

import org.panacea.engine.internal.EngineConfig;

/**
 * How long the two sides of a hot swap wait for each other.
 *
 * @param gracePeriod how long a new call waits for a replacement of a plugin that went away
 * @param unbindWait  how long a departing plugin is held back while calls still run on it
 * @param startupWait for how long after the registry is made a call for an id not (yet) registered waits for it:
 *                    a node that starts answers HTTP (and says it is ready) a moment before its plugins' services
 *                    are all registered, and a call in that moment is for a plugin that is coming, not an unknown one
 */
public record SwapTimings(Duration gracePeriod, Duration unbindWait, Duration startupWait) {

    private static final int MAX_SECONDS = 600;

    /** Timings without a start-up wait: an id not registered fails at once from the start. */
    public SwapTimings(Duration gracePeriod, Duration unbindWait) {
        this(gracePeriod, unbindWait, Duration.ZERO);
    }

    public SwapTimings {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(unbindWait, "unbindWait");
        Objects.requireNonNull(startupWait, "startupWait");
        if (gracePeriod.isNegative() || unbindWait.isNegative() || startupWait.isNegative()) {
            throw new IllegalArgumentException("swap waits must not be negative: " + gracePeriod + ", " + unbindWait);
        }
    }

    /**
     * The timings of a configuration; values outside 0 to 600 s are clamped to that range. The grace period also
     * counts from the engine's start: a starting node's plugins register within seconds of the engine.
     */
    public static SwapTimings of(EngineConfig config) {
        Duration grace = Duration.ofSeconds(clamp(config.grace_period_seconds()));
        return new SwapTimings(grace, Duration.ofSeconds(clamp(config.unbind_wait_seconds())), grace);
    }

    private static int clamp(int seconds) {
        return Math.max(0, Math.min(MAX_SECONDS, seconds));
    }
}

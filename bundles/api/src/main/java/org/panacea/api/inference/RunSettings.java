package org.panacea.api.inference;

import java.time.Duration;
import java.util.Objects;

/**
 * How one call runs.
 *
 * @param threads   intra-operator threads, at least 1; more than the runtime's {@link RuntimeInfo#threadLimit()} are
 *                  cut to it
 * @param timeLimit the call is stopped and fails once it runs longer; interrupting the calling thread stops it too
 */
public record RunSettings(int threads, Duration timeLimit) {

    public RunSettings {
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive, was " + timeLimit);
        }
    }
}

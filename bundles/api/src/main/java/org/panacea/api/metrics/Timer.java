package org.panacea.api.metrics;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How long something took, as a histogram: the count, the total and the count at or below each bucket bound. Thread
 * safe and cheap: call it on hot paths.
 */
@ProviderType
public interface Timer {

    /** Records one event that took {@code nanos} nanoseconds; negative values are ignored. */
    void recordNanos(long nanos);

    /** Records one event that took {@code duration}. */
    default void record(Duration duration) {
        recordNanos(duration.toNanos());
    }

    /** Records one event that started at {@code startNanos}, a value of {@link System#nanoTime()}. */
    default void recordSince(long startNanos) {
        recordNanos(System.nanoTime() - startNanos);
    }
}

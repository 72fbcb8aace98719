package org.panacea.api.metrics;

import java.util.function.DoubleSupplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where bundles record what operators scrape from {@code GET /metrics}. The platform's metrics bundle provides it;
 * a bundle takes it as an optional, dynamic reference, so that it runs the same without it.
 *
 * <p>Asking twice for the same {@link MeterId} returns meters that add to the same series. Asking for a name already
 * used with another kind of meter fails with {@link IllegalArgumentException}. Thread-safe.
 */
@ProviderType
public interface Metrics {

    /** The counter of {@code id}. */
    Counter counter(MeterId id);

    /** The timer of {@code id}, exposed as a histogram in seconds. */
    Timer timer(MeterId id);

    /**
     * Exposes {@code value} as a gauge, read at every scrape, until the returned handle is closed (close it when the
     * bundle or component that owns the value stops). The supplier must be quick and must not throw.
     */
    AutoCloseable gauge(MeterId id, DoubleSupplier value);
}

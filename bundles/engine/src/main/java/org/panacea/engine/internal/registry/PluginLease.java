package org.panacea.engine.internal.registry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.panacea.api.plugin.PluginDescriptor;

/**
 * The right to call one plugin service: while a lease is open, the service's departure waits for it. Close it
 * exactly when the last call into the plugin has returned (closing twice is harmless).
 *
 * @param <S> the service type
 * @param <D> its descriptor type
 */
public final class PluginLease<S, D> implements AutoCloseable {

    private final HotSwapRegistry<S, D> registry;
    private final HotSwapRegistry.Registration<S, D> registration;
    private final Duration waited;
    private final AtomicBoolean closed = new AtomicBoolean();

    PluginLease(HotSwapRegistry<S, D> registry, HotSwapRegistry.Registration<S, D> registration, Duration waited) {
        this.registry = registry;
        this.registration = registration;
        this.waited = waited;
    }

    /** The plugin service. */
    public S service() {
        return registration.service;
    }

    /** Its descriptor, as read when it registered. */
    public D descriptor() {
        return registration.descriptor;
    }

    /** Its identity and version. */
    public PluginDescriptor plugin() {
        return registration.plugin;
    }

    /** What the plugin is, for messages: {@code imaging algorithm imaging.gaussian-blur 1.1.0}. */
    public String name() {
        return registry.kind() + " " + registration.plugin.id() + " " + registration.plugin.version();
    }

    /**
     * The SHA-256 of the model file behind the plugin, as its service property {@code panacea.model.sha256} says
     * (the ONNX extender sets it), or {@code null} for a plugin made of code alone.
     */
    public String modelSha256() {
        return registration.modelSha256;
    }

    /** How long the call waited for the plugin (a replacement, during a swap); zero when it was there. */
    public Duration waited() {
        return waited;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            registry.release(registration);
        }
    }
}

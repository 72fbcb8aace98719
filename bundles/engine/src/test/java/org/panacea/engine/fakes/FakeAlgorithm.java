package org.panacea.engine.fakes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * An imaging plugin whose behaviour a test chooses, and which notices being used after (or deactivated during) its
 * bundle's deactivation, as a real plugin would fail then.
 */
public final class FakeAlgorithm implements ImagingAlgorithm {

    /** What {@link #apply} does. */
    @FunctionalInterface
    public interface Behaviour {
        AlgorithmResult apply(Image image, Parameters parameters) throws Exception;
    }

    private static final AtomicInteger SERVICE_IDS = new AtomicInteger(1000);

    private final PluginDescriptor descriptor;
    private final Behaviour behaviour;
    private final long serviceId = SERVICE_IDS.incrementAndGet();
    private volatile boolean active = true;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger misuses = new AtomicInteger();

    public FakeAlgorithm(String id, String version, List<ParameterSpec> parameters, Behaviour behaviour) {
        this.descriptor = new PluginDescriptor(id, version, "Fake " + id, "Test vendor",
                "a test double: " + id, "tests only", parameters);
        this.behaviour = behaviour;
    }

    /** Returns the input's samples times two, as Float32, with the input's metadata. */
    public static FakeAlgorithm doubling(String id, String version) {
        return new FakeAlgorithm(id, version, List.of(), (image, parameters) -> AlgorithmResult.of(
                new Image(image.width(), image.height(), doubled(image.pixels()), image.metadata())));
    }

    /** The samples of {@code pixels} times two, as real values. */
    public static Pixels.Float32 doubled(Pixels pixels) {
        float[] out = new float[pixels.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (2 * pixels.sample(i));
        }
        return new Pixels.Float32(out);
    }

    @Override
    public PluginDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        calls.incrementAndGet();
        running.incrementAndGet();
        try {
            if (!active) {
                misuses.incrementAndGet();
                throw new IllegalStateException(descriptor.id() + " " + descriptor.version()
                        + " called after its bundle stopped");
            }
            return behaviour.apply(image, parameters);
        } catch (AlgorithmException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
    }

    /** What DS does when the bundle stops, after the service is gone: a call still running now would break. */
    public void deactivate() {
        active = false;
        if (running.get() > 0) {
            misuses.incrementAndGet();
        }
    }

    /** Service properties as DS registers them for this component. */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.id", serviceId);
        properties.put(PluginHeaders.SERVICE_PLUGIN_ID, descriptor.id());
        properties.put(PluginHeaders.SERVICE_PLUGIN_VERSION, descriptor.version());
        return properties;
    }

    public int calls() {
        return calls.get();
    }

    public int running() {
        return running.get();
    }

    /** Calls after deactivation, plus deactivations during a call: must stay 0 under hot swap. */
    public int misuses() {
        return misuses.get();
    }
}

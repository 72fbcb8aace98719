package org.panacea.engine.fakes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/** A prediction plugin whose behaviour a test chooses; keeps the last input it was given. */
public final class FakeModel implements PredictionModel {

    /** What {@link #predict} does. */
    @FunctionalInterface
    public interface Behaviour {
        Prediction predict(PredictionInput input) throws Exception;
    }

    private static final AtomicInteger SERVICE_IDS = new AtomicInteger(5000);

    private final ModelDescriptor descriptor;
    private final Behaviour behaviour;
    private final long serviceId = SERVICE_IDS.incrementAndGet();
    private final AtomicReference<PredictionInput> lastInput = new AtomicReference<>();

    public FakeModel(String id, String version, List<ParameterSpec> inputs, Behaviour behaviour) {
        this.descriptor = new ModelDescriptor(new PluginDescriptor(id, version, "Fake model " + id, "Test vendor",
                "a test double", "tests only", inputs), "synthetic test data, 100 rows", Map.of("auc", 0.75));
        this.behaviour = behaviour;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        lastInput.set(input);
        try {
            return behaviour.predict(input);
        } catch (PredictionException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public PredictionInput lastInput() {
        return lastInput.get();
    }

    public Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.id", serviceId);
        properties.put(PluginHeaders.SERVICE_PLUGIN_ID, descriptor.plugin().id());
        properties.put(PluginHeaders.SERVICE_PLUGIN_VERSION, descriptor.plugin().version());
        return properties;
    }
}

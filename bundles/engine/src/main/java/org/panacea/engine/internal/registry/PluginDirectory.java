package org.panacea.engine.internal.registry;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.engine.internal.EngineConfig;
import org.panacea.engine.internal.PluginKind;

/**
 * Every imaging algorithm and prediction model service in the framework, tracked through dynamic, greedy DS
 * references so that a plugin comes and goes without the engine restarting. DS calls the unbind methods on the
 * thread that unregisters the plugin's service, before the plugin component is deactivated: blocking there (see
 * {@link HotSwapRegistry#remove}) is what lets calls in flight finish on the old instance.
 */
@Component(service = PluginDirectory.class, immediate = true, configurationPid = EngineConfig.PID)
public class PluginDirectory {

    private final HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> algorithms;
    private final HotSwapRegistry<PredictionModel, ModelDescriptor> models;

    @Activate
    public PluginDirectory(EngineConfig config) {
        this(SwapTimings.of(config));
    }

    public PluginDirectory(SwapTimings timings) {
        algorithms = new HotSwapRegistry<>(PluginKind.IMAGING_ALGORITHM.noun(), ImagingAlgorithm::descriptor, d -> d,
                timings);
        models = new HotSwapRegistry<>(PluginKind.PREDICTION_MODEL.noun(), PredictionModel::descriptor,
                ModelDescriptor::plugin, timings);
    }

    @Modified
    void modified(EngineConfig config) {
        SwapTimings timings = SwapTimings.of(config);
        algorithms.timings(timings);
        models.timings(timings);
    }

    @Deactivate
    void deactivate() {
        algorithms.close();
        models.close();
    }

    /** The imaging algorithms. */
    public HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> algorithms() {
        return algorithms;
    }

    /** The prediction models. */
    public HotSwapRegistry<PredictionModel, ModelDescriptor> models() {
        return models;
    }

    @Reference(name = "algorithms", service = ImagingAlgorithm.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeAlgorithm")
    void addAlgorithm(ImagingAlgorithm algorithm, Map<String, Object> properties) {
        algorithms.add(algorithm, properties);
    }

    void removeAlgorithm(ImagingAlgorithm algorithm, Map<String, Object> properties) {
        algorithms.remove(algorithm, properties);
    }

    @Reference(name = "models", service = PredictionModel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeModel")
    void addModel(PredictionModel model, Map<String, Object> properties) {
        models.add(model, properties);
    }

    void removeModel(PredictionModel model, Map<String, Object> properties) {
        models.remove(model, properties);
    }
}

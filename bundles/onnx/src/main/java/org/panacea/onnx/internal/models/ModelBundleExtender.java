package org.panacea.onnx.internal.models;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.inference.InferenceRuntime;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.onnx.internal.runtime.OnnxConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender of model-only plugins: a started bundle whose {@code Panacea-Plugin} header says {@code onnx} has its
 * {@code model/*.json} descriptors read, their graphs loaded by the {@link InferenceRuntime} and checked against the
 * descriptors, and one {@link ImagingAlgorithm} (classification, segmentation) or {@link PredictionModel} (tabular)
 * registered per descriptor <em>in the plugin bundle's own name</em> (its bundle context). So the signing gate judges
 * them as it judges any plugin: an unsigned or untrusted model bundle never resolves, hence never starts and is never
 * seen here, and the services of a bundle refused later are hidden by the gate's service hooks. When the bundle
 * stops (update, uninstall), its services are unregistered first (the engine lets calls under way finish) and its
 * graphs closed after. A bundle with one bad descriptor or graph registers nothing; the reason is logged.
 */
@Component(immediate = true, configurationPid = OnnxConfig.PID)
public class ModelBundleExtender implements BundleTrackerCustomizer<ModelBundleExtender.Extension> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelBundleExtender.class);

    /** What the extender made for one model bundle: its services and its loaded graphs. */
    static final class Extension {
        final List<ServiceRegistration<?>> registrations = new ArrayList<>();
        final List<LoadedModel> graphs = new ArrayList<>();
    }

    private final InferenceRuntime runtime;
    private final int threads;
    private final BundleTracker<Extension> tracker;

    @Activate
    public ModelBundleExtender(@Reference InferenceRuntime runtime, BundleContext context, OnnxConfig config) {
        this.runtime = runtime;
        this.threads = Math.max(1, Math.min(config.model_run_threads(), runtime.info().threadLimit()));
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, this);
        tracker.open();
    }

    @Deactivate
    void stop() {
        tracker.close();
    }

    @Override
    public Extension addingBundle(Bundle bundle, BundleEvent event) {
        if (!PluginHeaders.KIND_ONNX.equals(bundle.getHeaders("").get(PluginHeaders.PLUGIN))) {
            return null;
        }
        Extension extension = new Extension();
        String plugin = bundle.getSymbolicName() + " " + bundle.getVersion();
        try {
            List<DescribedModel> models = ModelPluginReader.read(contents(bundle), runtime, threads,
                    extension.graphs);
            BundleContext owner = bundle.getBundleContext();
            for (DescribedModel model : models) {
                extension.registrations.add(register(owner, model));
                LOG.info("Model {} {} ({}) of {} registered, SHA-256 {}", model.description().id(),
                        model.description().version(), model.description().task(), plugin, model.graph().sha256());
            }
            return extension;
        } catch (InvalidDescriptorException | ModelLoadException | IOException | RuntimeException e) {
            LOG.error("Model-only plugin {} refused: {}", plugin, e.getMessage());
            release(extension);
            return null;
        }
    }

    /** The files of the bundle (its own entries, which its signature covers). */
    private static ModelPluginReader.Contents contents(Bundle bundle) {
        return new ModelPluginReader.Contents() {
            @Override
            public List<String> descriptors() {
                Enumeration<URL> found = bundle.findEntries("model", "*.json", false);
                List<String> paths = new ArrayList<>();
                for (URL entry : found == null ? List.<URL>of() : Collections.list(found)) {
                    paths.add(entry.getPath().startsWith("/") ? entry.getPath().substring(1) : entry.getPath());
                }
                paths.sort(null);
                return paths;
            }

            @Override
            public byte[] read(String path) throws IOException {
                URL entry = bundle.getEntry(path);
                if (entry == null) {
                    return null;
                }
                try (InputStream in = entry.openStream()) {
                    return in.readAllBytes();
                }
            }
        };
    }

    private static ServiceRegistration<?> register(BundleContext owner, DescribedModel model) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PluginHeaders.SERVICE_PLUGIN_ID, model.description().id());
        properties.put(PluginHeaders.SERVICE_PLUGIN_VERSION, model.description().version());
        properties.put(PluginHeaders.SERVICE_MODEL_SHA256, model.graph().sha256());
        Object service = ModelPluginReader.service(model);
        String kind = service instanceof ImagingAlgorithm ? ImagingAlgorithm.class.getName()
                : PredictionModel.class.getName();
        return owner.registerService(kind, service, properties);
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Extension extension) {
        // nothing changes while the bundle stays started
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Extension extension) {
        release(extension);
        LOG.info("Models of {} {} unregistered", bundle.getSymbolicName(), bundle.getVersion());
    }

    /** Unregisters first (the engine lets the calls under way finish), then closes the graphs. */
    private static void release(Extension extension) {
        for (ServiceRegistration<?> registration : extension.registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with its bundle
            }
        }
        extension.graphs.forEach(LoadedModel::close);
    }
}

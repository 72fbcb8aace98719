package org.panacea.onnx.internal.models;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.inference.InferenceRuntime;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.api.prediction.PredictionModel;

/**
 * The models of one model-only plugin, read and checked in one way wherever its files come from: the extender reads
 * them from an installed bundle, the vendor test kit from a build's output folder ({@link ModelFolder}). Each
 * {@code model/*.json} descriptor is read and checked, its graph loaded by the runtime and checked against it, and the
 * model turned into the service it is: an {@link ImagingAlgorithm} (classification, segmentation) or a
 * {@link PredictionModel} (tabular).
 */
final class ModelPluginReader {

    /** Where a plugin's files come from. */
    interface Contents {

        /** The paths of the plugin's {@code model/*.json} descriptors, in name order. */
        List<String> descriptors() throws IOException;

        /** The bytes of the file at {@code path}, or {@code null} when the plugin has none. */
        byte[] read(String path) throws IOException;
    }

    private ModelPluginReader() {
    }

    /**
     * Every described model of the plugin. Each graph is added to {@code loaded} as soon as it is loaded, so that the
     * caller closes them all when a later descriptor or graph is refused.
     *
     * @throws InvalidDescriptorException a descriptor is missing, invalid, names a missing file or does not match its
     *                                    graph; the message names the file and the difference
     * @throws ModelLoadException         the runtime cannot read a graph
     */
    static List<DescribedModel> read(Contents contents, InferenceRuntime runtime, int threads,
            List<LoadedModel> loaded) throws InvalidDescriptorException, ModelLoadException, IOException {
        List<DescribedModel> models = new ArrayList<>();
        List<String> descriptors = contents.descriptors();
        if (descriptors.isEmpty()) {
            throw new InvalidDescriptorException("no model/*.json descriptor");
        }
        for (String path : descriptors) {
            ModelDescription description = DescriptorReader.read(path, contents.read(path));
            byte[] onnx = contents.read(description.file());
            if (onnx == null) {
                throw new InvalidDescriptorException(path + ": file " + description.file() + " is not in the bundle");
            }
            LoadedModel graph = runtime.load(description.file(), onnx);
            loaded.add(graph);
            DescriptorReader.checkAgainstGraph(path, description, graph.signature());
            models.add(new DescribedModel(description, graph, threads));
        }
        return models;
    }

    /** The service a described model is registered as. */
    static Object service(DescribedModel model) {
        return switch (model.description().task()) {
            case "classification" -> new OnnxImageClassifier(model);
            case "segmentation" -> new OnnxImageSegmenter(model);
            default -> new OnnxTabularModel(model);
        };
    }
}

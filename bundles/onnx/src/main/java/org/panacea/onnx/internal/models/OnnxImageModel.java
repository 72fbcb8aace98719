package org.panacea.onnx.internal.models;

import java.util.List;
import java.util.Map;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.inference.InferenceException;
import org.panacea.api.inference.Tensor;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * What every described image network shares as an imaging algorithm: its descriptor, the applicability check of its
 * card, the declared pre-processing, and one run of the graph on a pre-processed input under the engine's limits. The
 * subclasses turn the output into a result (class probabilities, a label map).
 */
abstract class OnnxImageModel implements ImagingAlgorithm {

    final DescribedModel model;
    final ImagePreprocessor preprocessor;
    private final PluginDescriptor descriptor;

    OnnxImageModel(DescribedModel model) {
        this.model = model;
        this.preprocessor = new ImagePreprocessor(model.description().preprocessing());
        this.descriptor = model.pluginDescriptor(List.of());
    }

    @Override
    public final PluginDescriptor descriptor() {
        return descriptor;
    }

    /** The frame pre-processed as declared, after refusing a frame outside the card's applicability. */
    final Tensor applicableInput(Image image) throws AlgorithmException {
        ModelDescription description = model.description();
        ApplicabilityCheck.check(description.id(), description.applicability(), image.metadata());
        return preprocessor.apply(image);
    }

    /** The graph's declared output for {@code input}; a runtime failure (time limit, memory) as the algorithm's. */
    final Tensor run(Tensor input) throws AlgorithmException {
        ModelDescription description = model.description();
        try {
            Map<String, Tensor> outputs = model.graph().run(Map.of(description.input().name(), input),
                    RunTimeLimits.settings(model.threads()));
            return outputs.get(description.output().name());
        } catch (InferenceException e) {
            throw new AlgorithmException(e.getMessage(), e);
        }
    }
}

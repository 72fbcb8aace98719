package org.panacea.onnx.internal.models;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One {@code model/*.json} descriptor of a model-only plugin bundle, as written by the vendor (docs/vendor-guide.md,
 * "Ship an ONNX model"). Read by {@link DescriptorReader}, which checks it and checks it against the graph.
 *
 * @param id            the plugin id the model is found by ({@code onnx.phantom-classifier})
 * @param version       the model's semantic version
 * @param name          short human name
 * @param vendor        who ships it
 * @param description   what it computes
 * @param task          {@code classification}, {@code segmentation} (images) or {@code tabular} (a prediction model)
 * @param file          the graph inside the bundle ({@code model/phantom-classifier.onnx})
 * @param input         the graph input images go into, or tabular values
 * @param preprocessing how an image becomes the input tensor (images only)
 * @param inputs        the named values of a tabular model, in the order of the input vector (tabular only)
 * @param output        the graph output read and what it means
 * @param card          intended use, training data, validation metrics, licence
 * @param applicability which images the model may see (images only)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelDescription(String id, String version, String name, String vendor, String description,
        String task, String file, Input input, Preprocessing preprocessing, List<TabularInput> inputs, Output output,
        Card card, Applicability applicability) {

    /** The graph input: its name and the shape the descriptor promises ({@code [1, 1, 64, 64]}). */
    public record Input(String name, List<Long> shape) {
    }

    /**
     * Image to tensor, in this order: rescale to HU (stored * slope + intercept), window to [0, 1], resample to the
     * network's size, normalise ({@code (x - mean) / std}), lay out as {@code NCHW} with one channel.
     */
    public record Preprocessing(String rescale, Window window, Resample resample, Normalise normalise,
            String layout) {
    }

    /** A linear window in rescaled units: {@code center - width/2} becomes 0, {@code center + width/2} becomes 1. */
    public record Window(double center, double width) {
    }

    /** The network's input size and the interpolation: {@code bilinear} (half-pixel centres) or {@code nearest}. */
    public record Resample(int width, int height, String interpolation) {
    }

    /** {@code (x - mean) / std}. */
    public record Normalise(double mean, double std) {
    }

    /** One value of a tabular model's input vector: its request name, description, unit and record code. */
    public record TabularInput(String name, String description, String unit, String code, Double minimum,
            Double maximum) {
    }

    /**
     * The output read: its name; {@code softmax} when it holds logits to turn into probabilities (classification),
     * {@code argmax} when it holds per-label scores over the image (segmentation), {@code probability} when it holds
     * one probability (tabular); the labels of the classes or of the label map.
     */
    public record Output(String name, String activation, List<String> labels, String outcome) {
    }

    /** The model card shown with every result. */
    public record Card(String intendedUse, String trainingData, Map<String, Double> validationMetrics,
            String licence, boolean demonstrationOnly) {
    }

    /** The images a model may see; outside, a run is refused with the reason. */
    public record Applicability(List<String> modalities, List<String> bodyParts, Double minPixelSpacingMm,
            Double maxPixelSpacingMm) {
    }
}

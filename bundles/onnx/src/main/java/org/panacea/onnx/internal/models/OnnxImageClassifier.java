package org.panacea.onnx.internal.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.inference.Tensor;
import org.panacea.api.plugin.Parameters;

/**
 * A described classification network as an imaging algorithm: the frame is checked against the card's applicability,
 * pre-processed as declared, run, and the logits turned into probabilities (softmax, in double). The result reports
 * every class's probability and the top classes as findings, most likely first, and explains the top class with an
 * occlusion sensitivity map ({@link OcclusionSensitivity}) in the frame's own geometry, which the engine stores as a
 * derived image.
 */
final class OnnxImageClassifier extends OnnxImageModel {

    static final int TOP_CLASSES = 3;

    OnnxImageClassifier(DescribedModel model) {
        super(model);
    }

    @Override
    public AlgorithmResult apply(Image image, Parameters parameters) throws AlgorithmException {
        ModelDescription description = model.description();
        Tensor input = applicableInput(image);
        double[] probabilities = probabilities(logits(input));
        List<String> labels = description.output().labels();
        List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            measurements.add(new Measurement("probability " + labels.get(i), probabilities[i], ""));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -probabilities[i]));
        List<Finding> findings = new ArrayList<>();
        for (int rank = 0; rank < Math.min(TOP_CLASSES, order.size()); rank++) {
            int i = order.get(rank);
            findings.add(new Finding(labels.get(i), List.of(new Measurement("probability", probabilities[i], ""),
                    new Measurement("rank", rank + 1, ""))));
        }
        Image heatMap = OcclusionSensitivity.map(input, order.get(0), probabilities[order.get(0)],
                description.preprocessing(), occluded -> probabilities(logits(occluded)), image);
        return new AlgorithmResult(heatMap, measurements, findings);
    }

    float[] logits(Image image) throws AlgorithmException {
        return logits(preprocessor.apply(image));
    }

    private float[] logits(Tensor input) throws AlgorithmException {
        return run(input).values();
    }

    /** Softmax in double, shifted by the largest logit. */
    static double[] probabilities(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}

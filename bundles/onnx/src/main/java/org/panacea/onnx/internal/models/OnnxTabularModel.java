package org.panacea.onnx.internal.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.panacea.api.inference.InferenceException;
import org.panacea.api.inference.Tensor;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/**
 * A described tabular network as a prediction model: the named inputs, in the descriptor's order, are the graph's
 * input vector; the output is one probability. Each input's contribution is the change in the predicted log-odds when
 * that input alone is replaced by its reference value (the middle of its stated range), an occlusion explanation that
 * any graph allows; for a logistic model it is exactly the input's coefficient times its distance from the reference.
 */
final class OnnxTabularModel implements PredictionModel {

    private final DescribedModel model;
    private final ModelDescriptor descriptor;
    private final List<ModelDescription.TabularInput> inputs;

    OnnxTabularModel(DescribedModel model) {
        this.model = model;
        this.inputs = model.description().inputs();
        List<ParameterSpec> parameters = new ArrayList<>();
        for (ModelDescription.TabularInput input : inputs) {
            parameters.add(new ParameterSpec(input.name(), ParameterType.DECIMAL, input.description(), input.unit(),
                    input.code(), input.minimum(), input.maximum(), null, List.of()));
        }
        this.descriptor = new ModelDescriptor(model.pluginDescriptor(parameters), model.trainingData(),
                model.validationMetrics());
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        float[] values = new float[inputs.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            var value = input.value(inputs.get(i).name());
            if (value.isEmpty()) {
                missing.add(inputs.get(i).name());
            } else {
                values[i] = (float) value.getAsDouble();
            }
        }
        if (!missing.isEmpty()) {
            throw new PredictionException("missing inputs: " + String.join(", ", missing));
        }
        double probability = probability(values);
        double logOdds = logOdds(probability);
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            ModelDescription.TabularInput spec = inputs.get(i);
            if (spec.minimum() == null || spec.maximum() == null) {
                continue;
            }
            float[] occluded = values.clone();
            occluded[i] = (float) ((spec.minimum() + spec.maximum()) / 2);
            double contribution = logOdds - logOdds(probability(occluded));
            contributions.add(new Contribution(spec.name(), values[i], contribution, String.format(Locale.ROOT,
                    "log-odds change against %s = %.4g (middle of its range)", spec.name(), occluded[i])));
        }
        String outcome = model.description().output().outcome() == null ? "probability"
                : model.description().output().outcome();
        return new Prediction(outcome, probability, "", String.format(Locale.ROOT, "%.1f %%", 100 * probability),
                contributions, List.of());
    }

    double probability(float[] values) throws PredictionException {
        ModelDescription description = model.description();
        try {
            Map<String, Tensor> out = model.graph().run(Map.of(description.input().name(),
                    new Tensor(new long[] {1, values.length}, values)), RunTimeLimits.settings(model.threads()));
            return out.get(description.output().name()).values()[0];
        } catch (InferenceException e) {
            throw new PredictionException(e.getMessage());
        }
    }

    private static double logOdds(double p) {
        double clipped = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(clipped / (1 - clipped));
    }
}

package org.panacea.onnx.internal.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.panacea.api.inference.LoadedModel;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;

/** A loaded graph with the descriptor that says what it is: what the three services of a model-only plugin share. */
record DescribedModel(ModelDescription description, LoadedModel graph, int threads) {

    /** The plugin descriptor the engine shows: identity, the card's intended use, the model's SHA-256. */
    PluginDescriptor pluginDescriptor(List<ParameterSpec> parameters) {
        ModelDescription.Card card = description.card();
        String text = (description.description() == null ? "" : description.description())
                + (card.demonstrationOnly() ? " DEMONSTRATION ONLY: not for clinical use." : "")
                + " ONNX model, SHA-256 " + graph.sha256() + ".";
        return new PluginDescriptor(description.id(), description.version(), description.name(), description.vendor(),
                text.trim(), card.intendedUse(), parameters);
    }

    /** The card's training data, licence and applicability, as one text for the model card. */
    String trainingData() {
        ModelDescription.Card card = description.card();
        List<String> parts = new ArrayList<>();
        parts.add(card.trainingData() == null ? "" : card.trainingData());
        if (card.licence() != null) {
            parts.add("Licence: " + card.licence() + ".");
        }
        var applicability = description.applicability();
        if (applicability != null) {
            parts.add("Applicability: modalities " + applicability.modalities() + ", body parts "
                    + applicability.bodyParts() + ", pixel spacing " + applicability.minPixelSpacingMm() + " to "
                    + applicability.maxPixelSpacingMm() + " mm.");
        }
        return String.join(" ", parts).trim();
    }

    Map<String, Double> validationMetrics() {
        return description.card().validationMetrics() == null ? Map.of() : description.card().validationMetrics();
    }
}

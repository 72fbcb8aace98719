package org.panacea.api.prediction;

import java.util.Map;
import java.util.Objects;

import org.panacea.api.plugin.PluginDescriptor;

/**
 * What a model says about itself, beyond what every plugin says: what it was fitted on and how well it did. Shown
 * with every prediction so that a clinician can judge it.
 *
 * @param plugin            identity, version, intended use; its parameters are the model's inputs, with units and
 *                          codes
 * @param trainingData      the data it was fitted or derived on (source, size, period, population)
 * @param validationMetrics how well it did ({@code auc}, {@code concordance}, ...)
 */
public record ModelDescriptor(PluginDescriptor plugin, String trainingData, Map<String, Double> validationMetrics) {

    public ModelDescriptor {
        Objects.requireNonNull(plugin, "plugin");
        trainingData = Objects.requireNonNullElse(trainingData, "");
        validationMetrics = Map.copyOf(validationMetrics);
    }
}

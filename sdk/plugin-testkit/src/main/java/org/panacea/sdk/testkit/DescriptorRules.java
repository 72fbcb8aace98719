package org.panacea.sdk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;

/**
 * What a complete descriptor says, as the platform shows it to clinicians and administrators (pages, console,
 * audit trail): a human name, the vendor, what it computes with its conventions, what it is meant for; for a model
 * also what it was fitted on and how well it did. Each method returns the problems found, empty when there are none,
 * so a vendor can use it in any test; the contracts assert that the list is empty.
 */
public final class DescriptorRules {

    /** Shorter than this, a description or intended use cannot state conventions, units and limits. */
    static final int MINIMUM_TEXT = 20;

    private DescriptorRules() {
    }

    /** Problems of a plugin's identity and description (format of id and version is enforced by the api itself). */
    public static List<String> plugin(PluginDescriptor descriptor) {
        List<String> problems = new ArrayList<>();
        if (descriptor == null) {
            problems.add("descriptor() returned null");
            return problems;
        }
        if (descriptor.name().isBlank() || descriptor.name().equals(descriptor.id())) {
            problems.add("name: give a short human name, not the id ('" + descriptor.name() + "')");
        }
        if (descriptor.vendor().isBlank()) {
            problems.add("vendor: say who ships and supports the plugin");
        }
        if (descriptor.description().strip().length() < MINIMUM_TEXT) {
            problems.add("description: say what it computes and with which conventions (units, border modes, "
                    + "output type), at least " + MINIMUM_TEXT + " characters; was '" + descriptor.description() + "'");
        }
        if (descriptor.intendedUse().strip().length() < MINIMUM_TEXT) {
            problems.add("intendedUse: say which clinical use it is meant for and its limits, at least "
                    + MINIMUM_TEXT + " characters; was '" + descriptor.intendedUse() + "'");
        }
        return problems;
    }

    /** Problems of a model card: its plugin identity, training data and validation metrics. */
    public static List<String> model(ModelDescriptor model) {
        List<String> problems = new ArrayList<>();
        if (model == null) {
            problems.add("descriptor() returned null");
            return problems;
        }
        problems.addAll(plugin(model.plugin()));
        if (model.trainingData().strip().length() < MINIMUM_TEXT) {
            problems.add("trainingData: name the data the model was fitted or derived on (source, size, period, "
                    + "population), at least " + MINIMUM_TEXT + " characters; was '" + model.trainingData() + "'");
        }
        if (model.validationMetrics().isEmpty()) {
            problems.add("validationMetrics: state how well the model did (auc, concordance, calibration, ...)");
        }
        for (Map.Entry<String, Double> metric : model.validationMetrics().entrySet()) {
            if (metric.getKey() == null || metric.getKey().isBlank()) {
                problems.add("validationMetrics: a metric has no name");
            } else if (metric.getValue() == null || !Double.isFinite(metric.getValue())) {
                problems.add("validationMetrics: " + metric.getKey() + " is not a finite number (" + metric.getValue()
                        + ")");
            }
        }
        return problems;
    }
}

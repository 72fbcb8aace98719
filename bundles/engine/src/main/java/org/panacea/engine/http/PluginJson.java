package org.panacea.engine.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.engine.internal.imaging.AlgorithmRun;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.prediction.InputValue;
import org.panacea.engine.internal.prediction.ModelRun;
import org.panacea.engine.internal.run.PluginCrashedException;

/**
 * The JSON shapes of the HTTP API, as ordered maps: plugin descriptions with their parameter schemas, model cards,
 * run results. Numbers that are not finite (a median survival not reached) are written as {@code null}, since JSON
 * has no NaN.
 */
final class PluginJson {

    private PluginJson() {
    }

    /** An algorithm: identity, what it does, and its parameter schema. */
    static Map<String, Object> algorithm(PluginDescriptor plugin) {
        Map<String, Object> json = identity(plugin);
        json.put("parameters", specs(plugin));
        return json;
    }

    /** A model card: identity, intended use, inputs with units and codes, training data, validation metrics. */
    static Map<String, Object> model(ModelDescriptor model) {
        Map<String, Object> json = identity(model.plugin());
        json.put("inputs", specs(model.plugin()));
        json.put("trainingData", model.trainingData());
        Map<String, Object> metrics = new TreeMap<>();
        model.validationMetrics().forEach((name, value) -> metrics.put(name, number(value)));
        json.put("validationMetrics", metrics);
        return json;
    }

    static Map<String, Object> algorithmRun(AlgorithmRun run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", reference(run.algorithm()));
        json.put("instance", run.instanceUid());
        json.put("frame", run.frame());
        json.put("patient", run.patientId());
        json.put("derivedInstance", run.derived() == null ? null : instance(run.derived()));
        json.put("measurements", measurements(run.measurements()));
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Finding finding : run.findings()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("label", finding.label());
            one.put("measurements", measurements(finding.measurements()));
            findings.add(one);
        }
        json.put("findings", findings);
        json.put("parameters", new TreeMap<>(run.parameters().values()));
        json.put("digests", digests(run.inputDigest(), run.outputDigest()));
        json.put("durationMillis", run.runTime().toMillis());
        json.put("waitedForPluginMillis", run.waited().toMillis());
        return json;
    }

    static Map<String, Object> modelRun(ModelRun run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", reference(run.model().plugin()));
        json.put("patient", run.patientId());
        Prediction prediction = run.prediction();
        Map<String, Object> predicted = new LinkedHashMap<>();
        predicted.put("outcome", prediction.outcome());
        predicted.put("value", number(prediction.value()));
        predicted.put("unit", prediction.unit());
        predicted.put("interpretation", prediction.interpretation());
        List<Map<String, Object>> curve = new ArrayList<>();
        for (CurvePoint point : prediction.curve()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("time", number(point.time()));
            one.put("value", number(point.value()));
            one.put("lower", number(point.lower()));
            one.put("upper", number(point.upper()));
            curve.add(one);
        }
        predicted.put("curve", curve);
        json.put("prediction", predicted);
        List<Map<String, Object>> explanation = new ArrayList<>();
        for (Contribution contribution : prediction.contributions()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("input", contribution.input());
            one.put("value", number(contribution.inputValue()));
            one.put("contribution", number(contribution.contribution()));
            one.put("explanation", contribution.explanation());
            explanation.add(one);
        }
        json.put("explanation", explanation);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputValue input : run.inputs()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", input.name());
            one.put("value", number(input.value()));
            one.put("unit", input.unit());
            one.put("source", input.source());
            if (!input.reference().isEmpty()) {
                one.put("reference", input.reference());
            }
            inputs.add(one);
        }
        json.put("inputs", inputs);
        json.put("riskAssessment", run.riskAssessmentId() == null ? null
                : "RiskAssessment/" + run.riskAssessmentId());
        if (run.notStored() != null) {
            json.put("notStored", run.notStored());
        }
        json.put("digests", digests(run.inputDigest(), run.outputDigest()));
        json.put("durationMillis", run.runTime().toMillis());
        json.put("waitedForPluginMillis", run.waited().toMillis());
        return json;
    }

    private static Map<String, Object> identity(PluginDescriptor plugin) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", plugin.id());
        json.put("version", plugin.version());
        json.put("name", plugin.name());
        json.put("vendor", plugin.vendor());
        json.put("description", plugin.description());
        json.put("intendedUse", plugin.intendedUse());
        return json;
    }

    private static Map<String, Object> reference(PluginDescriptor plugin) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", plugin.id());
        json.put("version", plugin.version());
        json.put("name", plugin.name());
        return json;
    }

    private static List<Map<String, Object>> specs(PluginDescriptor plugin) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (ParameterSpec spec : plugin.parameters()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", spec.name());
            json.put("type", spec.type().name().toLowerCase(Locale.ROOT));
            json.put("description", spec.description());
            json.put("unit", spec.unit());
            if (!spec.code().isEmpty()) {
                json.put("code", spec.code());
            }
            json.put("minimum", spec.minimum());
            json.put("maximum", spec.maximum());
            json.put("required", spec.required());
            json.put("default", typedDefault(plugin, spec));
            if (!spec.choices().isEmpty()) {
                json.put("choices", spec.choices());
            }
            json.put("accepts", ParameterValidator.expectation(spec));
            specs.add(json);
        }
        return specs;
    }

    private static Object typedDefault(PluginDescriptor plugin, ParameterSpec spec) {
        try {
            return ParameterValidator.typedDefault(plugin, spec);
        } catch (PluginCrashedException e) {
            return spec.defaultValue();
        }
    }

    private static Map<String, Object> instance(ArchivedInstance instance) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sopInstanceUid", instance.sopInstanceUid());
        json.put("seriesInstanceUid", instance.seriesInstanceUid());
        json.put("studyInstanceUid", instance.studyInstanceUid());
        json.put("imagingStudy", "ImagingStudy/" + instance.imagingStudyId());
        json.put("modality", instance.modality());
        json.put("width", instance.width());
        json.put("height", instance.height());
        json.put("derivedFrom", instance.derivedFrom());
        return json;
    }

    private static List<Map<String, Object>> measurements(List<Measurement> measurements) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Measurement measurement : measurements) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", measurement.name());
            one.put("value", number(measurement.value()));
            one.put("unit", measurement.unit());
            json.add(one);
        }
        return json;
    }

    private static Map<String, Object> digests(String input, String output) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", "SHA-256");
        json.put("input", input);
        json.put("output", output);
        return json;
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}

package org.panacea.engine.internal.prediction;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.rest.http.Json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A prediction as a FHIR R4 {@code RiskAssessment}: status {@code final}, the patient as subject, the model (id,
 * version, name) as {@code method}, the record resources its inputs came from as {@code basis}, one
 * {@code prediction} with {@code probabilityDecimal} when the model predicts a probability (else
 * {@code qualitativeRisk} with the value in words) and the interpretation as {@code rationale}, and notes holding
 * the inputs with their sources, the per-input contributions (the explanation) and the model's validation.
 */
public final class RiskAssessments {

    /** The code system of {@code method} codings: plugin ids, versioned by {@code Coding.version}. */
    public static final String PLUGIN_SYSTEM = "urn:panacea:plugin";

    private static final ObjectMapper JSON = Json.mapper();

    private RiskAssessments() {
    }

    /** The RiskAssessment as FHIR JSON, ready for {@code PatientRecords.create}. */
    public static String of(String patientId, ModelDescriptor model, Prediction prediction, List<InputValue> inputs,
            Instant now) {
        PluginDescriptor plugin = model.plugin();
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", "RiskAssessment");
        resource.put("status", "final");
        resource.putObject("subject").put("reference", "Patient/" + patientId);
        resource.put("occurrenceDateTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode method = resource.putObject("method");
        method.putArray("coding").addObject().put("system", PLUGIN_SYSTEM).put("version", plugin.version())
                .put("code", plugin.id()).put("display", plugin.name());
        method.put("text", plugin.id() + " " + plugin.version());
        Set<String> references = new LinkedHashSet<>();
        inputs.stream().map(InputValue::reference).filter(reference -> !reference.isEmpty()).forEach(references::add);
        if (!references.isEmpty()) {
            ArrayNode basis = resource.putArray("basis");
            references.forEach(reference -> basis.addObject().put("reference", reference));
        }
        ObjectNode predicted = resource.putArray("prediction").addObject();
        predicted.putObject("outcome").put("text", prediction.outcome());
        if (isProbability(prediction)) {
            predicted.put("probabilityDecimal", prediction.value());
        } else {
            predicted.putObject("qualitativeRisk").put("text", valueInWords(prediction));
        }
        if (!prediction.interpretation().isEmpty()) {
            predicted.put("rationale", prediction.interpretation());
        }
        ArrayNode notes = resource.putArray("note");
        notes.addObject().put("text", "Inputs: " + inputsInWords(inputs));
        if (!prediction.contributions().isEmpty()) {
            notes.addObject().put("text", "Explanation (contribution of each input, in the model's scale): "
                    + contributionsInWords(prediction.contributions()));
        }
        notes.addObject().put("text", "Model: " + plugin.name() + " " + plugin.version() + " by " + plugin.vendor()
                + "; trained on " + model.trainingData() + "; validation " + metricsInWords(model.validationMetrics())
                + "; intended use: " + plugin.intendedUse());
        return resource.toString();
    }

    /** Whether the prediction is a probability FHIR can hold as {@code probabilityDecimal}. */
    static boolean isProbability(Prediction prediction) {
        return prediction.unit().toLowerCase(Locale.ROOT).equals("probability") && prediction.value() >= 0
                && prediction.value() <= 1;
    }

    /** {@code 412 days}, or {@code not reached} for a value that is not a number. */
    static String valueInWords(Prediction prediction) {
        String value = Double.isFinite(prediction.value()) ? ParameterValidator.format(prediction.value())
                : "not reached";
        return value + (prediction.unit().isEmpty() || !Double.isFinite(prediction.value()) ? ""
                : " " + prediction.unit());
    }

    private static String inputsInWords(List<InputValue> inputs) {
        StringBuilder text = new StringBuilder();
        for (InputValue input : inputs) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(input.name()).append(" = ").append(ParameterValidator.format(input.value()))
                    .append(input.unit().isEmpty() ? "" : " " + input.unit()).append(" (").append(input.source())
                    .append(')');
        }
        return text.toString();
    }

    private static String contributionsInWords(List<Contribution> contributions) {
        StringBuilder text = new StringBuilder();
        for (Contribution contribution : contributions) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(contribution.input()).append(' ').append(String.format(Locale.ROOT, "%+.4g",
                    contribution.contribution()));
            if (!contribution.explanation().isEmpty()) {
                text.append(" (").append(contribution.explanation()).append(')');
            }
        }
        return text.toString();
    }

    private static String metricsInWords(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return "none reported";
        }
        StringBuilder text = new StringBuilder();
        new TreeMap<>(metrics).forEach((name, value) -> text.append(text.length() > 0 ? ", " : "").append(name)
                .append(' ').append(String.format(Locale.ROOT, "%.4g", value)));
        return text.toString();
    }
}

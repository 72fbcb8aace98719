package org.panacea.sdk.testkit.fake.goodmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/** A model that keeps the whole contract: one point per criterion met, each explained. */
public class GoodModel implements PredictionModel {

    public static final List<ParameterSpec> INPUTS = List.of(
            new ParameterSpec("respiratory_rate", ParameterType.DECIMAL, "breaths per minute; 22 or more scores 1",
                    "/min", "http://loinc.org|9279-1", 0.0, 80.0, null, List.of()),
            new ParameterSpec("confused", ParameterType.BOOLEAN, "altered mentation: 1 yes, 0 no", "",
                    "http://snomed.info/sct|40917007, http://hl7.org/fhir/sid/icd-10|R41.0", 0.0, 1.0, null,
                    List.of()));

    public static final ModelDescriptor CARD = new ModelDescriptor(new PluginDescriptor("test.good-score", "1.0.0",
            "Good score", "Test Vendor", "One point for a respiratory rate of 22/min or more, one for confusion",
            "Test fixture for the plugin test kit; no clinical use", INPUTS),
            "None: a fixture with made-up weights, fitted on nothing", Map.of("auc", 0.5));

    @Override
    public ModelDescriptor descriptor() {
        return CARD;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        List<Contribution> contributions = new ArrayList<>();
        double points = 0;
        for (ParameterSpec spec : INPUTS) {
            double value = input.value(spec.name()).orElseThrow(() -> new PredictionException(
                    "input " + spec.name() + " is missing"));
            double point = spec.name().equals("confused") ? (value == 1 ? 1 : 0) : (value >= 22 ? 1 : 0);
            points += point;
            contributions.add(new Contribution(spec.name(), value, point, spec.name() + ": " + point + " point(s)"));
        }
        return new Prediction("test outcome", points, "points", points >= 2 ? "high" : "low", contributions,
                List.of());
    }
}

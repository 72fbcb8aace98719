package org.panacea.sdk.testkit.fake.silent;

import java.util.List;

import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: a missing input ends in NoSuchElementException instead of a refusal naming it. */
public class SilentModel extends GoodModel {

    @Override
    public Prediction predict(PredictionInput input) {
        double rate = input.value("respiratory_rate").getAsDouble();
        double confused = input.value("confused").getAsDouble();
        double points = (rate >= 22 ? 1 : 0) + confused;
        return new Prediction("test outcome", points, "points", "", List.of(
                new Contribution("respiratory_rate", rate, rate >= 22 ? 1 : 0, ""),
                new Contribution("confused", confused, confused, "")), List.of());
    }
}

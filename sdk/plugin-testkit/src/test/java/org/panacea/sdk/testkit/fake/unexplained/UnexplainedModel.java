package org.panacea.sdk.testkit.fake.unexplained;

import java.util.List;

import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: calls its points a probability (above 1) and explains nothing. */
public class UnexplainedModel extends GoodModel {

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        Prediction good = super.predict(input);
        return new Prediction(good.outcome(), good.value() + 1, "probability", "", List.of(), List.of());
    }
}

package org.panacea.sdk.testkit.fake.racy;

import java.util.ArrayList;
import java.util.List;

import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: adds up points in a field shared by every call. */
public class RacyModel extends GoodModel {

    private double points;

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        Prediction good = super.predict(input);
        points = 0;
        List<Contribution> contributions = new ArrayList<>();
        for (Contribution contribution : good.contributions()) {
            points += contribution.contribution();
            Thread.yield();
            contributions.add(contribution);
        }
        return new Prediction(good.outcome(), points, good.unit(), good.interpretation(), contributions, List.of());
    }
}

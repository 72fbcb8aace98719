package org.panacea.sdk.testkit.fake.staticcounter;

import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: counts its predictions in a static counter that outlives every instance. */
public class StaticCounterModel extends GoodModel {

    private static final AtomicLong PREDICTIONS = new AtomicLong();

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        PREDICTIONS.incrementAndGet();
        return super.predict(input);
    }
}

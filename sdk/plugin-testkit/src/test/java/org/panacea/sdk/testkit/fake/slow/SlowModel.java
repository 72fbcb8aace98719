package org.panacea.sdk.testkit.fake.slow;

import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;

/** Broken on purpose: spins for 300 ms per prediction, deaf to interruption. */
public class SlowModel extends GoodModel {

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return super.predict(input);
    }
}

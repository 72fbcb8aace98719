package org.panacea.plugins.prediction.deterioration;

import org.junit.jupiter.api.Nested;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.PredictionModelContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the model this plugin ships,
 * {@link News2Model}, activated and deactivated as Declarative Services does it.
 */
class PredictionDeteriorationContractTest {

    @Nested
    class News2ModelContract extends PredictionModelContract {

        @Override
        protected PredictionModel activate() {
            return new News2Model();
        }
    }
}

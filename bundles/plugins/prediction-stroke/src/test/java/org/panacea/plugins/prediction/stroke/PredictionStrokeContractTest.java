package org.panacea.plugins.prediction.stroke;

import org.junit.jupiter.api.Nested;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.PredictionModelContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the model this plugin ships,
 * {@link Cha2ds2VascModel}, activated and deactivated as Declarative Services does it.
 */
class PredictionStrokeContractTest {

    @Nested
    class Cha2ds2VascModelContract extends PredictionModelContract {

        @Override
        protected PredictionModel activate() {
            return new Cha2ds2VascModel();
        }
    }
}

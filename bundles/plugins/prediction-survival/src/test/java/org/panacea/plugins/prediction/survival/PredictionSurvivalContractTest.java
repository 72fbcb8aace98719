package org.panacea.plugins.prediction.survival;

import org.junit.jupiter.api.Nested;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.PredictionModelContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the model this plugin ships,
 * {@link SurvivalModel}, activated and deactivated as Declarative Services does it.
 */
class PredictionSurvivalContractTest {

    @Nested
    class SurvivalModelContract extends PredictionModelContract {

        @Override
        protected PredictionModel activate() {
            SurvivalModel plugin = new SurvivalModel();
            plugin.activate();
            return plugin;
        }
    }
}

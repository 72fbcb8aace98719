package org.panacea.plugins.prediction.diagnosis;

import org.junit.jupiter.api.Nested;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.PredictionModelContract;

/**
 * The vendor test kit's contract, as every vendor runs it on its plugins: the model this plugin ships,
 * {@link BreastCancerMalignancyModel}, activated and deactivated as Declarative Services does it.
 */
class PredictionDiagnosisContractTest {

    @Nested
    class BreastCancerMalignancyModelContract extends PredictionModelContract {

        @Override
        protected PredictionModel activate() {
            BreastCancerMalignancyModel plugin = new BreastCancerMalignancyModel();
            plugin.activate();
            return plugin;
        }
    }
}

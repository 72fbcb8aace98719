package ${package};

import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.PredictionModelContract;

/**
 * The platform's contract, checked by the Panacea test kit: complete model card, valid inputs, explained and
 * deterministic predictions, missing inputs named, thread-safe, quick, nothing left behind.
 */
class QsofaScoreContractTest extends PredictionModelContract {

    /** What Declarative Services does: construct it (and call its @Activate method, if it had one). */
    @Override
    protected PredictionModel activate() {
        return new QsofaScore();
    }
}

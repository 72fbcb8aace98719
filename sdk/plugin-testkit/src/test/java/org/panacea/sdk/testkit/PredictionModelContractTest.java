package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.TestExecutionResult.Status.ABORTED;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.sdk.testkit.fake.cardless.CardlessModel;
import org.panacea.sdk.testkit.fake.goodmodel.GoodModel;
import org.panacea.sdk.testkit.fake.racy.RacyModel;
import org.panacea.sdk.testkit.fake.silent.SilentModel;
import org.panacea.sdk.testkit.fake.slow.SlowModel;
import org.panacea.sdk.testkit.fake.staticcounter.StaticCounterModel;
import org.panacea.sdk.testkit.fake.unexplained.UnexplainedModel;
import org.panacea.sdk.testkit.fake.unitless.UnitlessModel;

/** The prediction contract passes a model that keeps it and fails each deliberately broken one on its fault. */
class PredictionModelContractTest {

    private static final Set<String> CHECKS = Set.of("modelCardIsComplete", "inputSchemaIsValid",
            "serviceRegistrationMatchesTheDescriptor", "predictsForEverySampleInputOrRefusesCleanly",
            "refusesAMissingRequiredInputNamingIt", "predictionsAreDeterministic", "isThreadSafeUnderConcurrentCalls",
            "answersWithinTheTimeLimitAndStopsWhenInterrupted", "leavesNoThreadBehindAfterDeactivation",
            "leavesNoStaticStateBehindAfterDeactivation");

    static class Good extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new GoodModel();
        }
    }

    static class Cardless extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new CardlessModel();
        }
    }

    static class Unitless extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new UnitlessModel();
        }
    }

    static class Silent extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new SilentModel();
        }
    }

    static class Unexplained extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new UnexplainedModel();
        }
    }

    static class Racy extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new RacyModel();
        }
    }

    static class Slow extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new SlowModel();
        }

        @Override
        protected Duration timeLimit() {
            return Duration.ofMillis(100);
        }
    }

    static class StaticCounter extends PredictionModelContract {
        @Override
        protected PredictionModel activate() {
            return new StaticCounterModel();
        }
    }

    /** Every check, SUCCESSFUL unless named; no fake model has a component description, so that check is skipped. */
    private static Map<String, TestExecutionResult.Status> expected(String... failing) {
        Map<String, TestExecutionResult.Status> expected = new TreeMap<>();
        for (String check : CHECKS) {
            expected.put(check, SUCCESSFUL);
        }
        expected.put("serviceRegistrationMatchesTheDescriptor", ABORTED);
        for (String check : failing) {
            expected.put(check, FAILED);
        }
        return expected;
    }

    @Test
    void aModelThatKeepsTheContractPassesEveryCheck() {
        assertEquals(expected(), ContractRun.of(Good.class));
    }

    @Test
    void aModelCardWithoutTrainingDataOrMetricsFailsOnlyTheCardCheck() {
        assertEquals(expected("modelCardIsComplete"), ContractRun.of(Cardless.class));
    }

    @Test
    void inputsWithoutUnitsOrWithMalformedCodesFailOnlyTheSchemaCheck() {
        assertEquals(expected("inputSchemaIsValid"), ContractRun.of(Unitless.class));
    }

    @Test
    void aMissingInputThatCrashesInsteadOfBeingNamedFailsOnlyThatCheck() {
        assertEquals(expected("refusesAMissingRequiredInputNamingIt"), ContractRun.of(Silent.class));
    }

    @Test
    void anUnexplainedOutOfRangeProbabilityFailsOnlyThePredictionCheck() {
        assertEquals(expected("predictsForEverySampleInputOrRefusesCleanly"), ContractRun.of(Unexplained.class));
    }

    @Test
    void sharedMutableStateFailsTheThreadSafetyCheck() {
        Map<String, TestExecutionResult.Status> outcomes = ContractRun.of(Racy.class);
        assertEquals(FAILED, outcomes.get("isThreadSafeUnderConcurrentCalls"), outcomes.toString());
        assertEquals(SUCCESSFUL, outcomes.get("predictionsAreDeterministic"), outcomes.toString());
    }

    @Test
    void aSlowModelDeafToInterruptionFailsTheTimeCheck() {
        assertEquals(FAILED, ContractRun.of(Slow.class, "answersWithinTheTimeLimitAndStopsWhenInterrupted"));
    }

    @Test
    void aStaticCounterFailsOnlyTheStaticStateCheck() {
        assertEquals(expected("leavesNoStaticStateBehindAfterDeactivation"), ContractRun.of(StaticCounter.class));
    }
}

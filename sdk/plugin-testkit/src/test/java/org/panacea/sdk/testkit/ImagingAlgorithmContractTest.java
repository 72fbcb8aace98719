package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.sdk.testkit.fake.anonymous.AnonymousOutputAlgorithm;
import org.panacea.sdk.testkit.fake.badschema.BadSchemaAlgorithm;
import org.panacea.sdk.testkit.fake.crashing.CrashingAlgorithm;
import org.panacea.sdk.testkit.fake.good.GoodAlgorithm;
import org.panacea.sdk.testkit.fake.incomplete.IncompleteAlgorithm;
import org.panacea.sdk.testkit.fake.inplace.InPlaceAlgorithm;
import org.panacea.sdk.testkit.fake.mislabelled.MislabelledAlgorithm;
import org.panacea.sdk.testkit.fake.random.RandomAlgorithm;
import org.panacea.sdk.testkit.fake.sharedbuffer.SharedBufferAlgorithm;
import org.panacea.sdk.testkit.fake.staticcache.StaticCacheAlgorithm;
import org.panacea.sdk.testkit.fake.stubborn.StubbornAlgorithm;
import org.panacea.sdk.testkit.fake.threadleak.ThreadLeakingAlgorithm;

/**
 * The imaging contract passes a plugin that keeps it, and each deliberately broken plugin fails exactly the check
 * written for its fault (and, where the fault also breaks other promises, those too).
 */
class ImagingAlgorithmContractTest {

    private static final Set<String> CHECKS = Set.of("descriptorIsComplete", "parameterSchemaIsValid",
            "serviceRegistrationMatchesTheDescriptor", "processesEveryPixelFormatAndSizeOrRefusesCleanly",
            "leavesItsInputUnchanged", "outputKeepsTheSourceIdentity", "resultsAreDeterministic",
            "isThreadSafeUnderConcurrentCalls", "stopsWhenInterrupted", "leavesNoThreadBehindAfterDeactivation",
            "leavesNoStaticStateBehindAfterDeactivation");

    static class Good extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new GoodAlgorithm();
        }
    }

    static class Incomplete extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new IncompleteAlgorithm();
        }
    }

    static class BadSchema extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new BadSchemaAlgorithm();
        }
    }

    static class Crashing extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new CrashingAlgorithm();
        }
    }

    static class InPlace extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new InPlaceAlgorithm();
        }
    }

    static class Anonymous extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new AnonymousOutputAlgorithm();
        }
    }

    static class Random extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new RandomAlgorithm();
        }
    }

    static class SharedBuffer extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new SharedBufferAlgorithm();
        }
    }

    static class Stubborn extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new StubbornAlgorithm();
        }

        @Override
        protected Duration interruptionDeadline() {
            return Duration.ofMillis(300);
        }
    }

    static class ThreadLeak extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new ThreadLeakingAlgorithm();
        }

        @Override
        protected Duration threadStopGrace() {
            return Duration.ofMillis(300);
        }
    }

    static class StaticCache extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new StaticCacheAlgorithm();
        }
    }

    static class Mislabelled extends ImagingAlgorithmContract {
        @Override
        protected ImagingAlgorithm activate() {
            return new MislabelledAlgorithm();
        }
    }

    /**
     * Every check, SUCCESSFUL unless named in {@code failing}; the registration check is skipped (ABORTED) for fakes
     * without a component description among the test resources.
     */
    private static Map<String, TestExecutionResult.Status> expected(boolean described, String... failing) {
        Map<String, TestExecutionResult.Status> expected = new TreeMap<>();
        for (String check : CHECKS) {
            expected.put(check, SUCCESSFUL);
        }
        if (!described) {
            expected.put("serviceRegistrationMatchesTheDescriptor", TestExecutionResult.Status.ABORTED);
        }
        for (String check : failing) {
            expected.put(check, FAILED);
        }
        return expected;
    }

    @Test
    void aPluginThatKeepsTheContractPassesEveryCheck() {
        assertEquals(expected(true), ContractRun.of(Good.class));
    }

    @Test
    void anIncompleteDescriptorFailsOnlyTheDescriptorCheck() {
        assertEquals(expected(false, "descriptorIsComplete"), ContractRun.of(Incomplete.class));
    }

    @Test
    void anInvalidParameterSchemaFailsOnlyTheSchemaCheck() {
        assertEquals(expected(false, "parameterSchemaIsValid"), ContractRun.of(BadSchema.class));
    }

    @Test
    void aPluginThatCrashesOnSomeFormatsFailsTheFormatCheck() {
        Map<String, TestExecutionResult.Status> outcomes = ContractRun.of(Crashing.class);
        assertEquals(FAILED, outcomes.get("processesEveryPixelFormatAndSizeOrRefusesCleanly"), outcomes.toString());
        assertEquals(SUCCESSFUL, outcomes.get("descriptorIsComplete"), outcomes.toString());
    }

    @Test
    void aPluginThatWritesIntoItsInputFailsTheInputCheck() {
        Map<String, TestExecutionResult.Status> outcomes = ContractRun.of(InPlace.class);
        assertEquals(FAILED, outcomes.get("leavesItsInputUnchanged"), outcomes.toString());
    }

    @Test
    void anOutputThatForgetsItsSourceFailsTheIdentityCheck() {
        assertEquals(expected(false, "outputKeepsTheSourceIdentity"), ContractRun.of(Anonymous.class));
    }

    @Test
    void aRandomResultFailsTheDeterminismCheck() {
        Map<String, TestExecutionResult.Status> outcomes = ContractRun.of(Random.class);
        assertEquals(FAILED, outcomes.get("resultsAreDeterministic"), outcomes.toString());
        assertEquals(SUCCESSFUL, outcomes.get("outputKeepsTheSourceIdentity"), outcomes.toString());
    }

    @Test
    void sharedMutableStateFailsOnlyTheThreadSafetyCheck() {
        Map<String, TestExecutionResult.Status> outcomes = ContractRun.of(SharedBuffer.class);
        assertEquals(FAILED, outcomes.get("isThreadSafeUnderConcurrentCalls"), outcomes.toString());
        assertEquals(SUCCESSFUL, outcomes.get("resultsAreDeterministic"), outcomes.toString());
    }

    @Test
    void aCallDeafToInterruptionFailsTheInterruptionCheck() {
        assertEquals(FAILED, ContractRun.of(Stubborn.class, "stopsWhenInterrupted"));
        assertEquals(SUCCESSFUL, ContractRun.of(Good.class, "stopsWhenInterrupted"));
    }

    @Test
    void aThreadLeftRunningFailsOnlyTheThreadCheck() {
        assertEquals(expected(false, "leavesNoThreadBehindAfterDeactivation"), ContractRun.of(ThreadLeak.class));
    }

    @Test
    void aStaticCacheFailsOnlyTheStaticStateCheck() {
        assertEquals(expected(false, "leavesNoStaticStateBehindAfterDeactivation"), ContractRun.of(StaticCache.class));
    }

    @Test
    void aRegistrationThatContradictsTheDescriptorFailsTheRegistrationCheck() {
        assertEquals(expected(true, "serviceRegistrationMatchesTheDescriptor"), ContractRun.of(Mislabelled.class));
    }

    @Test
    void withoutAComponentDescriptionTheRegistrationCheckIsSkippedNotPassed() {
        assertEquals(TestExecutionResult.Status.ABORTED, ContractRun.of(Random.class,
                "serviceRegistrationMatchesTheDescriptor"));
    }
}

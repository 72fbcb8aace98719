package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * The ONNX contract passes the archetype's generated model plugin and fails each broken one on its fault: a
 * descriptor that does not match its graph, an incomplete card, no descriptor at all, a run over the time limit.
 */
class OnnxModelContractTest {

    private static final Set<String> CHECKS = Set.of("everyDescriptorIsValidAndMatchesItsGraph",
            "modelCardIsComplete", "resultsAreDeterministic", "answersWithinTheTimeLimit",
            "refusesAnImageOutsideItsApplicabilityWithTheReason");

    static Path fixture(String name) {
        try {
            return Path.of(OnnxModelContractTest.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static class Good extends OnnxModelContract {
        @Override
        protected Path modelFolder() {
            return fixture("good");
        }
    }

    static class ChestOnly extends OnnxModelContract {
        @Override
        protected Path modelFolder() {
            return fixture("chest");
        }
    }

    static class Mismatched extends OnnxModelContract {
        @Override
        protected Path modelFolder() {
            return fixture("mismatched");
        }
    }

    static class Cardless extends OnnxModelContract {
        @Override
        protected Path modelFolder() {
            return fixture("cardless");
        }
    }

    static class Empty extends OnnxModelContract {
        @Override
        protected Path modelFolder() {
            return fixture("empty");
        }
    }

    static class Slow extends Good {
        @Override
        protected Duration timeLimit() {
            return Duration.ofNanos(1);
        }
    }

    private static Map<String, TestExecutionResult.Status> expected(TestExecutionResult.Status others,
            Map<String, TestExecutionResult.Status> exceptions) {
        Map<String, TestExecutionResult.Status> expected = new TreeMap<>();
        CHECKS.forEach(check -> expected.put(check, others));
        expected.putAll(exceptions);
        return expected;
    }

    @Test
    void theGeneratedModelPluginPassesEveryCheck() {
        assertEquals(expected(SUCCESSFUL, Map.of()), ContractRun.of(Good.class));
    }

    @Test
    void aModelForOneBodyPartIsRunOnSampleImagesOfThatPart() {
        assertEquals(expected(SUCCESSFUL, Map.of()), ContractRun.of(ChestOnly.class));
    }

    @Test
    void aDescriptorThatDoesNotMatchItsGraphFailsEveryCheckAsTheInstallWouldRefuseIt() {
        assertEquals(expected(FAILED, Map.of()), ContractRun.of(Mismatched.class));
    }

    @Test
    void anIncompleteCardFailsTheCardCheckOnly() {
        assertEquals(expected(SUCCESSFUL, Map.of("modelCardIsComplete", FAILED)), ContractRun.of(Cardless.class));
    }

    @Test
    void aFolderWithoutDescriptorsFails() {
        assertEquals(FAILED, ContractRun.of(Empty.class, "everyDescriptorIsValidAndMatchesItsGraph"));
    }

    @Test
    void aRunOverTheTimeLimitFailsTheTimeCheckOnly() {
        assertEquals(expected(SUCCESSFUL, Map.of("answersWithinTheTimeLimit", FAILED)), ContractRun.of(Slow.class));
    }
}

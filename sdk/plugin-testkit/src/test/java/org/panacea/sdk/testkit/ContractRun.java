package org.panacea.sdk.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Map;
import java.util.TreeMap;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs a contract test class (or one of its checks) through the JUnit engine and tells how each check ended. */
final class ContractRun {

    private ContractRun() {
    }

    /** Every check of {@code contract}, by method name: SUCCESSFUL, FAILED or ABORTED (skipped by an assumption). */
    static Map<String, TestExecutionResult.Status> of(Class<?> contract) {
        return run(selectClass(contract));
    }

    /** One check of {@code contract}. */
    static TestExecutionResult.Status of(Class<?> contract, String check) {
        return run(selectMethod(contract, check)).get(check);
    }

    private static Map<String, TestExecutionResult.Status> run(DiscoverySelector selector) {
        Map<String, TestExecutionResult.Status> outcomes = new TreeMap<>();
        for (Event event : EngineTestKit.engine("junit-jupiter").selectors(selector).execute().testEvents()
                .finished().list()) {
            String name = event.getTestDescriptor().getSource()
                    .filter(MethodSource.class::isInstance).map(source -> ((MethodSource) source).getMethodName())
                    .orElse(event.getTestDescriptor().getDisplayName());
            outcomes.put(name, event.getPayload(TestExecutionResult.class).orElseThrow().getStatus());
        }
        return outcomes;
    }
}

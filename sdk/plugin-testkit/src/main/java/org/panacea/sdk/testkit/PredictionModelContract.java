package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/**
 * The contract of a prediction plugin, as JUnit 5 tests a vendor's test class inherits:
 *
 * <pre>
 * class MyScoreContractTest extends PredictionModelContract {
 *     protected PredictionModel activate() { return new MyScore(); }
 * }
 * </pre>
 *
 * It checks that the model card is complete (identity, intended use, inputs with units and codes, training data,
 * validation metrics) and the input schema valid; that every sample input gives a well-formed, explained prediction
 * or a {@link PredictionException}; that a missing required input is refused naming it; that predictions are
 * deterministic, the same under concurrent calls, quick, and end soon after an interruption; and that nothing is
 * left behind after deactivation. Override {@link #sampleInputs} to add patients of your own.
 */
public abstract class PredictionModelContract extends PluginContract<PredictionModel> {

    /** The inputs every check predicts for; by default every input inside its range, then each at its bounds. */
    protected List<PredictionInput> sampleInputs(ModelDescriptor model) {
        return SampleParameters.inputs(model);
    }

    /** The longest one prediction may take; the engine's default time limit is far longer, a clinician's patience not. */
    protected Duration timeLimit() {
        return Duration.ofSeconds(1);
    }

    @Override
    final Class<?> serviceType() {
        return PredictionModel.class;
    }

    @Override
    final PluginDescriptor identity(PredictionModel plugin) {
        return plugin.descriptor().plugin();
    }

    @Override
    final void exercise(PredictionModel plugin) throws Exception {
        for (PredictionInput input : sampleInputs(plugin.descriptor())) {
            predictOrRefuse(plugin, input);
        }
    }

    private static Prediction predictOrRefuse(PredictionModel plugin, PredictionInput input) {
        try {
            return plugin.predict(input);
        } catch (PredictionException refused) {
            return null;
        }
    }

    /** Identity, intended use, training data and validation metrics; the same card on every call. */
    @Test
    public void modelCardIsComplete() throws Exception {
        PredictionModel plugin = plugin();
        ModelDescriptor model = plugin.descriptor();
        List<String> problems = DescriptorRules.model(model);
        assertTrue(problems.isEmpty(), "model card incomplete: " + problems);
        assertEquals(model, plugin.descriptor(), "descriptor() must return the same card on every call");
    }

    /** Inputs: unique names, descriptions, UCUM units, codes as {@code system|code}, valid ranges and defaults. */
    @Test
    public void inputSchemaIsValid() throws Exception {
        List<String> problems = ParameterSchemaRules.modelInputs(plugin().descriptor().plugin().parameters());
        assertTrue(problems.isEmpty(), "input schema invalid: " + problems);
    }

    /**
     * Every sample input gives a prediction with an outcome, a finite value (within [0, 1] for a probability), a
     * unit, and contributions that name declared inputs with finite values; or a {@link PredictionException} with a
     * message. Any other exception is a crash.
     */
    @Test
    public void predictsForEverySampleInputOrRefusesCleanly() throws Exception {
        PredictionModel plugin = plugin();
        Set<String> declared = new HashSet<>();
        for (ParameterSpec spec : plugin.descriptor().plugin().parameters()) {
            declared.add(spec.name());
        }
        List<String> problems = new ArrayList<>();
        for (PredictionInput input : sampleInputs(plugin.descriptor())) {
            try {
                Prediction prediction = plugin.predict(input);
                problems.addAll(malformed(prediction, declared, input));
            } catch (PredictionException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    problems.add(input.values() + ": refused without a message saying which input is wrong");
                }
            } catch (RuntimeException | Error crash) {
                problems.add(input.values() + ": " + crash);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, e.g. "
                + problems.subList(0, Math.min(5, problems.size())));
    }

    private static List<String> malformed(Prediction prediction, Set<String> declared, PredictionInput input) {
        List<String> problems = new ArrayList<>();
        String at = input.values() + ": ";
        if (prediction == null) {
            problems.add(at + "returned null (return a prediction or throw PredictionException)");
            return problems;
        }
        if (prediction.outcome().isBlank()) {
            problems.add(at + "the prediction names no outcome");
        }
        if (!Double.isFinite(prediction.value())) {
            problems.add(at + "value " + prediction.value() + " is not finite");
        }
        if (prediction.unit().isBlank()) {
            problems.add(at + "the prediction states no unit (probability, points, ...)");
        }
        if (prediction.unit().equals("probability") && !(prediction.value() >= 0 && prediction.value() <= 1)) {
            problems.add(at + "probability " + prediction.value() + " is outside [0, 1]");
        }
        if (prediction.contributions().isEmpty()) {
            problems.add(at + "no contributions: a clinician must see which inputs drove the prediction");
        }
        for (Contribution contribution : prediction.contributions()) {
            if (!declared.contains(contribution.input())) {
                problems.add(at + "contribution of '" + contribution.input() + "', which is not a declared input");
            }
            if (!Double.isFinite(contribution.contribution())) {
                problems.add(at + "contribution of " + contribution.input() + " is not finite");
            }
        }
        for (CurvePoint point : prediction.curve()) {
            if (!Double.isFinite(point.time()) || !Double.isFinite(point.value())) {
                problems.add(at + "curve point " + point + " is not finite");
                break;
            }
        }
        return problems;
    }

    /**
     * Leaving out a required input (one without a default) is refused with a {@link PredictionException} whose
     * message names that input, so the clinician knows what to record.
     */
    @Test
    public void refusesAMissingRequiredInputNamingIt() throws Exception {
        PredictionModel plugin = plugin();
        PredictionInput complete = sampleInputs(plugin.descriptor()).get(0);
        for (ParameterSpec spec : plugin.descriptor().plugin().parameters()) {
            if (!spec.required()) {
                continue;
            }
            Map<String, Double> values = new HashMap<>(complete.values());
            values.remove(spec.name());
            try {
                Prediction prediction = plugin.predict(new PredictionInput(values));
                fail("without required input '" + spec.name() + "' the model still predicted " + prediction.value());
            } catch (PredictionException refused) {
                String message = String.valueOf(refused.getMessage());
                assertTrue(message.contains(spec.name()), "the refusal must name '" + spec.name() + "': " + message);
            } catch (RuntimeException crash) {
                fail("without required input '" + spec.name() + "' the model crashed instead of refusing", crash);
            }
        }
    }

    /** The same inputs give the same prediction, explanation and curve on every call. */
    @Test
    public void predictionsAreDeterministic() throws Exception {
        PredictionModel plugin = plugin();
        for (PredictionInput input : sampleInputs(plugin.descriptor())) {
            String difference = SameResults.difference(predictOrRefuse(plugin, input), predictOrRefuse(plugin, input));
            if (difference != null) {
                fail(input.values() + " gave two answers: " + difference);
            }
        }
    }

    /** Many threads asking one instance at once get exactly what one thread gets alone. */
    @Test
    public void isThreadSafeUnderConcurrentCalls() throws Exception {
        PredictionModel plugin = plugin();
        List<PredictionInput> inputs = sampleInputs(plugin.descriptor());
        List<Callable<Prediction>> calls = new ArrayList<>();
        List<Prediction> alone = new ArrayList<>();
        for (PredictionInput input : inputs) {
            calls.add(() -> predictOrRefuse(plugin, input));
            alone.add(predictOrRefuse(plugin, input));
        }
        String problem = concurrently(calls, 50, (task, answer) -> {
            String difference = SameResults.difference(alone.get(task), answer);
            return difference == null ? null : inputs.get(task).values() + ", asked concurrently: " + difference;
        });
        assertEquals(null, problem, "concurrent predictions disagree with a prediction alone (shared mutable state?)");
    }

    /** Each prediction takes less than {@link #timeLimit()}, and ends soon after its thread is interrupted. */
    @Test
    public void answersWithinTheTimeLimitAndStopsWhenInterrupted() throws Exception {
        PredictionModel plugin = plugin();
        List<PredictionInput> inputs = sampleInputs(plugin.descriptor());
        for (PredictionInput input : inputs) {
            long started = System.nanoTime();
            predictOrRefuse(plugin, input);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(timeLimit()) <= 0, input.values() + " took " + took.toMillis() + " ms, over "
                    + timeLimit().toMillis() + " ms");
        }
        assertEndsWhenInterrupted(() -> {
            for (PredictionInput input : inputs) {
                predictOrRefuse(plugin, input);
            }
            return null;
        }, "predict()");
    }
}

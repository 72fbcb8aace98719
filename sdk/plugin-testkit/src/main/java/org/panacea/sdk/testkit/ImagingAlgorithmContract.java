package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * The contract of an imaging plugin, as JUnit 5 tests a vendor's test class inherits:
 *
 * <pre>
 * class MyFilterContractTest extends ImagingAlgorithmContract {
 *     protected ImagingAlgorithm activate() { return new MyFilter(); }
 * }
 * </pre>
 *
 * It checks that the descriptor is complete and its parameter schema valid; that every pixel format and size the
 * engine may hand over (8-bit, 16-bit signed and unsigned, float; down to 1x1) is processed or refused with an
 * {@link AlgorithmException}, never another exception; that the input is left alone and the output keeps the
 * source's identity; that results are deterministic and the same when many threads call one instance; that a call
 * ends soon after its thread is interrupted (the engine's time limit); and that nothing is left behind after
 * deactivation. Override {@link #sampleImages()} and {@link #parameterSets} to add inputs of your own.
 */
public abstract class ImagingAlgorithmContract extends PluginContract<ImagingAlgorithm> {

    /** Every image the checks call the algorithm with; by default {@link SampleImages#standard()}. */
    protected List<Image> sampleImages() {
        return SampleImages.standard();
    }

    /** An image large enough that a call takes a while, for the interruption check; 2048x2048 by default. */
    protected Image largeImage() {
        return SampleImages.large();
    }

    /** The parameter sets every image is tried with; by default the defaults and each bound and choice. */
    protected List<Parameters> parameterSets(PluginDescriptor descriptor) {
        return SampleParameters.of(descriptor);
    }

    @Override
    final Class<?> serviceType() {
        return ImagingAlgorithm.class;
    }

    @Override
    final PluginDescriptor identity(ImagingAlgorithm plugin) {
        return plugin.descriptor();
    }

    @Override
    final void exercise(ImagingAlgorithm plugin) throws Exception {
        for (Parameters parameters : parameterSets(plugin.descriptor())) {
            for (Image image : sampleImages()) {
                applyOrRefuse(plugin, image, parameters);
            }
        }
        applyOrRefuse(plugin, largeImage(), parameterSets(plugin.descriptor()).get(0));
    }

    private static AlgorithmResult applyOrRefuse(ImagingAlgorithm plugin, Image image, Parameters parameters) {
        try {
            return plugin.apply(image, parameters);
        } catch (AlgorithmException refused) {
            return null;
        }
    }

    /** Name, vendor, description with conventions, intended use; the same descriptor on every call. */
    @Test
    public void descriptorIsComplete() throws Exception {
        ImagingAlgorithm plugin = plugin();
        PluginDescriptor descriptor = plugin.descriptor();
        List<String> problems = DescriptorRules.plugin(descriptor);
        assertTrue(problems.isEmpty(), "descriptor incomplete: " + problems);
        assertEquals(descriptor, plugin.descriptor(), "descriptor() must return the same descriptor on every call");
    }

    /** Unique names, descriptions, bounds, defaults of the right type inside the bounds, choices. */
    @Test
    public void parameterSchemaIsValid() throws Exception {
        List<String> problems = ParameterSchemaRules.algorithmParameters(plugin().descriptor().parameters());
        assertTrue(problems.isEmpty(), "parameter schema invalid: " + problems);
    }

    /**
     * Every sample image with every parameter set gives a result, or an {@link AlgorithmException} with a message
     * for the user; any other exception is a crash the engine reports as a plugin failure (HTTP 500).
     */
    @Test
    public void processesEveryPixelFormatAndSizeOrRefusesCleanly() throws Exception {
        ImagingAlgorithm plugin = plugin();
        List<String> problems = new ArrayList<>();
        for (Parameters parameters : parameterSets(plugin.descriptor())) {
            for (Image image : sampleImages()) {
                String input = SampleImages.describe(image) + " with " + parameters.values();
                try {
                    AlgorithmResult result = plugin.apply(image, parameters);
                    if (result == null) {
                        problems.add(input + ": returned null (return a result or throw AlgorithmException)");
                    }
                } catch (AlgorithmException refused) {
                    if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                        problems.add(input + ": refused without a message for the user");
                    }
                } catch (RuntimeException | Error crash) {
                    problems.add(input + ": " + crash);
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " calls failed, e.g. "
                + problems.subList(0, Math.min(5, problems.size())));
    }

    /** The input's samples are unchanged after the call: the engine shares the image, it is not a copy. */
    @Test
    public void leavesItsInputUnchanged() throws Exception {
        ImagingAlgorithm plugin = plugin();
        for (Parameters parameters : parameterSets(plugin.descriptor())) {
            for (Image image : sampleImages()) {
                Image original = SampleImages.copyOf(image);
                applyOrRefuse(plugin, image, parameters);
                String change = SameResults.difference(AlgorithmResult.of(original), AlgorithmResult.of(image));
                if (change != null) {
                    fail("the input " + SampleImages.describe(image) + " was changed by the call with "
                            + parameters.values() + ": " + change);
                }
            }
        }
    }

    /**
     * An output image keeps its source's identity: the same modality and source instance UID (the archive files it
     * as a derived instance of that source).
     */
    @Test
    public void outputKeepsTheSourceIdentity() throws Exception {
        ImagingAlgorithm plugin = plugin();
        Parameters parameters = parameterSets(plugin.descriptor()).get(0);
        for (Image image : sampleImages()) {
            AlgorithmResult result = applyOrRefuse(plugin, image, parameters);
            if (result == null || result.image() == null) {
                continue;
            }
            String input = SampleImages.describe(image);
            assertEquals(image.metadata().modality(), result.image().metadata().modality(),
                    input + ": the output's modality");
            assertEquals(image.metadata().sourceInstanceUid(), result.image().metadata().sourceInstanceUid(),
                    input + ": the output's source instance UID");
        }
    }

    /** The same input and parameters give the same result, sample for sample, on every call. */
    @Test
    public void resultsAreDeterministic() throws Exception {
        ImagingAlgorithm plugin = plugin();
        for (Parameters parameters : parameterSets(plugin.descriptor())) {
            for (Image image : sampleImages()) {
                AlgorithmResult first = applyOrRefuse(plugin, image, parameters);
                AlgorithmResult second = applyOrRefuse(plugin, image, parameters);
                String difference = SameResults.difference(first, second);
                if (difference != null) {
                    fail(SampleImages.describe(image) + " with " + parameters.values() + " gave two results: "
                            + difference);
                }
            }
        }
    }

    /**
     * Many threads calling one instance at once get exactly what one thread gets alone: the engine runs calls
     * concurrently on the same service object.
     */
    @Test
    public void isThreadSafeUnderConcurrentCalls() throws Exception {
        ImagingAlgorithm plugin = plugin();
        List<Image> images = sampleImages();
        List<Parameters> sets = parameterSets(plugin.descriptor());
        List<Callable<AlgorithmResult>> calls = new ArrayList<>();
        List<AlgorithmResult> alone = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (Parameters parameters : sets) {
            for (Image image : images) {
                calls.add(() -> applyOrRefuse(plugin, image, parameters));
                alone.add(applyOrRefuse(plugin, image, parameters));
                inputs.add(SampleImages.describe(image) + " with " + parameters.values());
            }
        }
        String problem = concurrently(calls, 4, (task, answer) -> {
            String difference = SameResults.difference(alone.get(task), answer);
            return difference == null ? null : inputs.get(task) + ", called concurrently: " + difference;
        });
        assertEquals(null, problem, "concurrent calls disagree with a call alone (shared mutable state?)");
    }

    /** A call on a large image ends within {@link #interruptionDeadline()} of its thread being interrupted. */
    @Test
    public void stopsWhenInterrupted() throws Exception {
        ImagingAlgorithm plugin = plugin();
        Image large = largeImage();
        Parameters parameters = parameterSets(plugin.descriptor()).get(0);
        assertNotNull(large, "largeImage()");
        assertEndsWhenInterrupted(() -> plugin.apply(large, parameters),
                "apply() on " + SampleImages.describe(large));
    }
}

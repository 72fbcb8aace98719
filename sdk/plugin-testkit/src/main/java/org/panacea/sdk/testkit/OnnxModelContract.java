package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.onnx.internal.models.ModelDescription;
import org.panacea.onnx.internal.models.ModelFolder;

/**
 * What a model-only plugin (ONNX graphs and their {@code model/*.json} descriptors, no code) owes the platform,
 * checked on the build's output with the platform's own reader and ONNX Runtime, so that what passes here is not
 * refused at install: every descriptor valid and matching its graph's inputs and outputs (names, element type,
 * shapes, number of labels), a complete model card, results bit for bit the same on the same input, a result
 * (explanation included) within the time limit, and an image outside the card's applicability refused with the
 * reason. The sample image takes the card's first modality, a pixel spacing inside its range and its first body part.
 * <p>
 * A vendor's project has one test class: {@code class MyModelsContractTest extends OnnxModelContract { }}. Override
 * {@link #modelFolder()} when the model files are not in {@code target/classes/model}, {@link #sampleImage} to run
 * the image models on an image of your own, {@link #timeLimit()} for a heavier network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnnxModelContract {

    private ModelFolder folder;
    private Exception refusal;

    /** The folder holding {@code model/}: the build's output, what the bundle will hold. */
    protected Path modelFolder() {
        return Path.of("target", "classes");
    }

    /**
     * The longest one run of a model may take, its explanation included (a classification runs its graph 65 times:
     * once, and once per occluded patch). The platform stops runs after its time limit (60 s by default).
     */
    protected Duration timeLimit() {
        return Duration.ofSeconds(10);
    }

    /**
     * An image the model is meant for: by default a 128 x 128 slice of signed 16-bit samples in HU (soft tissue around
     * 40 HU with noise, a bright disc of 300 HU), of the card's first modality and a pixel spacing inside its range.
     */
    protected Image sampleImage(String modality, double pixelSpacingMm) {
        int size = 128;
        short[] values = new short[size * size];
        java.util.SplittableRandom noise = new java.util.SplittableRandom(size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double r = Math.hypot(x - 80.0, y - 48.0);
                values[y * size + x] = (short) ((r < 18 ? 300 : 40) + noise.nextInt(-25, 26));
            }
        }
        return new Image(size, size, new Pixels.Gray16(values, true), new ImageMetadata(modality, pixelSpacingMm,
                pixelSpacingMm, 1, 0, "HU", 40, 400, 16, "2.25.1234567890"));
    }

    @AfterAll
    final void closeModels() {
        if (folder != null) {
            folder.close();
        }
    }

    /** The plugin's models, read as the platform reads them at install; fails with the platform's reason. */
    private List<ModelFolder.Model> models() {
        if (folder == null && refusal == null) {
            try {
                folder = ModelFolder.open(modelFolder().toAbsolutePath());
            } catch (Exception e) {
                refusal = e;
            }
        }
        if (refusal != null) {
            fail("the platform would refuse this plugin at install: " + refusal.getMessage(), refusal);
        }
        return folder.models();
    }

    @Test
    void everyDescriptorIsValidAndMatchesItsGraph() {
        List<ModelFolder.Model> models = models();
        assertFalse(models.isEmpty(), "no model/*.json descriptor in " + modelFolder());
        List<String> ids = new ArrayList<>();
        for (ModelFolder.Model model : models) {
            assertFalse(ids.contains(model.description().id()), "two descriptors have the id "
                    + model.description().id());
            ids.add(model.description().id());
        }
    }

    @Test
    void modelCardIsComplete() {
        for (ModelFolder.Model model : models()) {
            List<String> problems = new ArrayList<>(model.service() instanceof PredictionModel prediction
                    ? DescriptorRules.model(prediction.descriptor())
                    : DescriptorRules.plugin(((ImagingAlgorithm) model.service()).descriptor()));
            ModelDescription.Card card = model.description().card();
            if (card.trainingData() == null || card.trainingData().strip().length() < DescriptorRules.MINIMUM_TEXT) {
                problems.add("card.trainingData: name the data the network was trained on (source, size, "
                        + "population)");
            }
            if (card.validationMetrics() == null || card.validationMetrics().isEmpty()) {
                problems.add("card.validationMetrics: state how well it did on held-out data");
            }
            if (card.licence() == null || card.licence().isBlank()) {
                problems.add("card.licence: the licence of the model and its weights");
            }
            assertEquals(List.of(), problems, model.descriptor());
        }
    }

    @Test
    void resultsAreDeterministic() throws Exception {
        for (ModelFolder.Model model : models()) {
            if (model.service() instanceof ImagingAlgorithm algorithm) {
                Image image = applicableImage(model.description());
                assertNull(SameResults.difference(run(algorithm, image), run(algorithm, image)), model.descriptor());
            } else {
                PredictionModel prediction = (PredictionModel) model.service();
                PredictionInput input = SampleParameters.inputs(prediction.descriptor()).get(0);
                assertNull(SameResults.difference(prediction.predict(input), prediction.predict(input)),
                        model.descriptor());
            }
        }
    }

    @Test
    void answersWithinTheTimeLimit() throws Exception {
        for (ModelFolder.Model model : models()) {
            long started = System.nanoTime();
            if (model.service() instanceof ImagingAlgorithm algorithm) {
                AlgorithmResult result = run(algorithm, applicableImage(model.description()));
                assertFalse(result.measurements().isEmpty(), model.descriptor() + ": a result without measurements");
            } else {
                PredictionModel prediction = (PredictionModel) model.service();
                Prediction answer = prediction.predict(SampleParameters.inputs(prediction.descriptor()).get(0));
                assertTrue(Double.isFinite(answer.value()), model.descriptor() + ": " + answer);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(timeLimit()) <= 0, model.descriptor() + ": one run took " + took.toMillis()
                    + " ms, more than the time limit of " + timeLimit().toMillis() + " ms");
        }
    }

    @Test
    void refusesAnImageOutsideItsApplicabilityWithTheReason() {
        for (ModelFolder.Model model : models()) {
            if (model.service() instanceof ImagingAlgorithm algorithm) {
                ModelDescription.Applicability applicability = model.description().applicability();
                if (applicability.modalities() == null || applicability.modalities().isEmpty()) {
                    continue;
                }
                String other = applicability.modalities().contains("XA") ? "NM" : "XA";
                AlgorithmException refused = assertThrows(AlgorithmException.class,
                        () -> algorithm.apply(sampleImage(other, spacingInside(applicability)), Parameters.none()),
                        model.descriptor() + ": a " + other + " image was not refused");
                assertTrue(refused.getMessage().contains("outside the applicability"), refused.getMessage());
            }
        }
    }

    /** The sample image with the card's first modality, a spacing inside its range and its first body part. */
    private Image applicableImage(ModelDescription description) {
        ModelDescription.Applicability applicability = description.applicability();
        String modality = applicability.modalities() == null || applicability.modalities().isEmpty() ? "CT"
                : applicability.modalities().get(0);
        Image image = sampleImage(modality, spacingInside(applicability));
        List<String> bodyParts = applicability.bodyParts();
        boolean anyBodyPart = bodyParts == null || bodyParts.isEmpty()
                || bodyParts.stream().anyMatch(part -> "ANY".equalsIgnoreCase(part.strip()));
        return anyBodyPart ? image : new Image(image.width(), image.height(), image.pixels(),
                image.metadata().withBodyPartExamined(bodyParts.get(0)));
    }

    private static double spacingInside(ModelDescription.Applicability applicability) {
        Double min = applicability.minPixelSpacingMm();
        Double max = applicability.maxPixelSpacingMm();
        if (min != null && max != null) {
            return (min + max) / 2;
        }
        return min != null ? min : max != null ? max : 0.7;
    }

    private static AlgorithmResult run(ImagingAlgorithm algorithm, Image image) throws AlgorithmException {
        return algorithm.apply(image, Parameters.none());
    }
}

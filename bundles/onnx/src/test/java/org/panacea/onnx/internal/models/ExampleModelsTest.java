package org.panacea.onnx.internal.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.inference.LoadedModel;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.dicom.read.DicomReader;
import org.panacea.onnx.internal.runtime.OnnxInferenceRuntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped example models through the descriptor path (pre-processing, graph, post-processing) against Python ONNX
 * Runtime's outputs, which started from the same DICOM file with pre-processing written in pydicom/numpy
 * (onnx-examples/python/reference_preprocessing.py). Java: ONNX Runtime 1.22.0; Python: the versions in each
 * reference file. Tolerance: 1e-5 relative to max(|reference|, 1).
 */
class ExampleModelsTest {

    static final double TOLERANCE = 1e-5;
    private static final Path EXAMPLES = Path.of(System.getProperty("panacea.onnx.examples", "missing"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OnnxInferenceRuntime runtime;
    private static final List<LoadedModel> LOADED = new ArrayList<>();

    @BeforeAll
    static void start() {
        runtime = new OnnxInferenceRuntime(org.panacea.onnx.internal.runtime.TestConfigsAccess.config());
    }

    @AfterAll
    static void stop() {
        LOADED.forEach(LoadedModel::close);
        runtime.stop();
    }

    static DescribedModel described(String name) throws Exception {
        Path folder = EXAMPLES.resolve("main/resources/model");
        ModelDescription description = DescriptorReader.read("model/" + name + ".json",
                Files.readAllBytes(folder.resolve(name + ".json")));
        LoadedModel graph = runtime.load(description.file(), Files.readAllBytes(folder.resolve(name + ".onnx")));
        LOADED.add(graph);
        DescriptorReader.checkAgainstGraph("model/" + name + ".json", description, graph.signature());
        return new DescribedModel(description, graph, 1);
    }

    static JsonNode reference(String name) throws Exception {
        return JSON.readTree(EXAMPLES.resolve("test/resources/reference/" + name).toFile());
    }

    static Image ctSmall() throws Exception {
        return new DicomReader().read(EXAMPLES.resolve("test/resources/reference/CT_small.dcm")).frame(0);
    }

    static void assertClose(double expected, double actual, String what) {
        double scale = Math.max(Math.abs(expected), 1.0);
        assertTrue(Math.abs(expected - actual) <= TOLERANCE * scale, what + ": expected " + expected + ", was "
                + actual);
    }

    @Test
    void classifierEqualsPythonFromTheDicomFile() throws Exception {
        OnnxImageClassifier classifier = new OnnxImageClassifier(described("phantom-classifier"));
        JsonNode reference = reference("CT_small-phantom-classifier.json");
        float[] logits = classifier.logits(ctSmall());
        for (int i = 0; i < logits.length; i++) {
            assertClose(reference.get("logits").get(i).asDouble(), logits[i], "logit " + i);
        }
        AlgorithmResult result = classifier.apply(ctSmall(), Parameters.none());
        Map<String, Double> measured = new HashMap<>();
        result.measurements().forEach(m -> measured.put(m.name(), m.value()));
        for (int i = 0; i < 3; i++) {
            String label = reference.get("classes").get(i).asText();
            assertClose(reference.get("probabilities").get(i).asDouble(), measured.get("probability " + label),
                    "probability of " + label);
        }
        assertEquals(3, result.findings().size());
        assertTrue(result.findings().get(0).measurements().get(0).value()
                >= result.findings().get(1).measurements().get(0).value(), "top classes come most likely first");
        assertTrue(classifier.descriptor().description().contains("DEMONSTRATION ONLY"));
        // the explanation: an occlusion map in the frame's geometry; hiding the bright object lowers the top class
        Image map = result.image();
        assertEquals(128, map.width());
        assertEquals(128, map.height());
        float[] drops = ((Pixels.Float32) map.pixels()).values();
        float largest = Float.NEGATIVE_INFINITY;
        for (float drop : drops) {
            largest = Math.max(largest, drop);
        }
        assertTrue(largest > 0, "some patch carries the decision: " + largest);
        assertEquals(java.util.Arrays.toString(drops), java.util.Arrays.toString(((Pixels.Float32) classifier.apply(
                ctSmall(), Parameters.none()).image().pixels()).values()), "deterministic");
        assertTrue(classifier.descriptor().description().contains(LOADED.get(LOADED.size() - 1).sha256()));
    }

    @Test
    void segmenterEqualsPythonAndReturnsAMaskInTheSourceGeometry() throws Exception {
        OnnxImageSegmenter segmenter = new OnnxImageSegmenter(described("phantom-segmenter"));
        JsonNode reference = reference("CT_small-phantom-segmenter.json");
        float[] scores = segmenter.scores(ctSmall()).values();
        assertEquals(reference.get("logits").size(), scores.length);
        for (int i = 0; i < scores.length; i++) {
            assertClose(reference.get("logits").get(i).asDouble(), scores[i], "score " + i);
        }
        Image source = ctSmall();
        AlgorithmResult result = segmenter.apply(source, Parameters.none());
        assertEquals(source.width(), result.image().width());
        assertEquals(source.height(), result.image().height());
        byte[] mask = ((Pixels.Gray8) result.image().pixels()).values();
        long objectPixels = 0;
        for (byte b : mask) {
            objectPixels += b == 1 ? 1 : 0;
        }
        assertEquals(reference.get("label_pixels_original_geometry").asLong(), objectPixels);
        double spacing = reference.get("pixel_spacing_mm").get(0).asDouble()
                * reference.get("pixel_spacing_mm").get(1).asDouble();
        Measurement area = result.measurements().stream().filter(m -> m.name().equals("area object")).findFirst()
                .orElseThrow();
        assertClose(objectPixels * spacing, area.value(), "area in mm2");
        assertEquals("mm2", area.unit());
    }

    @Test
    void tabularModelEqualsPythonAndExplainsEachInput() throws Exception {
        DescribedModel described = described("wdbc-logistic");
        OnnxTabularModel model = new OnnxTabularModel(described);
        JsonNode reference = reference("wdbc-logistic.json");
        var inputs = described.description().inputs();
        for (int row = 0; row < reference.get("rows").size(); row++) {
            Map<String, Double> values = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                values.put(inputs.get(i).name(), reference.get("rows").get(row).get(i).asDouble());
            }
            Prediction prediction = model.predict(new PredictionInput(values));
            assertClose(reference.get("probabilities").get(row).asDouble(), prediction.value(), "row " + row);
            assertEquals(30, prediction.contributions().size());
            // For a logistic model, replacing one input moves the log-odds by its coefficient times the change.
            for (int i = 0; i < inputs.size(); i++) {
                Contribution contribution = prediction.contributions().get(i);
                double middle = (inputs.get(i).minimum() + inputs.get(i).maximum()) / 2;
                double expected = reference.get("weights").get(i).asDouble()
                        * (contribution.inputValue() - (float) middle);
                assertTrue(Math.abs(expected - contribution.contribution()) <= 2e-3 * Math.max(1, Math.abs(expected)),
                        inputs.get(i).name() + ": " + expected + " vs " + contribution.contribution());
            }
        }
        assertEquals(0.9956, model.descriptor().validationMetrics().get("auc"), 1e-4);
        var missing = assertThrows(org.panacea.api.prediction.PredictionException.class,
                () -> model.predict(new PredictionInput(Map.of("mean_radius", 10.0))));
        assertTrue(missing.getMessage().startsWith("missing inputs: mean_texture"), missing.getMessage());
    }

    @Test
    void refusesImagesOutsideTheCardWithTheReason() throws Exception {
        OnnxImageClassifier classifier = new OnnxImageClassifier(described("phantom-classifier"));
        Path mr = Path.of(ExampleModelsTest.class.getResource("/models/MR_small.dcm").toURI());
        AlgorithmException modality = assertThrows(AlgorithmException.class,
                () -> classifier.apply(new DicomReader().read(mr).frame(0), Parameters.none()));
        assertEquals("image outside the applicability of onnx.phantom-classifier: modality 'MR', the model is for "
                + "[CT]", modality.getMessage());
        Image ct = ctSmall();
        var coarse = new Image(ct.width(), ct.height(), ct.pixels(), new org.panacea.api.imaging.ImageMetadata("CT",
                3.0, 3.0, 1, -1024, "HU", 40, 400, 16, ""));
        AlgorithmException spacing = assertThrows(AlgorithmException.class,
                () -> classifier.apply(coarse, Parameters.none()));
        assertTrue(spacing.getMessage().contains("pixel spacing 3.000 mm, the model is for 0.2 to 2.0 mm"),
                spacing.getMessage());
    }

    @Test
    void refusesDescriptorsThatDoNotMatchTheirGraph() throws Exception {
        Path folder = EXAMPLES.resolve("main/resources/model");
        String json = Files.readString(folder.resolve("phantom-classifier.json"));
        LoadedModel graph = runtime.load("phantom-classifier.onnx",
                Files.readAllBytes(folder.resolve("phantom-classifier.onnx")));
        LOADED.add(graph);
        ModelDescription wrongName = DescriptorReader.read("model/x.json",
                json.replace("\"name\": \"image\"", "\"name\": \"pixels\"").getBytes());
        var noInput = assertThrows(InvalidDescriptorException.class,
                () -> DescriptorReader.checkAgainstGraph("model/x.json", wrongName, graph.signature()));
        assertEquals("model/x.json: the graph has no input pixels; its inputs are [image]", noInput.getMessage());
        ModelDescription wrongSize = DescriptorReader.read("model/x.json",
                json.replace("\"width\": 64", "\"width\": 32").getBytes());
        var size = assertThrows(InvalidDescriptorException.class,
                () -> DescriptorReader.checkAgainstGraph("model/x.json", wrongSize, graph.signature()));
        assertTrue(size.getMessage().contains("with shape [1, 1, 64, 32] but the graph takes [1, 1, 64, 64]"),
                size.getMessage());
        ModelDescription fourLabels = DescriptorReader.read("model/x.json",
                json.replace("\"square\"", "\"square\", \"triangle\"").getBytes());
        assertThrows(InvalidDescriptorException.class,
                () -> DescriptorReader.checkAgainstGraph("model/x.json", fourLabels, graph.signature()));
        var malformed = assertThrows(InvalidDescriptorException.class,
                () -> DescriptorReader.read("model/x.json", "{\"id\": ".getBytes()));
        assertTrue(malformed.getMessage().startsWith("model/x.json is not a model descriptor"), malformed.getMessage());
        var unknownField = assertThrows(InvalidDescriptorException.class,
                () -> DescriptorReader.read("model/x.json", json.replace("\"task\"", "\"tsak\"").getBytes()));
        assertTrue(unknownField.getMessage().contains("tsak"), unknownField.getMessage());
        var badInterpolation = assertThrows(InvalidDescriptorException.class, () -> DescriptorReader.read(
                "model/x.json", json.replace("bilinear", "bicubic").getBytes()));
        assertTrue(badInterpolation.getMessage().contains("bilinear or nearest, was bicubic"),
                badInterpolation.getMessage());
    }
}

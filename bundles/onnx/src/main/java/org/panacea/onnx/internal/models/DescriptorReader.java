package org.panacea.onnx.internal.models;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.panacea.api.inference.ModelSignature;
import org.panacea.api.inference.TensorSpec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a model descriptor and checks it: every field a task needs, values in range, and the graph's real inputs
 * and outputs (names, element type, shapes) against what the descriptor promises, so that a vendor's mistake is
 * refused at install with a message instead of failing at the first run.
 */
public final class DescriptorReader {

    static final Set<String> TASKS = Set.of("classification", "segmentation", "tabular");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    private DescriptorReader() {
    }

    /** Parses and checks the descriptor's own content. */
    public static ModelDescription read(String path, byte[] json) throws InvalidDescriptorException {
        ModelDescription description;
        try {
            description = MAPPER.readValue(json, ModelDescription.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidDescriptorException(path + " is not a model descriptor: " + e.getOriginalMessage()
                    + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new InvalidDescriptorException(path + " could not be read: " + e.getMessage());
        }
        require(path, description.id(), "id");
        require(path, description.version(), "version");
        require(path, description.file(), "file");
        if (!TASKS.contains(description.task())) {
            throw new InvalidDescriptorException(path + ": task must be one of " + TASKS + ", was "
                    + description.task());
        }
        if (description.input() == null || description.input().name() == null) {
            throw new InvalidDescriptorException(path + ": input.name is missing");
        }
        if (description.output() == null || description.output().name() == null) {
            throw new InvalidDescriptorException(path + ": output.name is missing");
        }
        if (description.card() == null) {
            throw new InvalidDescriptorException(path + ": card is missing (intended use, training data, validation "
                    + "metrics, licence)");
        }
        if ("tabular".equals(description.task())) {
            if (description.inputs() == null || description.inputs().isEmpty()) {
                throw new InvalidDescriptorException(path + ": a tabular model lists its inputs");
            }
        } else {
            checkImage(path, description);
        }
        return description;
    }

    private static void checkImage(String path, ModelDescription description) throws InvalidDescriptorException {
        ModelDescription.Preprocessing pre = description.preprocessing();
        if (pre == null || pre.resample() == null || pre.normalise() == null) {
            throw new InvalidDescriptorException(path + ": an image model declares preprocessing.resample and "
                    + "preprocessing.normalise");
        }
        if (!Set.of("bilinear", "nearest").contains(pre.resample().interpolation())) {
            throw new InvalidDescriptorException(path + ": preprocessing.resample.interpolation must be bilinear or "
                    + "nearest, was " + pre.resample().interpolation());
        }
        if (pre.resample().width() < 1 || pre.resample().height() < 1 || pre.resample().width() > 4096
                || pre.resample().height() > 4096) {
            throw new InvalidDescriptorException(path + ": preprocessing.resample size must be 1 to 4096");
        }
        if (!(pre.normalise().std() > 0)) {
            throw new InvalidDescriptorException(path + ": preprocessing.normalise.std must be positive");
        }
        if (pre.window() != null && !(pre.window().width() > 0)) {
            throw new InvalidDescriptorException(path + ": preprocessing.window.width must be positive");
        }
        if (pre.rescale() != null && !Set.of("hounsfield", "none").contains(pre.rescale())) {
            throw new InvalidDescriptorException(path + ": preprocessing.rescale must be hounsfield or none");
        }
        if (pre.layout() != null && !"NCHW".equals(pre.layout())) {
            throw new InvalidDescriptorException(path + ": preprocessing.layout must be NCHW (one grey channel)");
        }
        if (description.applicability() == null) {
            throw new InvalidDescriptorException(path + ": an image model states its applicability");
        }
        List<String> labels = description.output().labels();
        if (labels == null || labels.size() < 2) {
            throw new InvalidDescriptorException(path + ": output.labels names at least two classes");
        }
    }

    private static void require(String path, String value, String field) throws InvalidDescriptorException {
        if (value == null || value.isBlank()) {
            throw new InvalidDescriptorException(path + ": " + field + " is missing");
        }
    }

    /** Checks the descriptor against the graph as ONNX Runtime reads it. */
    public static void checkAgainstGraph(String path, ModelDescription description, ModelSignature signature)
            throws InvalidDescriptorException {
        TensorSpec input = find(signature.inputs(), description.input().name(), path, "input");
        if (!"FLOAT".equals(input.elementType())) {
            throw new InvalidDescriptorException(path + ": graph input " + input.name() + " takes "
                    + input.elementType() + "; only FLOAT inputs are supported");
        }
        List<Long> expected = expectedInputShape(description);
        if (!fits(expected, input.shape())) {
            throw new InvalidDescriptorException(path + ": the descriptor feeds input " + input.name() + " with shape "
                    + expected + " but the graph takes " + input.shape());
        }
        if (signature.inputs().size() != 1) {
            throw new InvalidDescriptorException(path + ": the graph has " + signature.inputs().size()
                    + " inputs; a described model has exactly one");
        }
        TensorSpec output = find(signature.outputs(), description.output().name(), path, "output");
        List<Long> shape = output.shape();
        int labels = description.output().labels() == null ? 0 : description.output().labels().size();
        boolean ok = switch (description.task()) {
            case "classification" -> shape.size() == 2 && (shape.get(1) == labels || shape.get(1) < 0);
            case "segmentation" -> shape.size() == 4 && (shape.get(1) == labels || shape.get(1) < 0);
            default -> shape.stream().filter(d -> d != 1).count() <= 1;
        };
        if (!ok) {
            throw new InvalidDescriptorException(path + ": graph output " + output.name() + " has shape " + shape
                    + ", which does not fit a " + description.task() + " model with " + labels + " labels");
        }
    }

    static List<Long> expectedInputShape(ModelDescription description) {
        if ("tabular".equals(description.task())) {
            return List.of(1L, (long) description.inputs().size());
        }
        var resample = description.preprocessing().resample();
        return List.of(1L, 1L, (long) resample.height(), (long) resample.width());
    }

    private static boolean fits(List<Long> given, List<Long> declared) {
        if (given.size() != declared.size()) {
            return false;
        }
        for (int i = 0; i < given.size(); i++) {
            if (declared.get(i) >= 0 && !declared.get(i).equals(given.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static TensorSpec find(List<TensorSpec> specs, String name, String path, String what)
            throws InvalidDescriptorException {
        return specs.stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidDescriptorException(path + ": the graph has no " + what + " " + name
                        + "; its " + what + "s are " + specs.stream().map(TensorSpec::name).toList()));
    }
}

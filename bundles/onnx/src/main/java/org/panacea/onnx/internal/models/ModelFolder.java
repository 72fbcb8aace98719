package org.panacea.onnx.internal.models;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.panacea.api.inference.LoadedModel;
import org.panacea.api.inference.ModelLoadException;
import org.panacea.onnx.internal.runtime.OnnxConfig;
import org.panacea.onnx.internal.runtime.OnnxInferenceRuntime;

/**
 * A model-only plugin's files in a folder (a vendor's build output, {@code target/classes}), read outside OSGi exactly
 * as the platform reads them at install ({@link ModelPluginReader}): the same descriptor checks, the same ONNX Runtime
 * and the same services, on the runtime's default settings. The vendor test kit's {@code OnnxModelContract} runs on it,
 * so a bundle that passes the kit is not refused by the hospital's Panacea for its descriptors or graphs. Not thread
 * safe to open and close; the services it hands out are as thread safe as in the platform.
 */
public final class ModelFolder implements AutoCloseable {

    /** One checked model: its descriptor's path, what it says, its graph's SHA-256, and the service it is. */
    public record Model(String descriptor, ModelDescription description, String sha256, Object service) {
    }

    private final OnnxInferenceRuntime runtime;
    private final List<LoadedModel> graphs = new ArrayList<>();
    private final List<Model> models = new ArrayList<>();
    private final List<String> descriptorPaths = new ArrayList<>();

    private ModelFolder(OnnxInferenceRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Reads and checks every {@code model/*.json} under {@code root} with its graph.
     *
     * @throws InvalidDescriptorException as at install: the message names the file and what is wrong
     * @throws ModelLoadException         ONNX Runtime cannot read a graph (its reason)
     */
    public static ModelFolder open(Path root) throws IOException, InvalidDescriptorException, ModelLoadException {
        ModelFolder folder = new ModelFolder(new OnnxInferenceRuntime(defaults(OnnxConfig.class)));
        try {
            ModelPluginReader.Contents contents = contents(root);
            // in the order the reader takes them
            folder.descriptorPaths.addAll(contents.descriptors());
            List<DescribedModel> described = ModelPluginReader.read(contents, folder.runtime, 1, folder.graphs);
            for (int i = 0; i < described.size(); i++) {
                DescribedModel model = described.get(i);
                folder.models.add(new Model(folder.descriptorPaths.get(i), model.description(), model.graph().sha256(),
                        ModelPluginReader.service(model)));
            }
            return folder;
        } catch (IOException | InvalidDescriptorException | ModelLoadException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    public List<Model> models() {
        return List.copyOf(models);
    }

    /** Closes the graphs; the services handed out stop working. */
    @Override
    public void close() {
        graphs.forEach(LoadedModel::close);
        graphs.clear();
        runtime.stop();
    }

    private static ModelPluginReader.Contents contents(Path root) {
        return new ModelPluginReader.Contents() {
            @Override
            public List<String> descriptors() throws IOException {
                Path folder = root.resolve("model");
                if (!Files.isDirectory(folder)) {
                    return List.of();
                }
                try (Stream<Path> files = Files.list(folder)) {
                    return files.filter(file -> file.getFileName().toString().endsWith(".json"))
                            .map(file -> "model/" + file.getFileName()).sorted().toList();
                }
            }

            @Override
            public byte[] read(String path) throws IOException {
                Path file = root.resolve(path).normalize();
                return file.startsWith(root.normalize()) && Files.isRegularFile(file) ? Files.readAllBytes(file)
                        : null;
            }
        };
    }

    /** A configuration annotation holding its declared defaults: what Config Admin hands over with no file. */
    @SuppressWarnings("unchecked")
    static <A> A defaults(Class<A> type) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> "defaults of " + type.getName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getDefaultValue();
                });
    }
}

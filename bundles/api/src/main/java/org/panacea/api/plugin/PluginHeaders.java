package org.panacea.api.plugin;

/**
 * Manifest headers that mark a bundle as a Panacea plugin. A bundle carrying {@link #PLUGIN} is only allowed to
 * resolve when its JAR signature verifies against a trusted vendor certificate, and may import only the
 * {@code org.panacea.api.*} packages of the platform.
 */
public interface PluginHeaders {

    /**
     * Header whose presence makes a bundle a plugin; its value is the plugin kind, {@link #KIND_IMAGING},
     * {@link #KIND_PREDICTION} or {@link #KIND_ONNX}.
     */
    String PLUGIN = "Panacea-Plugin";

    /** Plugin kind of bundles that register {@code ImagingAlgorithm} services. */
    String KIND_IMAGING = "imaging";

    /** Plugin kind of bundles that register {@code PredictionModel} services. */
    String KIND_PREDICTION = "prediction";

    /**
     * Plugin kind of model-only bundles: no code, ONNX graphs under {@code model/} each described by a
     * {@code model/*.json} descriptor; the {@code panacea-onnx} feature registers their algorithms and models.
     *
     * @since 1.1
     */
    String KIND_ONNX = "onnx";

    /**
     * Service property carrying the SHA-256 (lower-case hexadecimal) of the model file behind a registered algorithm
     * or model, when there is one; runs are audited with it.
     *
     * @since 1.1
     */
    String SERVICE_MODEL_SHA256 = "panacea.model.sha256";

    /** Service property carrying the {@link PluginDescriptor#id()} of a registered algorithm or model. */
    String SERVICE_PLUGIN_ID = "panacea.plugin.id";

    /** Service property carrying the {@link PluginDescriptor#version()} of a registered algorithm or model. */
    String SERVICE_PLUGIN_VERSION = "panacea.plugin.version";
}

package org.panacea.api.plugin;

/**
 * Manifest headers that mark a bundle as a Panacea plugin. A bundle carrying {@link #PLUGIN} is only allowed to
 * resolve when its JAR signature verifies against a trusted vendor certificate, and may import only the
 * {@code org.panacea.api.*} packages of the platform.
 */
public interface PluginHeaders {

    /** Header whose presence makes a bundle a plugin; its value is the plugin kind, {@link #KIND_IMAGING} or {@link #KIND_PREDICTION}. */
    String PLUGIN = "Panacea-Plugin";

    /** Plugin kind of bundles that register {@code ImagingAlgorithm} services. */
    String KIND_IMAGING = "imaging";

    /** Plugin kind of bundles that register {@code PredictionModel} services. */
    String KIND_PREDICTION = "prediction";

    /** Service property carrying the {@link PluginDescriptor#id()} of a registered algorithm or model. */
    String SERVICE_PLUGIN_ID = "panacea.plugin.id";

    /** Service property carrying the {@link PluginDescriptor#version()} of a registered algorithm or model. */
    String SERVICE_PLUGIN_VERSION = "panacea.plugin.version";
}

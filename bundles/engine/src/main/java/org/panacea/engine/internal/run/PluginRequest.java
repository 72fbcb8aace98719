package org.panacea.engine.internal.run;

/** What every request to run a plugin names, whatever the kind: which plugin, which versions, how long at most. */
public interface PluginRequest {

    /** The plugin id. */
    String pluginId();

    /** OSGi version range ({@code [1.0,2.0)}), or {@code null} for the highest version. */
    String versionRange();

    /** A lower time limit than the engine's, or {@code null} for the engine's. */
    Integer timeoutSeconds();
}

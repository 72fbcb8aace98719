package org.panacea.engine.internal.imaging;

import java.util.Map;
import java.util.Objects;

import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.run.PluginRequest;

/**
 * A request to run an imaging algorithm on one frame of an archived instance.
 *
 * @param algorithmId    the plugin id
 * @param versionRange   OSGi version range ({@code [1.0,2.0)}), or {@code null} for the highest version
 * @param instanceUid    SOP Instance UID of the input
 * @param frame          frame number, from 0
 * @param parameters     raw parameter values by name; {@code null} for none
 * @param source         how to read the raw values
 * @param timeoutSeconds a lower time limit than the engine's, or {@code null} for the engine's
 */
public record AlgorithmRequest(String algorithmId, String versionRange, String instanceUid, int frame,
        Map<String, ?> parameters, RawSource source, Integer timeoutSeconds) implements PluginRequest {

    public AlgorithmRequest {
        Objects.requireNonNull(algorithmId, "algorithmId");
        Objects.requireNonNull(source, "source");
        parameters = parameters == null ? Map.of() : parameters;
    }

    @Override
    public String pluginId() {
        return algorithmId;
    }
}

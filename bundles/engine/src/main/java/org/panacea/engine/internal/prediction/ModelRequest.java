package org.panacea.engine.internal.prediction;

import java.util.Map;
import java.util.Objects;

import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.run.PluginRequest;

/**
 * A request for one model's prediction about one patient.
 *
 * @param modelId        the plugin id
 * @param versionRange   OSGi version range, or {@code null} for the highest version
 * @param patientId      the patient's id in the record ({@code Patient/} prefix allowed)
 * @param inputs         input values given explicitly, by name; they win over the record's; {@code null} for none
 * @param source         how to read the raw values
 * @param timeoutSeconds a lower time limit than the engine's, or {@code null} for the engine's
 */
public record ModelRequest(String modelId, String versionRange, String patientId, Map<String, ?> inputs,
        RawSource source, Integer timeoutSeconds) implements PluginRequest {

    public ModelRequest {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(source, "source");
        inputs = inputs == null ? Map.of() : inputs;
    }

    @Override
    public String pluginId() {
        return modelId;
    }
}

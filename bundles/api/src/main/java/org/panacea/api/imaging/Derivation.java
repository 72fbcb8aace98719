package org.panacea.api.imaging;

import java.util.List;
import java.util.Objects;

/**
 * What made a derived image: the algorithm (id, version, name), the parameters it ran with, the SHA-256 of the
 * plugin's bundle when known, and what it measured and found. The archive writes all of it into the derived DICOM
 * instance, which names its source besides.
 *
 * @param algorithmId      the plugin id ({@code imaging.otsu-threshold})
 * @param algorithmVersion its version, {@code major.minor.micro}
 * @param algorithmName    its human name ({@code Otsu threshold}), or empty
 * @param parameters       the parameters as {@code name=value} pairs joined by {@code ", "}, or empty
 * @param pluginSha256     lower-case hex SHA-256 of the plugin bundle, or empty when not known
 * @param sourceFrame      the frame of the source the algorithm ran on, from 0
 * @param measurements     numbers about the whole image
 * @param findings         things found in it
 * @since 1.4
 */
public record Derivation(String algorithmId, String algorithmVersion, String algorithmName, String parameters,
        String pluginSha256, int sourceFrame, List<Measurement> measurements, List<Finding> findings) {

    public Derivation {
        Objects.requireNonNull(algorithmId, "algorithmId");
        Objects.requireNonNull(algorithmVersion, "algorithmVersion");
        algorithmName = Objects.requireNonNullElse(algorithmName, "");
        parameters = Objects.requireNonNullElse(parameters, "");
        pluginSha256 = Objects.requireNonNullElse(pluginSha256, "");
        if (sourceFrame < 0) {
            throw new IllegalArgumentException("source frame must be 0 or more, was " + sourceFrame);
        }
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** {@code imaging.gaussian-blur 1.1.0: border=reflect, sigma=2}, as series descriptions and the audit show it. */
    public String describe() {
        return algorithmId + " " + algorithmVersion + (parameters.isEmpty() ? "" : ": " + parameters);
    }
}

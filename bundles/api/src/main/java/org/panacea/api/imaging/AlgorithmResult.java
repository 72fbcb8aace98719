package org.panacea.api.imaging;

import java.util.List;

/**
 * What an algorithm returns: an output image, numbers about the whole image, and findings, any of which may be
 * absent.
 *
 * @param image        the derived image, or {@code null} when the algorithm only measures
 * @param measurements numbers about the whole image
 * @param findings     things found in it
 */
public record AlgorithmResult(Image image, List<Measurement> measurements, List<Finding> findings) {

    public AlgorithmResult {
        measurements = List.copyOf(measurements);
        findings = List.copyOf(findings);
    }

    /** A result that is just an image. */
    public static AlgorithmResult of(Image image) {
        return new AlgorithmResult(image, List.of(), List.of());
    }
}

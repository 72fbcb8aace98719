package org.panacea.onnx.internal.models;

import java.util.List;
import java.util.Locale;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.ImageMetadata;

/**
 * Refuses images a model was not made for, with the reason: another modality, another body part (DICOM's Body Part
 * Examined, compared without regard to case; {@code ANY} in the card accepts every image), or a pixel spacing outside
 * the range stated in its card. An image that does not state what the card names (no Body Part Examined, no spacing)
 * is refused too: a model must not guess that an image is within its use.
 */
final class ApplicabilityCheck {

    private ApplicabilityCheck() {
    }

    static void check(String modelId, ModelDescription.Applicability applicability, ImageMetadata metadata)
            throws AlgorithmException {
        if (applicability.modalities() != null && !applicability.modalities().isEmpty()
                && !applicability.modalities().contains(metadata.modality())) {
            throw new AlgorithmException("image outside the applicability of " + modelId + ": modality '"
                    + metadata.modality() + "', the model is for " + applicability.modalities());
        }
        checkBodyPart(modelId, applicability.bodyParts(), metadata.bodyPartExamined());
        Double min = applicability.minPixelSpacingMm();
        Double max = applicability.maxPixelSpacingMm();
        if (min == null && max == null) {
            return;
        }
        double[] spacings = {metadata.rowSpacing(), metadata.columnSpacing()};
        for (double spacing : spacings) {
            if (Double.isNaN(spacing)) {
                throw new AlgorithmException("image outside the applicability of " + modelId
                        + ": it has no pixel spacing, the model is for " + range(min, max));
            }
            if ((min != null && spacing < min) || (max != null && spacing > max)) {
                throw new AlgorithmException("image outside the applicability of " + modelId + ": pixel spacing "
                        + String.format(Locale.ROOT, "%.3f", spacing) + " mm, the model is for " + range(min, max));
            }
        }
    }

    /** The body parts of a card meaning "every image": none stated, or {@code ANY}. */
    static boolean anyBodyPart(List<String> bodyParts) {
        return bodyParts == null || bodyParts.isEmpty()
                || bodyParts.stream().anyMatch(part -> "ANY".equalsIgnoreCase(part.strip()));
    }

    private static void checkBodyPart(String modelId, List<String> bodyParts, String examined)
            throws AlgorithmException {
        if (anyBodyPart(bodyParts)) {
            return;
        }
        if (examined.isEmpty()) {
            throw new AlgorithmException("image outside the applicability of " + modelId + ": it states no Body Part "
                    + "Examined, the model is for " + bodyParts);
        }
        if (bodyParts.stream().noneMatch(part -> part.strip().equalsIgnoreCase(examined))) {
            throw new AlgorithmException("image outside the applicability of " + modelId + ": body part '" + examined
                    + "', the model is for " + bodyParts);
        }
    }

    private static String range(Double min, Double max) {
        return (min == null ? "any" : min) + " to " + (max == null ? "any" : max) + " mm";
    }
}

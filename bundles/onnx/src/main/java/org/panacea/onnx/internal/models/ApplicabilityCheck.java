package org.panacea.onnx.internal.models;

import java.util.Locale;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.ImageMetadata;

/**
 * Refuses images a model was not made for, with the reason: another modality, or a pixel spacing outside the range
 * stated in its card (an image without spacing is refused when the card states a range). Body parts are shown in the
 * card but not checked: the frames the engine hands over do not carry DICOM's Body Part Examined.
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

    private static String range(Double min, Double max) {
        return (min == null ? "any" : min) + " to " + (max == null ? "any" : max) + " mm";
    }
}

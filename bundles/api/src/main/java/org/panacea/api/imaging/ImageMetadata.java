package org.panacea.api.imaging;

import java.util.Objects;

/**
 * What a reader of an image needs beyond its samples. Algorithms copy their input's metadata to their output,
 * changing only what they change (a filter that returns real values resets the rescale, for instance).
 *
 * @param modality          DICOM modality ({@code CT}, {@code MR}, ...), or empty
 * @param rowSpacing        distance between rows in mm, {@code NaN} when unknown
 * @param columnSpacing     distance between columns in mm, {@code NaN} when unknown
 * @param rescaleSlope      DICOM rescale slope: {@code value = stored * slope + intercept}
 * @param rescaleIntercept  DICOM rescale intercept
 * @param rescaleUnit       unit of rescaled values ({@code HU}), or empty
 * @param windowCenter      default display window centre in rescaled units, {@code NaN} when none
 * @param windowWidth       default display window width in rescaled units, {@code NaN} when none
 * @param bitsStored        significant bits per stored sample
 * @param sourceInstanceUid the SOP Instance UID of the image this one came from, or empty
 */
public record ImageMetadata(String modality, double rowSpacing, double columnSpacing, double rescaleSlope,
        double rescaleIntercept, String rescaleUnit, double windowCenter, double windowWidth, int bitsStored,
        String sourceInstanceUid) {

    public ImageMetadata {
        modality = Objects.requireNonNullElse(modality, "");
        rescaleUnit = Objects.requireNonNullElse(rescaleUnit, "");
        sourceInstanceUid = Objects.requireNonNullElse(sourceInstanceUid, "");
        if (rescaleSlope == 0 || !Double.isFinite(rescaleSlope)) {
            throw new IllegalArgumentException("rescale slope must be finite and non-zero, was " + rescaleSlope);
        }
        if (bitsStored < 1 || bitsStored > 32) {
            throw new IllegalArgumentException("bits stored must be 1 to 32, was " + bitsStored);
        }
    }

    /** Metadata of an image of which nothing is known but its sample depth. */
    public static ImageMetadata unknown(int bitsStored) {
        return new ImageMetadata("", Double.NaN, Double.NaN, 1, 0, "", Double.NaN, Double.NaN, bitsStored, "");
    }

    /** The same metadata with another rescale (for outputs in other units). */
    public ImageMetadata withRescale(double slope, double intercept, String unit) {
        return new ImageMetadata(modality, rowSpacing, columnSpacing, slope, intercept, unit, windowCenter,
                windowWidth, bitsStored, sourceInstanceUid);
    }
}

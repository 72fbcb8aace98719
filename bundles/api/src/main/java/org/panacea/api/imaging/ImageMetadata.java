package org.panacea.api.imaging;

import java.util.Locale;
import java.util.Objects;

/**
 * What a reader of an image needs beyond its samples. Algorithms copy their input's metadata to their output,
 * changing only what they change (a filter that returns real values resets the rescale, for instance).
 *
 * @param modality                  DICOM modality ({@code CT}, {@code MR}, ...), or empty
 * @param rowSpacing                distance between rows in mm, {@code NaN} when unknown
 * @param columnSpacing             distance between columns in mm, {@code NaN} when unknown
 * @param rescaleSlope              DICOM rescale slope: {@code value = stored * slope + intercept}
 * @param rescaleIntercept          DICOM rescale intercept
 * @param rescaleUnit               unit of rescaled values ({@code HU}), or empty
 * @param windowCenter              default display window centre in rescaled units, {@code NaN} when none
 * @param windowWidth               default display window width in rescaled units, {@code NaN} when none
 * @param bitsStored                significant bits per stored sample
 * @param sourceInstanceUid         the SOP Instance UID of the image this one came from, or empty
 * @param photometricInterpretation how the samples display, as DICOM's Photometric Interpretation (0028,0004) says:
 *                                  {@link #MONOCHROME2} (higher values display brighter; the default) or
 *                                  {@link #MONOCHROME1} (higher values display darker, as in many radiographs).
 *                                  The window applies to the values either way; only the display is inverted.
 *                                  Since 1.2.
 * @param bodyPartExamined          the part of the body the image shows, as DICOM's Body Part Examined (0018,0015)
 *                                  states it ({@code CHEST}, {@code HEAD}, ...; upper case, as the defined terms are),
 *                                  or empty when the source does not say. Since 1.5.
 */
public record ImageMetadata(String modality, double rowSpacing, double columnSpacing, double rescaleSlope,
        double rescaleIntercept, String rescaleUnit, double windowCenter, double windowWidth, int bitsStored,
        String sourceInstanceUid, String photometricInterpretation, String bodyPartExamined) {

    /** Higher values display darker. */
    public static final String MONOCHROME1 = "MONOCHROME1";
    /** Higher values display brighter. */
    public static final String MONOCHROME2 = "MONOCHROME2";

    public ImageMetadata {
        modality = Objects.requireNonNullElse(modality, "");
        rescaleUnit = Objects.requireNonNullElse(rescaleUnit, "");
        sourceInstanceUid = Objects.requireNonNullElse(sourceInstanceUid, "");
        bodyPartExamined = Objects.requireNonNullElse(bodyPartExamined, "").strip().toUpperCase(Locale.ROOT);
        if (photometricInterpretation == null || photometricInterpretation.isEmpty()) {
            photometricInterpretation = MONOCHROME2;
        }
        if (!MONOCHROME1.equals(photometricInterpretation) && !MONOCHROME2.equals(photometricInterpretation)) {
            throw new IllegalArgumentException("photometric interpretation must be MONOCHROME1 or MONOCHROME2, was "
                    + photometricInterpretation);
        }
        if (rescaleSlope == 0 || !Double.isFinite(rescaleSlope)) {
            throw new IllegalArgumentException("rescale slope must be finite and non-zero, was " + rescaleSlope);
        }
        if (bitsStored < 1 || bitsStored > 32) {
            throw new IllegalArgumentException("bits stored must be 1 to 32, was " + bitsStored);
        }
    }

    /** Metadata of an image whose body part is not known. */
    public ImageMetadata(String modality, double rowSpacing, double columnSpacing, double rescaleSlope,
            double rescaleIntercept, String rescaleUnit, double windowCenter, double windowWidth, int bitsStored,
            String sourceInstanceUid, String photometricInterpretation) {
        this(modality, rowSpacing, columnSpacing, rescaleSlope, rescaleIntercept, rescaleUnit, windowCenter,
                windowWidth, bitsStored, sourceInstanceUid, photometricInterpretation, "");
    }

    /** Metadata whose samples display as {@link #MONOCHROME2} (higher values brighter). */
    public ImageMetadata(String modality, double rowSpacing, double columnSpacing, double rescaleSlope,
            double rescaleIntercept, String rescaleUnit, double windowCenter, double windowWidth, int bitsStored,
            String sourceInstanceUid) {
        this(modality, rowSpacing, columnSpacing, rescaleSlope, rescaleIntercept, rescaleUnit, windowCenter,
                windowWidth, bitsStored, sourceInstanceUid, MONOCHROME2);
    }

    /** Metadata of an image of which nothing is known but its sample depth. */
    public static ImageMetadata unknown(int bitsStored) {
        return new ImageMetadata("", Double.NaN, Double.NaN, 1, 0, "", Double.NaN, Double.NaN, bitsStored, "");
    }

    /** The same metadata with another rescale (for outputs in other units). */
    public ImageMetadata withRescale(double slope, double intercept, String unit) {
        return new ImageMetadata(modality, rowSpacing, columnSpacing, slope, intercept, unit, windowCenter,
                windowWidth, bitsStored, sourceInstanceUid, photometricInterpretation, bodyPartExamined);
    }

    /**
     * The same metadata with another photometric interpretation ({@link #MONOCHROME2} for an output that is already
     * display values).
     *
     * @since 1.2
     */
    public ImageMetadata withPhotometricInterpretation(String interpretation) {
        return new ImageMetadata(modality, rowSpacing, columnSpacing, rescaleSlope, rescaleIntercept, rescaleUnit,
                windowCenter, windowWidth, bitsStored, sourceInstanceUid, interpretation, bodyPartExamined);
    }

    /**
     * The same metadata with another body part ({@code null} or empty: not known).
     *
     * @since 1.5
     */
    public ImageMetadata withBodyPartExamined(String bodyPart) {
        return new ImageMetadata(modality, rowSpacing, columnSpacing, rescaleSlope, rescaleIntercept, rescaleUnit,
                windowCenter, windowWidth, bitsStored, sourceInstanceUid, photometricInterpretation, bodyPart);
    }

    /**
     * Whether higher values display darker ({@link #MONOCHROME1}).
     *
     * @since 1.2
     */
    public boolean displaysInverted() {
        return MONOCHROME1.equals(photometricInterpretation);
    }
}

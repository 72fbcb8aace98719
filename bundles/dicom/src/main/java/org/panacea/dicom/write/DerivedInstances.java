package org.panacea.dicom.write;

import java.time.ZonedDateTime;
import java.util.Objects;

import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * An algorithm's output image as a DICOM instance that references its source: a Segmentation (SEG, PS3.3 A.51) for a
 * mask, a Parametric Map (PS3.3 A.75) for any other image. Both repeat the source's patient and study, join its study
 * in a new series, reference the source instance (and frame) in the Referenced Series and Source Image sequences, share
 * its frame of reference when the output lies on the source's pixel grid, and name the algorithm, its version,
 * parameters and, when known, its plugin's SHA-256; measurements and findings go into Image Comments.
 * <p>
 * An image is a <b>mask</b> when its samples are 8-bit, unscaled (slope 1, intercept 0, no unit) and take at most one
 * value besides 0, as the threshold, Otsu, region-growing and edge algorithms return (0/255): it becomes a BINARY
 * segmentation of one segment, 1 bit per pixel. Every other image becomes a Parametric Map: {@code Float32} samples as
 * Float Pixel Data (7FE0,0008), bit for bit; 8- and 16-bit samples as 16-bit integer Pixel Data; the output's rescale
 * and unit as the Real World Value Mapping (slope, intercept, UCUM unit).
 */
public final class DerivedInstances {

    /** Segmentation Storage. */
    public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    /** Parametric Map Storage. */
    public static final String PARAMETRIC_MAP_STORAGE = "1.2.840.10008.5.1.4.1.1.30";

    /** Which object an output becomes. */
    public enum Kind {
        SEGMENTATION, PARAMETRIC_MAP
    }

    /**
     * The device that writes the instance (Enhanced General Equipment module).
     *
     * @param deviceSerialNumber the installation's name (Device Serial Number, at most 64 characters)
     * @param softwareVersion    Panacea's version (Software Versions, first value)
     */
    public record Equipment(String deviceSerialNumber, String softwareVersion) {
        public Equipment {
            Objects.requireNonNull(deviceSerialNumber, "deviceSerialNumber");
            Objects.requireNonNull(softwareVersion, "softwareVersion");
        }
    }

    /**
     * A written instance.
     *
     * @param kind              segmentation or parametric map
     * @param sopClassUid       its SOP Class UID
     * @param sopInstanceUid    its new SOP Instance UID
     * @param seriesInstanceUid its new series
     * @param part10            the DICOM Part 10 file, explicit VR little endian
     */
    public record Written(Kind kind, String sopClassUid, String sopInstanceUid, String seriesInstanceUid,
            byte[] part10) {
    }

    private DerivedInstances() {
    }

    /** Whether {@code image} is written as a segmentation or as a parametric map (see the class comment). */
    public static Kind kindOf(Image image) {
        ImageMetadata meta = image.metadata();
        if (!(image.pixels() instanceof Pixels.Gray8 gray) || meta.rescaleSlope() != 1 || meta.rescaleIntercept() != 0
                || !meta.rescaleUnit().isEmpty()) {
            return Kind.PARAMETRIC_MAP;
        }
        int foreground = 0;
        for (byte sample : gray.values()) {
            if (sample != 0) {
                if (foreground != 0 && sample != foreground) {
                    return Kind.PARAMETRIC_MAP;
                }
                foreground = sample;
            }
        }
        return Kind.SEGMENTATION;
    }

    /**
     * Writes {@code image}, made from {@code source} as {@code derivation} says, as a new instance in a new series.
     *
     * @param created when it was made: content, series and instance creation date and time
     * @throws IllegalArgumentException when the image cannot be such an instance (larger than 65535 rows or columns)
     */
    public static Written write(SourceImage source, Image image, Derivation derivation, Equipment equipment,
            ZonedDateTime created) {
        if (image.width() > 0xFFFF || image.height() > 0xFFFF) {
            throw new IllegalArgumentException("a DICOM image has at most 65535 rows and columns; this one is "
                    + image.width() + "x" + image.height());
        }
        Kind kind = kindOf(image);
        String sopClass = kind == Kind.SEGMENTATION ? SEGMENTATION_STORAGE : PARAMETRIC_MAP_STORAGE;
        DerivedModules modules = new DerivedModules(source, image, derivation, equipment, created, sopClass);
        DataSet dataset = kind == Kind.SEGMENTATION ? SegmentationObject.dataset(modules, image)
                : ParametricMapObject.dataset(modules, image);
        return new Written(kind, sopClass, modules.instanceUid(), modules.seriesUid(),
                Part10.file(sopClass, modules.instanceUid(), dataset));
    }
}

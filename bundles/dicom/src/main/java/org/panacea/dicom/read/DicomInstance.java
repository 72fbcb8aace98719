package org.panacea.dicom.read;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.imaging.ValueWarning;

/**
 * One DICOM image as read from a Part 10 file: who, which study and series, which instance, how its pixels are
 * stored, and its frames. Texts are without padding and empty when absent; dates and numbers are {@code null} when
 * absent.
 *
 * @param transferSyntaxUid the transfer syntax the file was encoded in
 * @param patient           patient module
 * @param study             general study module
 * @param series            general series module
 * @param instance          SOP common and general image modules
 * @param image             image pixel module, rescale, window and spacing
 * @param frames            the frames, top-left first, row-major; see {@link ImageAttributes} for their sample type
 * @param plane             where the image lies in the patient (image plane and frame of reference modules)
 * @param warnings          values stored as received that break their VR's rules (read leniently; empty when read
 *                          strictly, which refuses them); the attributes above hold their safe readings
 */
public record DicomInstance(String transferSyntaxUid, Patient patient, Study study, Series series, Instance instance,
        ImageAttributes image, List<Pixels> frames, ImagePlane plane, List<ValueWarning> warnings) {

    public DicomInstance {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(plane, "plane");
        frames = List.copyOf(frames);
        warnings = List.copyOf(warnings);
    }

    /** Without plane and warnings (as versions before 1.2 made it). */
    public DicomInstance(String transferSyntaxUid, Patient patient, Study study, Series series, Instance instance,
            ImageAttributes image, List<Pixels> frames) {
        this(transferSyntaxUid, patient, study, series, instance, image, frames, ImagePlane.UNKNOWN, List.of());
    }

    /**
     * Where the image lies (PS3.3 C.7.6.2, C.7.4.1): what viewers need to sort slices and rebuild volumes. Arrays
     * are empty and numbers {@code NaN} when the file does not say; for enhanced multi-frame images the orientation
     * and thickness come from the shared functional groups (per-frame positions are not read).
     *
     * @param position             Image Position (Patient) (0020,0032): x, y, z of the first voxel, mm
     * @param orientation          Image Orientation (Patient) (0020,0037): row then column direction cosines
     * @param sliceThickness       Slice Thickness (0018,0050), mm
     * @param frameOfReferenceUid  Frame of Reference UID (0020,0052), empty when absent
     * @since 1.2
     */
    public record ImagePlane(double[] position, double[] orientation, double sliceThickness,
            String frameOfReferenceUid) {

        /** Nothing known. */
        public static final ImagePlane UNKNOWN = new ImagePlane(new double[0], new double[0], Double.NaN, "");

        public ImagePlane {
            position = position.clone();
            orientation = orientation.clone();
            Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
        }

        @Override
        public double[] position() {
            return position.clone();
        }

        @Override
        public double[] orientation() {
            return orientation.clone();
        }
    }

    /**
     * @param name      Patient's Name (0010,0010), components separated by {@code ^} as stored
     * @param id        Patient ID (0010,0020)
     * @param birthDate Patient's Birth Date (0010,0030)
     * @param sex       Patient's Sex (0010,0040): {@code M}, {@code F}, {@code O} or empty (also when the file's
     *                  value was invalid and read leniently: see {@link DicomInstance#warnings()})
     */
    public record Patient(String name, String id, LocalDate birthDate, String sex) {
    }

    /**
     * @param instanceUid     Study Instance UID (0020,000D)
     * @param date            Study Date (0008,0020)
     * @param description     Study Description (0008,1030)
     * @param accessionNumber Accession Number (0008,0050)
     */
    public record Study(String instanceUid, LocalDate date, String description, String accessionNumber) {
    }

    /**
     * @param instanceUid Series Instance UID (0020,000E)
     * @param number      Series Number (0020,0011)
     * @param modality    Modality (0008,0060)
     * @param description Series Description (0008,103E)
     * @param bodyPart    Body Part Examined (0018,0015), empty when absent (since 1.3)
     */
    public record Series(String instanceUid, Integer number, String modality, String description, String bodyPart) {

        /** A series whose body part is not stated. */
        public Series(String instanceUid, Integer number, String modality, String description) {
            this(instanceUid, number, modality, description, "");
        }
    }

    /**
     * @param sopClassUid    SOP Class UID (0008,0016)
     * @param sopInstanceUid SOP Instance UID (0008,0018)
     * @param number         Instance Number (0020,0013)
     */
    public record Instance(String sopClassUid, String sopInstanceUid, Integer number) {
    }

    /**
     * The stored layout as the file declares it, and how to read values off the frames. Frames are
     * {@code Pixels.Gray8} for 1-bit (values 0 and 1) and unsigned 8-bit samples, {@code Pixels.Gray16} for 16-bit
     * and signed 8-bit samples, {@code Pixels.Float32} for 32-bit samples (exact up to 2<sup>24</sup>), and grey
     * (BT.601 luma, {@code Gray8} or unsigned {@code Gray16}) for RGB and YBR_FULL colour images. MONOCHROME1
     * samples are kept as stored: higher values display darker.
     *
     * @param rows                      Rows (0028,0010)
     * @param columns                   Columns (0028,0011)
     * @param samplesPerPixel           Samples per Pixel (0028,0002) as stored (3 for colour converted to grey)
     * @param photometricInterpretation Photometric Interpretation (0028,0004) as stored
     * @param bitsAllocated             Bits Allocated (0028,0100)
     * @param bitsStored                Bits Stored (0028,0101)
     * @param highBit                   High Bit (0028,0102)
     * @param pixelRepresentation       Pixel Representation (0028,0103): 0 unsigned, 1 two's complement
     * @param rescaleSlope              Rescale Slope (0028,1053), else that of the shared functional groups, else
     *                                  for RT Dose the Dose Grid Scaling (3004,000E), else 1
     * @param rescaleIntercept          Rescale Intercept (0028,1052) from the same place, else 0
     * @param rescaleUnit               unit of rescaled values: Rescale Type (0028,1054) ({@code US}, unspecified,
     *                                  gives empty), {@code HU} for CT without one, {@code Gy} or
     *                                  {@code relative} from Dose Units (3004,0002) for RT Dose, else empty
     * @param windowCenter              first Window Center (0028,1050), else the shared functional groups', in
     *                                  rescaled units; {@code NaN} when none
     * @param windowWidth               first Window Width (0028,1051), likewise; {@code NaN} when none
     * @param rowSpacing                Pixel Spacing (0028,0030), first value: between rows, mm; else the shared
     *                                  functional groups'; {@code NaN} when none
     * @param columnSpacing             Pixel Spacing, second value: between columns, mm; {@code NaN} when none
     * @param numberOfFrames            Number of Frames (0028,0008), 1 when absent
     */
    public record ImageAttributes(int rows, int columns, int samplesPerPixel, String photometricInterpretation,
            int bitsAllocated, int bitsStored, int highBit, int pixelRepresentation, double rescaleSlope,
            double rescaleIntercept, String rescaleUnit, double windowCenter, double windowWidth, double rowSpacing,
            double columnSpacing, int numberOfFrames) {
    }

    /**
     * What Panacea's imaging algorithms need to know of every frame. The photometric interpretation is the file's
     * MONOCHROME1, else MONOCHROME2 (colour images are converted to luma); the body part is the series'.
     */
    public ImageMetadata metadata() {
        return new ImageMetadata(series.modality(), image.rowSpacing(), image.columnSpacing(), image.rescaleSlope(),
                image.rescaleIntercept(), image.rescaleUnit(), image.windowCenter(), image.windowWidth(),
                image.bitsStored(), instance.sopInstanceUid(),
                ImageMetadata.MONOCHROME1.equals(image.photometricInterpretation()) ? ImageMetadata.MONOCHROME1
                        : ImageMetadata.MONOCHROME2, series.bodyPart());
    }

    /** Frame {@code index} (from 0) as an image for Panacea's imaging algorithms. */
    public Image frame(int index) {
        return new Image(image.columns(), image.rows(), frames.get(index), metadata());
    }
}

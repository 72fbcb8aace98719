package org.panacea.dicom.write;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.panacea.dicom.read.CopiedInstance;
import org.panacea.dicom.read.DicomInstance;

/**
 * The image an algorithm ran on, as a derived instance must repeat and reference it: its UIDs and SOP class, the
 * frame used, and the patient, study, frame of reference and plane attributes copied from it as stored.
 *
 * @param instance the source as the reader reads it
 * @param frame    the frame the algorithm ran on, from 0
 * @param copied   the values of {@link #COPIED} the source holds, as stored
 */
public record SourceImage(DicomInstance instance, int frame, Map<Integer, byte[]> copied) {

    /**
     * The source's top-level elements a derived instance repeats: Specific Character Set, the patient and study
     * modules, the frame of reference, plane position and orientation, pixel spacing and slice thickness. Ask the
     * reader to copy these ({@code DicomReader.read(stream, length, SourceImage.COPIED)}).
     */
    public static final Set<Integer> COPIED = Set.of(Tag.SPECIFIC_CHARACTER_SET, Tag.PATIENT_NAME, Tag.PATIENT_ID,
            Tag.PATIENT_BIRTH_DATE, Tag.PATIENT_SEX, Tag.STUDY_DATE, Tag.STUDY_TIME, Tag.REFERRING_PHYSICIAN_NAME,
            Tag.STUDY_ID, Tag.ACCESSION_NUMBER, Tag.STUDY_DESCRIPTION, Tag.FRAME_OF_REFERENCE_UID,
            Tag.POSITION_REFERENCE_INDICATOR, Tag.IMAGE_POSITION_PATIENT, Tag.IMAGE_ORIENTATION_PATIENT,
            Tag.SLICE_THICKNESS, Tag.BODY_PART_EXAMINED);

    public SourceImage {
        Objects.requireNonNull(instance, "instance");
        copied = Map.copyOf(copied);
        if (frame < 0 || frame >= instance.frames().size()) {
            throw new IllegalArgumentException("frame " + frame + " does not exist: the source has "
                    + instance.frames().size() + " frame(s), numbered from 0");
        }
    }

    /** The source read with {@link #COPIED} copied, and the frame used. */
    public static SourceImage of(CopiedInstance read, int frame) {
        return new SourceImage(read.instance(), frame, read.copied());
    }

    /** The stored value of a copied element, or {@code null}. */
    byte[] value(int tag) {
        return copied.get(tag);
    }

    /** Whether the source holds a non-empty value of {@code tag}. */
    boolean has(int tag) {
        byte[] value = copied.get(tag);
        if (value == null) {
            return false;
        }
        for (byte b : value) {
            if (b != ' ' && b != 0) {
                return true;
            }
        }
        return false;
    }
}

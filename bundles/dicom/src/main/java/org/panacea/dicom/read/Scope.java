package org.panacea.dicom.read;

import java.util.Set;

/**
 * Where in the data set an element sits, as far as the reader cares: the top level, or one of the shared functional
 * group sequences of enhanced multi-frame images (PS3.3 C.7.6.16) that carry spacing, rescale, window and (Parametric
 * Maps) the real world value mapping for every frame. Elements anywhere else are passed over.
 */
enum Scope {
    TOP(Set.of(Tags.SPECIFIC_CHARACTER_SET, Tags.SOP_CLASS_UID, Tags.SOP_INSTANCE_UID, Tags.STUDY_DATE,
            Tags.ACCESSION_NUMBER, Tags.MODALITY, Tags.STUDY_DESCRIPTION, Tags.SERIES_DESCRIPTION, Tags.PATIENT_NAME,
            Tags.PATIENT_ID, Tags.PATIENT_BIRTH_DATE, Tags.PATIENT_SEX, Tags.BODY_PART_EXAMINED,
            Tags.STUDY_INSTANCE_UID, Tags.SERIES_INSTANCE_UID, Tags.SERIES_NUMBER, Tags.INSTANCE_NUMBER,
            Tags.SAMPLES_PER_PIXEL, Tags.PHOTOMETRIC_INTERPRETATION, Tags.PLANAR_CONFIGURATION, Tags.NUMBER_OF_FRAMES,
            Tags.ROWS, Tags.COLUMNS,
            Tags.PIXEL_SPACING, Tags.BITS_ALLOCATED, Tags.BITS_STORED, Tags.HIGH_BIT, Tags.PIXEL_REPRESENTATION,
            Tags.WINDOW_CENTER, Tags.WINDOW_WIDTH, Tags.RESCALE_INTERCEPT, Tags.RESCALE_SLOPE, Tags.RESCALE_TYPE,
            Tags.DOSE_UNITS, Tags.DOSE_GRID_SCALING, Tags.SLICE_THICKNESS, Tags.IMAGE_POSITION_PATIENT,
            Tags.IMAGE_ORIENTATION_PATIENT, Tags.FRAME_OF_REFERENCE_UID)),
    SHARED_FUNCTIONAL_GROUPS(Set.of()),
    PIXEL_MEASURES(Set.of(Tags.PIXEL_SPACING, Tags.SLICE_THICKNESS)),
    PLANE_ORIENTATION(Set.of(Tags.IMAGE_ORIENTATION_PATIENT)),
    PIXEL_VALUE_TRANSFORMATION(Set.of(Tags.RESCALE_INTERCEPT, Tags.RESCALE_SLOPE, Tags.RESCALE_TYPE)),
    FRAME_VOI_LUT(Set.of(Tags.WINDOW_CENTER, Tags.WINDOW_WIDTH)),
    /** The real world value mapping of a Parametric Map: slope and intercept to its unit. */
    REAL_WORLD_VALUE_MAPPING(Set.of(Tags.REAL_WORLD_VALUE_SLOPE, Tags.REAL_WORLD_VALUE_INTERCEPT)),
    /** The unit of that mapping, as a code. */
    MEASUREMENT_UNITS(Set.of(Tags.CODE_VALUE)),
    /** Inside any other sequence: nothing is kept. */
    ELSEWHERE(Set.of());

    private final Set<Integer> kept;

    Scope(Set<Integer> kept) {
        this.kept = kept;
    }

    boolean keeps(int tag) {
        return kept.contains(tag);
    }

    /** The scope of the first item of sequence {@code tag} found in this scope. */
    Scope inside(int tag) {
        if (this == TOP && tag == Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE) {
            return SHARED_FUNCTIONAL_GROUPS;
        }
        if (this == SHARED_FUNCTIONAL_GROUPS) {
            switch (tag) {
                case Tags.PIXEL_MEASURES_SEQUENCE:
                    return PIXEL_MEASURES;
                case Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE:
                    return PIXEL_VALUE_TRANSFORMATION;
                case Tags.FRAME_VOI_LUT_SEQUENCE:
                    return FRAME_VOI_LUT;
                case Tags.REAL_WORLD_VALUE_MAPPING_SEQUENCE:
                    return REAL_WORLD_VALUE_MAPPING;
                case Tags.PLANE_ORIENTATION_SEQUENCE:
                    return PLANE_ORIENTATION;
                default:
                    return ELSEWHERE;
            }
        }
        if (this == REAL_WORLD_VALUE_MAPPING && tag == Tags.MEASUREMENT_UNITS_CODE_SEQUENCE) {
            return MEASUREMENT_UNITS;
        }
        return ELSEWHERE;
    }
}

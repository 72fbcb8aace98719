package org.panacea.dicom.read;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The data elements the reader interprets, with the VR the standard gives them (PS3.6). Implicit VR data sets
 * carry no VR, so the reader takes it from here; in explicit VR data sets the declared VR must agree.
 */
final class Tags {

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    static final int FILE_META_GROUP_LENGTH = 0x00020000;
    static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    static final int TRANSFER_SYNTAX_UID = 0x00020010;

    static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int STUDY_DATE = 0x00080020;
    static final int ACCESSION_NUMBER = 0x00080050;
    static final int MODALITY = 0x00080060;
    static final int STUDY_DESCRIPTION = 0x00081030;
    static final int SERIES_DESCRIPTION = 0x0008103E;
    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_ID = 0x00100020;
    static final int PATIENT_BIRTH_DATE = 0x00100030;
    static final int PATIENT_SEX = 0x00100040;
    static final int BODY_PART_EXAMINED = 0x00180015;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION_PATIENT = 0x00200032;
    static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;
    static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    static final int PLANE_ORIENTATION_SEQUENCE = 0x00209116;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int WINDOW_CENTER = 0x00281050;
    static final int WINDOW_WIDTH = 0x00281051;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int RESCALE_TYPE = 0x00281054;
    static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;
    static final int FRAME_VOI_LUT_SEQUENCE = 0x00289132;
    static final int PIXEL_VALUE_TRANSFORMATION_SEQUENCE = 0x00289145;
    static final int CODE_VALUE = 0x00080100;
    static final int MEASUREMENT_UNITS_CODE_SEQUENCE = 0x004008EA;
    static final int REAL_WORLD_VALUE_MAPPING_SEQUENCE = 0x00409096;
    static final int REAL_WORLD_VALUE_INTERCEPT = 0x00409224;
    static final int REAL_WORLD_VALUE_SLOPE = 0x00409225;
    static final int DOSE_UNITS = 0x30040002;
    static final int DOSE_GRID_SCALING = 0x3004000E;
    static final int SHARED_FUNCTIONAL_GROUPS_SEQUENCE = 0x52009229;
    static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    static final int PIXEL_DATA = 0x7FE00010;

    private record Entry(String name, Vr vr) {
    }

    private static final Map<Integer, Entry> DICTIONARY = new HashMap<>();

    static {
        add(FILE_META_GROUP_LENGTH, "File Meta Information Group Length", Vr.UL);
        add(MEDIA_STORAGE_SOP_CLASS_UID, "Media Storage SOP Class UID", Vr.UI);
        add(MEDIA_STORAGE_SOP_INSTANCE_UID, "Media Storage SOP Instance UID", Vr.UI);
        add(TRANSFER_SYNTAX_UID, "Transfer Syntax UID", Vr.UI);
        add(SPECIFIC_CHARACTER_SET, "Specific Character Set", Vr.CS);
        add(SOP_CLASS_UID, "SOP Class UID", Vr.UI);
        add(SOP_INSTANCE_UID, "SOP Instance UID", Vr.UI);
        add(STUDY_DATE, "Study Date", Vr.DA);
        add(ACCESSION_NUMBER, "Accession Number", Vr.SH);
        add(MODALITY, "Modality", Vr.CS);
        add(STUDY_DESCRIPTION, "Study Description", Vr.LO);
        add(SERIES_DESCRIPTION, "Series Description", Vr.LO);
        add(PATIENT_NAME, "Patient's Name", Vr.PN);
        add(PATIENT_ID, "Patient ID", Vr.LO);
        add(PATIENT_BIRTH_DATE, "Patient's Birth Date", Vr.DA);
        add(PATIENT_SEX, "Patient's Sex", Vr.CS);
        add(BODY_PART_EXAMINED, "Body Part Examined", Vr.CS);
        add(SLICE_THICKNESS, "Slice Thickness", Vr.DS);
        add(STUDY_INSTANCE_UID, "Study Instance UID", Vr.UI);
        add(SERIES_INSTANCE_UID, "Series Instance UID", Vr.UI);
        add(SERIES_NUMBER, "Series Number", Vr.IS);
        add(INSTANCE_NUMBER, "Instance Number", Vr.IS);
        add(IMAGE_POSITION_PATIENT, "Image Position (Patient)", Vr.DS);
        add(IMAGE_ORIENTATION_PATIENT, "Image Orientation (Patient)", Vr.DS);
        add(FRAME_OF_REFERENCE_UID, "Frame of Reference UID", Vr.UI);
        add(PLANE_ORIENTATION_SEQUENCE, "Plane Orientation Sequence", Vr.SQ);
        add(SAMPLES_PER_PIXEL, "Samples per Pixel", Vr.US);
        add(PHOTOMETRIC_INTERPRETATION, "Photometric Interpretation", Vr.CS);
        add(PLANAR_CONFIGURATION, "Planar Configuration", Vr.US);
        add(NUMBER_OF_FRAMES, "Number of Frames", Vr.IS);
        add(ROWS, "Rows", Vr.US);
        add(COLUMNS, "Columns", Vr.US);
        add(PIXEL_SPACING, "Pixel Spacing", Vr.DS);
        add(BITS_ALLOCATED, "Bits Allocated", Vr.US);
        add(BITS_STORED, "Bits Stored", Vr.US);
        add(HIGH_BIT, "High Bit", Vr.US);
        add(PIXEL_REPRESENTATION, "Pixel Representation", Vr.US);
        add(WINDOW_CENTER, "Window Center", Vr.DS);
        add(WINDOW_WIDTH, "Window Width", Vr.DS);
        add(RESCALE_INTERCEPT, "Rescale Intercept", Vr.DS);
        add(RESCALE_SLOPE, "Rescale Slope", Vr.DS);
        add(RESCALE_TYPE, "Rescale Type", Vr.LO);
        add(PIXEL_MEASURES_SEQUENCE, "Pixel Measures Sequence", Vr.SQ);
        add(FRAME_VOI_LUT_SEQUENCE, "Frame VOI LUT Sequence", Vr.SQ);
        add(PIXEL_VALUE_TRANSFORMATION_SEQUENCE, "Pixel Value Transformation Sequence", Vr.SQ);
        add(CODE_VALUE, "Code Value", Vr.SH);
        add(MEASUREMENT_UNITS_CODE_SEQUENCE, "Measurement Units Code Sequence", Vr.SQ);
        add(REAL_WORLD_VALUE_MAPPING_SEQUENCE, "Real World Value Mapping Sequence", Vr.SQ);
        add(REAL_WORLD_VALUE_INTERCEPT, "Real World Value Intercept", Vr.FD);
        add(REAL_WORLD_VALUE_SLOPE, "Real World Value Slope", Vr.FD);
        add(DOSE_UNITS, "Dose Units", Vr.CS);
        add(DOSE_GRID_SCALING, "Dose Grid Scaling", Vr.DS);
        add(SHARED_FUNCTIONAL_GROUPS_SEQUENCE, "Shared Functional Groups Sequence", Vr.SQ);
        add(FLOAT_PIXEL_DATA, "Float Pixel Data", Vr.OF);
        add(DOUBLE_FLOAT_PIXEL_DATA, "Double Float Pixel Data", Vr.OD);
        add(PIXEL_DATA, "Pixel Data", Vr.OW);
        add(ITEM, "Item", null);
        add(ITEM_DELIMITATION, "Item Delimitation Item", null);
        add(SEQUENCE_DELIMITATION, "Sequence Delimitation Item", null);
    }

    private Tags() {
    }

    private static void add(int tag, String name, Vr vr) {
        DICTIONARY.put(tag, new Entry(name, vr));
    }

    /** {@code (gggg,eeee)} in upper-case hexadecimal. */
    static String format(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** The name and number of an element, e.g. {@code Rows (0028,0010)}, or just the number when unknown here. */
    static String describe(int tag) {
        Entry entry = DICTIONARY.get(tag);
        return entry == null ? format(tag) : entry.name() + " " + format(tag);
    }

    /** The name of an element in PS3.6, or its number when unknown here. */
    static String name(int tag) {
        Entry entry = DICTIONARY.get(tag);
        return entry == null ? format(tag) : entry.name();
    }

    /** The standard VR of an element interpreted here, or {@code null}. */
    static Vr vr(int tag) {
        Entry entry = DICTIONARY.get(tag);
        return entry == null ? null : entry.vr();
    }

    static int group(int tag) {
        return tag >>> 16;
    }
}

package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Names in the declared character set, dates, numbers and absent values. */
class TextAttributesTest {

    private static final byte[] ONE_PIXEL = { 7, 0 };

    private final DicomReader reader = new DicomReader();

    private DicomInstance read(DicomBuilder builder) throws Exception {
        byte[] file = builder.us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2").us(0x00280010, 1)
                .us(0x00280011, 1).us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15).us(0x00280103, 0)
                .element(Tags.PIXEL_DATA, "OW", ONE_PIXEL).bytes();
        return reader.read(new ByteArrayInputStream(file), file.length);
    }

    @Test
    void latin1NamesAreDecodedWithIsoIr100() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(0x00080005, "CS", "ISO_IR 100")
                .element(Tags.PATIENT_NAME, "PN", DicomBuilder.padded("Müller^Jürgen".getBytes(
                        StandardCharsets.ISO_8859_1), (byte) ' ')));
        assertEquals("Müller^Jürgen", dicom.patient().name());
    }

    @Test
    void utf8NamesAreDecodedWithIsoIr192() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(0x00080005, "CS", "ISO_IR 192")
                .element(Tags.PATIENT_NAME, "PN", DicomBuilder.padded("Wang^XiaoDong=王^小東".getBytes(
                        StandardCharsets.UTF_8), (byte) ' ')));
        assertEquals("Wang^XiaoDong=王^小東", dicom.patient().name());
    }

    @Test
    void datesNumbersAndCodesAreDecodedStrictly() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.IMPLICIT_LE).text(Tags.STUDY_DATE, "DA", "20240229")
                .text(Tags.MODALITY, "CS", "MR").text(Tags.PATIENT_BIRTH_DATE, "DA", "1931.07.04")
                .text(Tags.PATIENT_SEX, "CS", "F").text(Tags.SERIES_NUMBER, "IS", " +12 ")
                .text(Tags.INSTANCE_NUMBER, "IS", "-3"));
        assertEquals(LocalDate.of(2024, 2, 29), dicom.study().date());
        assertEquals(LocalDate.of(1931, 7, 4), dicom.patient().birthDate());
        assertEquals("F", dicom.patient().sex());
        assertEquals(12, dicom.series().number());
        assertEquals(-3, dicom.instance().number());
        assertEquals("MR", dicom.series().modality());
    }

    @Test
    void absentAttributesAreEmptyOrNullAndTheDefaultsApply() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE));
        assertEquals("", dicom.patient().name());
        assertNull(dicom.patient().birthDate());
        assertNull(dicom.series().number());
        assertEquals(1, dicom.image().numberOfFrames());
        assertEquals(1, dicom.image().rescaleSlope());
        assertEquals(0, dicom.image().rescaleIntercept());
        assertEquals(Double.NaN, dicom.image().windowCenter());
        assertEquals(Double.NaN, dicom.image().rowSpacing());
        assertEquals("", dicom.metadata().modality());
        assertEquals(7, dicom.frames().get(0).sample(0));
    }

    @Test
    void anImpossibleDateIsRefused() {
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> read(new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(Tags.STUDY_DATE, "DA", "20230229")));
        assertEquals(Tags.STUDY_DATE, e.tag());
        assertTrue(e.getMessage().contains("'20230229' is not a valid date (DA)"), e.getMessage());
    }

    @Test
    void enhancedImagesTakeSpacingRescaleAndWindowFromTheSharedFunctionalGroups() throws Exception {
        // Shared Functional Groups > Pixel Measures / Pixel Value Transformation / Frame VOI LUT (PS3.3 C.7.6.16).
        DicomBuilder measures = new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(Tags.PIXEL_SPACING, "DS", "0.5\\0.25");
        DicomBuilder transformation = new DicomBuilder(DicomBuilder.EXPLICIT_LE)
                .text(Tags.RESCALE_INTERCEPT, "DS", "-1024").text(Tags.RESCALE_SLOPE, "DS", "1")
                .text(Tags.RESCALE_TYPE, "LO", "HU");
        DicomBuilder window = new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(Tags.WINDOW_CENTER, "DS", "40")
                .text(Tags.WINDOW_WIDTH, "DS", "400");
        byte[] group = concat(sequence(Tags.PIXEL_MEASURES_SEQUENCE, body(measures)),
                sequence(Tags.FRAME_VOI_LUT_SEQUENCE, body(window)),
                sequence(Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, body(transformation)));
        byte[] file = new DicomBuilder(DicomBuilder.EXPLICIT_LE).us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2").us(0x00280010, 1).us(0x00280011, 1).us(0x00280100, 16)
                .us(0x00280101, 16).us(0x00280102, 15).us(0x00280103, 0)
                .header(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, "SQ", 0xFFFFFFFFL).item(Tags.ITEM, group.length)
                .raw(group).item(Tags.SEQUENCE_DELIMITATION, 0).element(Tags.PIXEL_DATA, "OW", ONE_PIXEL).bytes();
        DicomInstance dicom = reader.read(new ByteArrayInputStream(file), file.length);
        assertEquals(0.5, dicom.image().rowSpacing());
        assertEquals(0.25, dicom.image().columnSpacing());
        assertEquals(-1024, dicom.image().rescaleIntercept());
        assertEquals("HU", dicom.image().rescaleUnit());
        assertEquals(40, dicom.image().windowCenter());
        assertEquals(400, dicom.image().windowWidth());
    }

    /** The elements a builder wrote after its file meta group. */
    private static byte[] body(DicomBuilder builder) {
        byte[] file = builder.bytes();
        int metaLength = file[140] & 0xFF | (file[141] & 0xFF) << 8;
        return Arrays.copyOfRange(file, 132 + 12 + metaLength, file.length);
    }

    /** An explicit VR little endian sequence of defined length with one item holding {@code item}. */
    private static byte[] sequence(int tag, byte[] item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomBuilder.write16(out, false, tag >>> 16);
        DicomBuilder.write16(out, false, tag & 0xFFFF);
        out.writeBytes("SQ".getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.write(0);
        DicomBuilder.write32(out, false, item.length + 8);
        DicomBuilder.write16(out, false, 0xFFFE);
        DicomBuilder.write16(out, false, 0xE000);
        DicomBuilder.write32(out, false, item.length);
        out.writeBytes(item);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

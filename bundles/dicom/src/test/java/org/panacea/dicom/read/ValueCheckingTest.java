package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.imaging.ValueWarning;

/**
 * Lenient values: a bad value of a descriptive attribute is reported as a warning, with its tag, the value as
 * received and what is wrong, and the instance gets its safe reading; read strictly, the same file is refused naming
 * the element. Structure (pixel description, UIDs) stays strict either way.
 */
class ValueCheckingTest {

    private static final byte[] ONE_PIXEL = { 7, 0 };

    private final DicomReader reader = new DicomReader();

    private DicomInstance read(DicomBuilder builder, ValueChecking checking) throws Exception {
        byte[] file = builder.us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2").us(0x00280010, 1)
                .us(0x00280011, 1).us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15).us(0x00280103, 0)
                .element(Tags.PIXEL_DATA, "OW", ONE_PIXEL).bytes();
        return reader.read(new ByteArrayInputStream(file), file.length, checking);
    }

    private static byte[] falso() throws Exception {
        try (InputStream in = ValueCheckingTest.class.getResourceAsStream("/dicom-values/CT_small_sex_falso.dcm")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aRealFileWithPatientsSexFalsoIsReadWithAWarningAndTheSexUnknown() throws Exception {
        byte[] file = falso();
        DicomInstance lenient = reader.read(new ByteArrayInputStream(file), file.length, ValueChecking.LENIENT);
        assertEquals("", lenient.patient().sex());
        assertEquals(1, lenient.warnings().size(), lenient.warnings().toString());
        ValueWarning warning = lenient.warnings().get(0);
        assertEquals(0x00100040, warning.tag());
        assertEquals("(0010,0040)", warning.element());
        assertEquals("Patient's Sex", warning.name());
        assertEquals("Falso", warning.received());
        assertEquals("not a valid code string (CS)", warning.problem());
        assertEquals("unknown", warning.reading());
        assertTrue(warning.describe().contains("(0010,0040)") && !warning.describe().contains("Falso"),
                "a description for logs names the element, never the value: " + warning.describe());
        // Everything else is read as from the unchanged original.
        DicomInstance original = reader.read(Samples.path("CT_small.dcm"));
        assertEquals(original.patient().id(), lenient.patient().id());
        assertEquals(original.instance().sopInstanceUid(), lenient.instance().sopInstanceUid());
        assertArrayEquals(((Pixels.Gray16) original.frames().get(0)).values(),
                ((Pixels.Gray16) lenient.frames().get(0)).values());

        InvalidValueException refused = assertThrows(InvalidValueException.class,
                () -> reader.read(new ByteArrayInputStream(file), file.length, ValueChecking.STRICT));
        assertEquals(0x00100040, refused.tag());
        assertTrue(refused.getMessage().contains("'Falso' is not a valid code string (CS)"), refused.getMessage());
        assertThrows(InvalidValueException.class, () -> reader.read(new ByteArrayInputStream(file), file.length));
    }

    @Test
    void aValidCodeStringThatIsNoSexIsAWarningToo() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(Tags.PATIENT_SEX, "CS", "X"),
                ValueChecking.LENIENT);
        assertEquals("", dicom.patient().sex());
        assertEquals("not one of the values M, F, O that Patient's Sex allows", dicom.warnings().get(0).problem());
    }

    @Test
    void badDatesNumbersLongStringsAndStrayBytesBecomeWarningsWithSafeReadings() throws Exception {
        String longName = "A".repeat(70) + "^B";
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE)
                .text(Tags.STUDY_DATE, "DA", "20230229")
                .text(Tags.ACCESSION_NUMBER, "SH", "ACC-0123456789-XYZ")
                .element(Tags.PATIENT_NAME, "PN", DicomBuilder.padded(longName.getBytes(StandardCharsets.US_ASCII),
                        (byte) ' '))
                .element(Tags.PATIENT_ID, "LO", DicomBuilder.padded("M\u00fcller-7".getBytes(
                        StandardCharsets.ISO_8859_1), (byte) ' '))
                .text(Tags.PATIENT_BIRTH_DATE, "DA", "19xx0101")
                .text(Tags.SERIES_NUMBER, "IS", "twelve")
                .text(Tags.WINDOW_CENTER, "DS", "40HU")
                .text(Tags.IMAGE_POSITION_PATIENT, "DS", "1\\2"), ValueChecking.LENIENT);
        assertNull(dicom.study().date());
        assertNull(dicom.patient().birthDate());
        assertNull(dicom.series().number());
        assertEquals(Double.NaN, dicom.image().windowCenter());
        assertEquals(0, dicom.plane().position().length);
        assertEquals(longName, dicom.patient().name(), "an over-long name is kept whole");
        assertEquals("M\u00fcller-7", dicom.patient().id(), "a stray byte is kept, decoded as ISO-8859-1");
        assertEquals("ACC-0123456789-XYZ", dicom.study().accessionNumber());
        List<String> found = dicom.warnings().stream().map(w -> w.element() + " " + w.problem() + " -> "
                + w.reading()).toList();
        assertEquals(List.of(
                "(0008,0020) not a valid date (DA) -> absent",
                "(0008,0050) longer than the 16 characters SH allows -> the text as received",
                "(0010,0010) longer than the 64 characters PN allows per component group -> the text as received",
                "(0010,0020) holding the byte 0xFC, which is outside the default character repertoire (no Specific "
                        + "Character Set (0008,0005) is given) -> the text as received",
                "(0010,0030) not a valid date (DA) -> absent",
                "(0020,0011) not a valid integer string (IS) -> absent",
                "(0020,0032) not 3 numbers but 2 -> absent",
                "(0028,1050) not a valid decimal string (DS) -> absent"), found);
    }

    @Test
    void textThatIsNotTheDeclaredCharacterSetIsAWarning() throws Exception {
        byte[] badUtf8 = { 'W', 'a', 'n', 'g', (byte) 0xC3, '^', 'X' };
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE).text(0x00080005, "CS", "ISO_IR 192")
                .element(Tags.PATIENT_NAME, "PN", DicomBuilder.padded(badUtf8, (byte) ' ')), ValueChecking.LENIENT);
        assertEquals("not valid UTF-8 text, the Specific Character Set given", dicom.warnings().get(0).problem());
        assertTrue(dicom.patient().name().startsWith("Wang"));
    }

    @Test
    void structureStaysStrictWhenValuesAreLenient() {
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> read(new DicomBuilder(
                DicomBuilder.EXPLICIT_LE).text(Tags.SOP_INSTANCE_UID, "UI", "1.2.x"), ValueChecking.LENIENT));
        assertEquals(Tags.SOP_INSTANCE_UID, e.tag());
        e = assertThrows(DicomFormatException.class, () -> read(new DicomBuilder(DicomBuilder.EXPLICIT_LE)
                .text(Tags.RESCALE_SLOPE, "DS", "one"), ValueChecking.LENIENT));
        assertEquals(Tags.RESCALE_SLOPE, e.tag());
    }

    @Test
    void theImagePlaneIsRead() throws Exception {
        DicomInstance dicom = read(new DicomBuilder(DicomBuilder.EXPLICIT_LE)
                .text(Tags.SLICE_THICKNESS, "DS", "1.25")
                .text(Tags.IMAGE_POSITION_PATIENT, "DS", "-125\\-128.1\\-99.48")
                .text(Tags.IMAGE_ORIENTATION_PATIENT, "DS", "1\\0\\0\\0\\1\\0")
                .text(Tags.FRAME_OF_REFERENCE_UID, "UI", "1.2.3.4"), ValueChecking.STRICT);
        assertArrayEquals(new double[] { -125, -128.1, -99.48 }, dicom.plane().position());
        assertArrayEquals(new double[] { 1, 0, 0, 0, 1, 0 }, dicom.plane().orientation());
        assertEquals(1.25, dicom.plane().sliceThickness());
        assertEquals("1.2.3.4", dicom.plane().frameOfReferenceUid());
        assertTrue(dicom.warnings().isEmpty());
    }
}

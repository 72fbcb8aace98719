package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real samples the reader must refuse, each with a message naming the problem, the element and the offset. */
class RefusalsTest {

    private final DicomReader reader = new DicomReader();

    private DicomFormatException refusal(String file) {
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> reader.read(Samples.path(file)));
        assertNull(e.getCause(), "a classified refusal, not a reader defect: " + e.getMessage());
        return e;
    }

    private static void assertMessage(DicomFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MR_small_jpeg_ls_lossless.dcm | 1.2.840.10008.1.2.4.80 | JPEG-LS Lossless Image Compression",
            "MR_small_jp2klossless.dcm | 1.2.840.10008.1.2.4.90 | JPEG 2000 Image Compression (Lossless Only)" })
    void theJpegFamilyIsRefusedByTransferSyntax(String file, String uid, String name) {
        DicomFormatException e = refusal(file);
        assertMessage(e, "unsupported transfer syntax " + uid + " (" + name + ")", "(0002,0010)", "byte offset");
        assertEquals(Tags.TRANSFER_SYNTAX_UID, e.tag());
    }

    @Test
    void truncatedPixelDataIsRefusedBeforeAnythingIsAllocated() {
        DicomFormatException e = refusal("MR_truncated.dcm");
        // The pixel data element starts at 1488 and declares 8192 bytes; the file ends 8130 bytes after its header.
        assertMessage(e, "value length 8192 exceeds the 8130 bytes that remain", "Pixel Data (7FE0,0010)",
                "byte offset 1488");
        assertEquals(Tags.PIXEL_DATA, e.tag());
        assertEquals(1488, e.offset());
    }

    @Test
    void truncatedPixelDataInAStreamOfUnknownLengthIsRefusedWhereItEnds() {
        byte[] file = Samples.bytes("MR_truncated.dcm");
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> reader.read(new ByteArrayInputStream(file), -1));
        assertMessage(e, "file ends early", "Pixel Data (7FE0,0010)");
        assertEquals(file.length, e.offset());
    }

    @Test
    void aFileWithoutPreambleAndPrefixIsNotPart10() {
        DicomFormatException e = refusal("no_meta.dcm");
        assertMessage(e, "not a DICOM Part 10 file", "no 'DICM' prefix", "byte offset 128");
    }

    @Test
    void fileMetaWithoutTransferSyntaxIsRefused() {
        DicomFormatException e = refusal("meta_missing_tsyntax.dcm");
        assertMessage(e, "missing Transfer Syntax UID", "(0002,0010)");
        assertEquals(Tags.TRANSFER_SYNTAX_UID, e.tag());
        // The meta group ends at 132 + 12 (group length element) + 58 bytes.
        assertEquals(202, e.offset());
    }

    @Test
    void badVrSampleIsRefusedAtTheElementWithTheBadValue() {
        DicomFormatException e = refusal("badVR.dcm");
        assertMessage(e, "'1A' is not a valid integer string (IS)", "Number of Frames (0028,0008)", "byte offset 1000");
        assertEquals(Tags.NUMBER_OF_FRAMES, e.tag());
    }

    @Test
    void colourSubsampledYbrIsRefusedByPhotometricInterpretation() {
        DicomFormatException e = refusal("SC_ybr_full_422_uncompressed.dcm");
        assertMessage(e, "Photometric Interpretation YBR_FULL_422 is not supported", "(0028,0004)");
    }

    @Test
    void nestedPrivateSequencesOfUndefinedLengthAreWalkedToThePixelData() {
        // Implicit VR: private sequences of undefined length inside each other, then a Pixel Data without any image
        // attribute: the walk must get through the sequences and stop exactly at the pixel data.
        byte[] file = Samples.bytes("nested_priv_SQ.dcm");
        DicomFormatException e = refusal("nested_priv_SQ.dcm");
        assertMessage(e, "required element missing before the pixel data", "Rows (0028,0010)");
        assertEquals(indexOf(file, new byte[] { (byte) 0xE0, 0x7F, 0x10, 0x00 }), e.offset());
    }

    @ParameterizedTest
    @CsvSource({ "priv_SQ.dcm", "no_meta_group_length.dcm" })
    void dataSetsWithoutPixelDataAreWalkedToTheirEnd(String file) {
        DicomFormatException e = refusal(file);
        assertMessage(e, "ends without Pixel Data");
        assertEquals(Samples.bytes(file).length, e.offset());
    }

    @Test
    void aTruncatedSequenceIsRefusedAtTheElementThatOverruns() {
        DicomFormatException e = refusal("rtplan_truncated.dcm");
        assertMessage(e, "exceeds the", "bytes that remain", "(300A,00B0)");
    }

    private static long indexOf(byte[] data, byte[] pattern) {
        String haystack = new String(data, StandardCharsets.ISO_8859_1);
        return haystack.indexOf(new String(pattern, StandardCharsets.ISO_8859_1));
    }
}

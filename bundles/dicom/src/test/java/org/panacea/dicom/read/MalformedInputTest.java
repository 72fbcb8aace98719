package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-made malformed files: each refusal names its problem, element and offset, and allocates nothing large. */
class MalformedInputTest {

    private static final long FORGED = 0xFFFFFFF0L;

    private final DicomReader reader = new DicomReader();

    private DicomFormatException refused(byte[] file, boolean lengthKnown) {
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> reader.read(new ByteArrayInputStream(file), lengthKnown ? file.length : -1));
        assertNull(e.getCause(), e.getMessage());
        return e;
    }

    private static void assertMessage(DicomFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    /** A 2x2 signed 16-bit image: rows of (1, -2), (300, -32768). */
    private static DicomBuilder twoByTwo() {
        return DicomBuilder.image(DicomBuilder.EXPLICIT_LE, 2, 2, 16, 16, true);
    }

    private static final byte[] TWO_BY_TWO_PIXELS = { 1, 0, (byte) 0xFE, (byte) 0xFF, 0x2C, 0x01, 0, (byte) 0x80 };

    @Test
    void theHandMadeImageReads() throws Exception {
        byte[] file = twoByTwo().element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        short[] values = ((org.panacea.api.imaging.Pixels.Gray16) reader.read(new ByteArrayInputStream(file),
                file.length).frames().get(0)).values();
        assertEquals(1, values[0]);
        assertEquals(-2, values[1]);
        assertEquals(300, values[2]);
        assertEquals(-32768, values[3]);
    }

    @ParameterizedTest
    @ValueSource(strings = { "us", "X1", "\u0000\u0000" })
    void aBadVrIsRefusedAtItsElement(String vr) {
        byte[] file = twoByTwo().element(0x00091010, vr, new byte[2])
                .element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        DicomFormatException e = refused(file, true);
        assertMessage(e, "bad VR", "(0009,1010)");
        assertEquals(0x00091010, e.tag());
    }

    @Test
    void aForgedHugeLengthIsRefusedAgainstTheBytesThatRemainWithoutAllocating() {
        byte[] file = twoByTwo().header(0x00091010, "OB", FORGED).raw(new byte[64]).bytes();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        long allocated = Allocations.during(() -> reader.read(new ByteArrayInputStream(file), file.length),
                thrown::set);
        DicomFormatException e = (DicomFormatException) thrown.get();
        assertMessage(e, "value length 4294967280 exceeds the 64 bytes that remain", "(0009,1010)");
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aForgedHugeLengthInAStreamOfUnknownLengthIsSkippedToTheEndNotAllocated() {
        byte[] file = twoByTwo().header(0x00091010, "OB", FORGED).raw(new byte[64]).bytes();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        long allocated = Allocations.during(() -> reader.read(new ByteArrayInputStream(file), -1), thrown::set);
        assertMessage((DicomFormatException) thrown.get(), "file ends early", "(0009,1010)");
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aForgedHugeKeptValueInAStreamOfUnknownLengthIsRefusedByTheValueLimit() {
        byte[] file = twoByTwo().header(Tags.PATIENT_NAME, "UN", FORGED).raw(new byte[64]).bytes();
        DicomFormatException e = refused(file, false);
        assertMessage(e, "longer than the 65536 bytes the reader keeps", "Patient's Name (0010,0010)");
    }

    @Test
    void forgedPixelDataOfUnknownLengthIsRefusedByThePixelLimitBeforeAllocating() {
        byte[] file = DicomBuilder.image(DicomBuilder.EXPLICIT_LE, 30000, 30000, 16, 16, false)
                .header(Tags.PIXEL_DATA, "OW", FORGED).raw(new byte[64]).bytes();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        long allocated = Allocations.during(() -> reader.read(new ByteArrayInputStream(file), -1), thrown::set);
        assertMessage((DicomFormatException) thrown.get(), "more than the limit of 1073741824", "Pixel Data (7FE0,0010)");
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void pixelDataShorterThanTheImageIsRefused() {
        byte[] file = twoByTwo().element(Tags.PIXEL_DATA, "OW", new byte[6]).bytes();
        DicomFormatException e = refused(file, true);
        assertMessage(e, "pixel data too short: 6 bytes, but 2 rows x 2 columns x 1 frames x 1 samples x 16 bits need 8",
                "Pixel Data (7FE0,0010)");
        assertEquals(file.length - 6 - 12, e.offset());
    }

    @Test
    void aValueThatRunsPastItsItemIsRefused() {
        // A defined-length item of 8 bytes holding an element that claims 16, in a sequence the reader walks.
        byte[] walked = twoByTwo().header(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, "SQ", 8 + 8).item(Tags.ITEM, 8)
                .raw(new byte[] { 0x09, 0x00, 0x11, 0x10, 'L', 'O', 16, 0 }).raw(new byte[16])
                .element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        DicomFormatException e = refused(walked, true);
        assertMessage(e, "value length 16 runs past the end of its item", "(0009,1011)");
    }

    @Test
    void aSequenceOfUndefinedLengthThatRunsPastItsItemIsRefused() {
        // An item of 12 bytes holds only the header of a sequence whose delimiter lies 8 bytes past the item.
        byte[] file = twoByTwo().header(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, "SQ", 20).item(Tags.ITEM, 12)
                .header(0x00091010, "SQ", 0xFFFFFFFFL).item(Tags.SEQUENCE_DELIMITATION, 0)
                .element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        assertMessage(refused(file, true), "content of undefined length runs 8 bytes past the end");
    }

    @Test
    void sequencesNestedTooDeeplyAreRefused() {
        DicomBuilder builder = twoByTwo();
        for (int depth = 0; depth < 100; depth++) {
            builder.header(0x00091010, "SQ", 0xFFFFFFFFL).item(Tags.ITEM, 0xFFFFFFFFL);
        }
        DicomFormatException e = refused(builder.bytes(), false);
        assertMessage(e, "sequences nested deeper than 64");
    }

    @Test
    void anUndefinedLengthUnSequenceIsReadAsImplicitVrLittleEndian() throws Exception {
        // PS3.5 6.2.2: a UN element of undefined length holds an implicit VR little endian sequence.
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        item.writeBytes(new byte[] { 0x09, 0x00, 0x10, 0x10, 4, 0, 0, 0, 'a', 'b', 'c', 'd' });
        byte[] file = twoByTwo().header(0x00091010, "UN", 0xFFFFFFFFL).item(Tags.ITEM, 0xFFFFFFFFL)
                .raw(item.toByteArray()).item(Tags.ITEM_DELIMITATION, 0).item(Tags.SEQUENCE_DELIMITATION, 0)
                .element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        assertEquals(4, reader.read(new ByteArrayInputStream(file), file.length).frames().get(0).length());
    }

    @Test
    void anItemDelimiterOutsideAnyItemIsRefused() {
        byte[] file = twoByTwo().item(Tags.ITEM_DELIMITATION, 0).element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS)
                .bytes();
        assertMessage(refused(file, true), "Item Delimitation outside an item", "(FFFE,E00D)");
    }

    @Test
    void undefinedLengthIsRefusedForATextVr() {
        byte[] file = twoByTwo().header(0x00091010, "UT", 0xFFFFFFFFL).raw(new byte[16]).bytes();
        assertMessage(refused(file, true), "undefined length is not allowed for VR UT", "(0009,1010)");
    }

    @Test
    void aVrThatContradictsTheStandardForAnInterpretedElementIsRefused() {
        byte[] file = new DicomBuilder(DicomBuilder.EXPLICIT_LE).element(Tags.ROWS, "SS", new byte[] { 2, 0 })
                .bytes();
        assertMessage(refused(file, true), "VR SS where the standard says US", "Rows (0028,0010)");
    }

    @Test
    void aZeroRescaleSlopeIsRefused() {
        byte[] file = twoByTwo().text(Tags.RESCALE_SLOPE, "DS", "0").element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS)
                .bytes();
        assertMessage(refused(file, true), "rescale slope of 0", "Rescale Slope (0028,1053)");
    }

    @ParameterizedTest
    @ValueSource(strings = { "NaN", "1e999", "0x10", "1.5f", "2,5" })
    void decimalStringsOutsideTheirVrAreRefused(String slope) {
        byte[] file = twoByTwo().text(Tags.RESCALE_SLOPE, "DS", slope)
                .element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        assertMessage(refused(file, true), "decimal string (DS)", "Rescale Slope (0028,1053)");
    }

    @Test
    void encapsulatedPixelDataInANativeSyntaxIsRefused() {
        byte[] file = twoByTwo().header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL).item(Tags.ITEM, 0)
                .item(Tags.SEQUENCE_DELIMITATION, 0).bytes();
        assertMessage(refused(file, true), "encapsulated pixel data in the native transfer syntax",
                "Pixel Data (7FE0,0010)");
    }

    @Test
    void unsupportedBitsAllocatedIsRefused() {
        byte[] file = DicomBuilder.image(DicomBuilder.EXPLICIT_LE, 2, 2, 12, 12, false)
                .element(Tags.PIXEL_DATA, "OW", new byte[6]).bytes();
        assertMessage(refused(file, true), "Bits Allocated 12 is not supported", "(0028,0100)");
    }

    /** An RLE 2x2 unsigned 16-bit image declaring {@code frames} frames, with the given fragments. */
    private static byte[] rle(int frames, byte[]... fragments) {
        DicomBuilder builder = new DicomBuilder(DicomBuilder.RLE).us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2").text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frames))
                .us(0x00280010, 2).us(0x00280011, 2).us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15)
                .us(0x00280103, 0).header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL).item(Tags.ITEM, 0);
        for (byte[] fragment : fragments) {
            builder.item(Tags.ITEM, fragment.length).raw(fragment);
        }
        return builder.item(Tags.SEQUENCE_DELIMITATION, 0).bytes();
    }

    private static final byte[] RLE_FRAME = PixelLayoutsTest.rleFragment(new long[] { 1, 2, 300, 65535 }, 2);

    @Test
    void rleWithFewerFragmentsThanFramesIsRefused() {
        assertMessage(refused(rle(2, RLE_FRAME), true), "RLE pixel data holds 1 fragments but Number of Frames is 2",
                "Pixel Data (7FE0,0010)");
    }

    @Test
    void rleWithMoreFragmentsThanFramesIsRefused() {
        assertMessage(refused(rle(1, RLE_FRAME, RLE_FRAME), true), "more fragments than the 1 frames");
    }

    @Test
    void rleWithTheWrongNumberOfSegmentsIsRefused() {
        byte[] fragment = RLE_FRAME.clone();
        fragment[0] = 3;
        assertMessage(refused(rle(1, fragment), true), "declares 3 segments, the image needs 2");
    }

    @Test
    void anRleSegmentThatDecodesShortIsRefused() {
        // Segment 1 (low bytes) is one literal run of 4: make it a run of 2 followed by nothing.
        byte[] fragment = PixelLayoutsTest.rleFragment(new long[] { 1, 2, 300, 65535 }, 2);
        int secondSegment = fragment[8] & 0xFF;
        byte[] cut = java.util.Arrays.copyOf(fragment, secondSegment + 3);
        cut[secondSegment] = 1;
        assertMessage(refused(rle(1, cut), true), "RLE segment 1 of frame 0 decodes to 2 bytes, the frame needs 4");
    }

    @Test
    void aTinyRleFragmentCannotClaimAHugeFrame() {
        byte[] file = new DicomBuilder(DicomBuilder.RLE).us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2")
                .us(0x00280010, 20000).us(0x00280011, 20000).us(0x00280100, 8).us(0x00280101, 8)
                .us(0x00280102, 7).us(0x00280103, 0).header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL).item(Tags.ITEM, 0)
                .item(Tags.ITEM, 66).raw(PixelLayoutsTest.rleFragment(new long[] { 7 }, 1))
                .item(Tags.SEQUENCE_DELIMITATION, 0).bytes();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        long allocated = Allocations.during(() -> reader.read(new ByteArrayInputStream(file), -1), thrown::set);
        assertMessage((DicomFormatException) thrown.get(), "RLE fragment of 66 bytes cannot decode to a frame of "
                + "400000000 bytes");
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void anUnknownTransferSyntaxIsRefusedAsUnknown() {
        byte[] file = new DicomBuilder("1.2.3.4").bytes();
        assertMessage(refused(file, true), "unsupported transfer syntax 1.2.3.4 (unknown)", "(0002,0010)");
    }

    @Test
    void aFileShorterThanThePreambleIsNotPart10() {
        assertMessage(refused("DICM".getBytes(StandardCharsets.US_ASCII), true), "not a DICOM Part 10 file",
                "shorter than the 128-byte preamble");
    }

    @Test
    void theInflatedSizeIsBoundedByTheLimit() throws Exception {
        byte[] file = Samples.bytes("image_dfl.dcm");
        DicomReader small = new DicomReader(new DicomReadLimits(1 << 30, 100_000, 65536, 64));
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> small.read(new ByteArrayInputStream(file), -1));
        assertMessage(e, "of the inflated data set");
        assertTrue(e.getMessage().contains("100000") || e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void corruptDeflatedDataIsRefused() {
        byte[] file = Samples.bytes("image_dfl.dcm");
        // The deflated data set starts right after the file meta group; spoil its first block header.
        int dataSetStart = 132 + 12 + (file[140] & 0xFF | (file[141] & 0xFF) << 8);
        file[dataSetStart] = (byte) 0xFF;
        file[dataSetStart + 1] = (byte) 0xFF;
        DicomFormatException e = refused(file, true);
        assertMessage(e, "of the inflated data set");
    }

    @Test
    void aDeflatedDataSetThatEndsBeforeItsPixelDataIsRefused() {
        byte[] file = Samples.bytes("image_dfl.dcm");
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 100);
        assertMessage(refused(cut, true), "of the inflated data set");
    }

    @Test
    void aDeflatedFileReadsTheSameAsItsInflatedEquivalent() throws Exception {
        // Deflate a hand-made explicit VR little endian data set and compare with the plain one.
        byte[] plain = twoByTwo().element(Tags.PIXEL_DATA, "OW", TWO_BY_TWO_PIXELS).bytes();
        int dataSetStart = 132 + 12 + (plain[140] & 0xFF | (plain[141] & 0xFF) << 8);
        byte[] deflated = deflatedFile(plain, dataSetStart);
        var a = reader.read(new ByteArrayInputStream(plain), plain.length);
        var b = reader.read(new ByteArrayInputStream(deflated), deflated.length);
        assertEquals("1.2.840.10008.1.2.1.99", b.transferSyntaxUid());
        for (int i = 0; i < 4; i++) {
            assertEquals(a.frames().get(0).sample(i), b.frames().get(0).sample(i));
        }
    }

    /** The file with its data set deflated (raw deflate, PS3.5 A.5) and its transfer syntax changed to say so. */
    private static byte[] deflatedFile(byte[] plain, int dataSetStart) {
        byte[] dataSet = java.util.Arrays.copyOfRange(plain, dataSetStart, plain.length);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(dataSet);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] meta = new DicomBuilder("1.2.840.10008.1.2.1.99").bytes();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(meta);
        file.writeBytes(compressed.toByteArray());
        return file.toByteArray();
    }
}

package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Pixels;

/**
 * A stream of unknown length (an upload) whose header declares a huge image but which carries only a few pixel
 * bytes: the reader refuses it having allocated in proportion to what arrived, never the declared size, in every
 * pixel encoding. Images that do arrive whole read the same as files of known length, and a declared size over the
 * configured limit is a {@link DicomLimitException} naming the limit.
 */
class DeclaredSizeTest {

    /** Far below every declared size here (hundreds of MiB), far above the reader's fixed buffers. */
    private static final long BOUND = 1 << 20;

    private final DicomReader reader = new DicomReader();

    private static DicomBuilder grey(String syntax, int rows, int columns, int bits, int frames) {
        return new DicomBuilder(syntax).us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2")
                .text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frames)).us(0x00280010, rows)
                .us(0x00280011, columns).us(0x00280100, bits).us(0x00280101, bits).us(0x00280102, bits - 1)
                .us(0x00280103, 0);
    }

    /** Reads {@code file} as an upload of unknown length; returns what it threw and checks the allocation. */
    private DicomFormatException refusedWithin(byte[] file, long declared) {
        AtomicReference<Exception> thrown = new AtomicReference<>();
        long allocated = Allocations.during(() -> reader.read(new ByteArrayInputStream(file), -1), thrown::set);
        assertTrue(allocated < BOUND, "allocated " + allocated + " bytes for a header declaring " + declared
                + " bytes of pixels and a " + file.length + "-byte file");
        return assertInstanceOf(DicomFormatException.class, thrown.get());
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @Test
    void aHugeNativeFrameWithAFewBytesOfPixelsIsRefusedWithoutAllocatingIt() {
        // 16384 x 16384 x 16 bits: 512 MiB declared, within the 1 GiB limit; 64 bytes sent.
        long declared = 2L * 16384 * 16384;
        byte[] file = grey(DicomBuilder.EXPLICIT_LE, 16384, 16384, 16, 1).header(Tags.PIXEL_DATA, "OW", declared)
                .raw(new byte[64]).bytes();
        DicomFormatException e = refusedWithin(file, declared);
        assertMessage(e, "pixel data ends after 64 of the " + declared + " bytes that 16384 rows x 16384 columns",
                "Pixel Data (7FE0,0010)");
    }

    @Test
    void aHugeNativeFrameBehindAForgedElementLengthIsRefusedWithoutAllocatingIt() {
        long declared = 16384L * 16384;
        byte[] file = grey(DicomBuilder.EXPLICIT_LE, 16384, 16384, 8, 1).header(Tags.PIXEL_DATA, "OB", 0xFFFFFFF0L)
                .raw(new byte[100]).bytes();
        assertMessage(refusedWithin(file, declared), "pixel data ends after 100 of the " + declared + " bytes");
    }

    @Test
    void manyDeclaredFramesWithAFewBytesAreRefusedWithoutAllocatingThem() {
        // 512 x 512 x 16 bits x 2000 frames: 1000 MiB declared; neither the frames nor a list of 2000 is allocated.
        long declared = 2L * 512 * 512 * 2000;
        byte[] file = grey(DicomBuilder.EXPLICIT_LE, 512, 512, 16, 2000).header(Tags.PIXEL_DATA, "OW", declared)
                .raw(new byte[4096]).bytes();
        assertMessage(refusedWithin(file, declared), "pixel data ends after 4096 of the " + declared + " bytes");
    }

    @Test
    void hugeDeclaredSingleBitFramesWithAFewBytesAreRefusedWithoutAllocatingThem() {
        long declared = 30000L * 30000 / 8;
        byte[] file = grey(DicomBuilder.EXPLICIT_LE, 30000, 30000, 1, 1).header(Tags.PIXEL_DATA, "OB", declared)
                .raw(new byte[64]).bytes();
        assertMessage(refusedWithin(file, declared), "pixel data ends after 64 of the " + declared + " bytes");
    }

    @Test
    void aHugeDeclaredColourFrameWithAFewBytesIsRefusedWithoutAllocatingIt() {
        long declared = 3L * 12000 * 12000;
        byte[] file = new DicomBuilder(DicomBuilder.EXPLICIT_LE).us(0x00280002, 3).text(0x00280004, "CS", "RGB")
                .us(0x00280006, 1).us(0x00280010, 12000).us(0x00280011, 12000).us(0x00280100, 8)
                .us(0x00280101, 8).us(0x00280102, 7).us(0x00280103, 0).header(Tags.PIXEL_DATA, "OB", declared)
                .raw(new byte[300]).bytes();
        assertMessage(refusedWithin(file, declared), "pixel data ends after 300 of the " + declared + " bytes");
    }

    @Test
    void aHugeRleFrameInAFragmentThatNeverArrivesIsRefusedWithoutAllocatingIt() {
        // 20000 x 20000 x 16 bits (800 MB) in a fragment declared large enough for PackBits to fill; 200 bytes sent.
        long declared = 2L * 20000 * 20000;
        byte[] header = new byte[64];
        header[0] = 2;
        header[4] = 64;
        header[8] = (byte) 0x80; // second segment at 0x10000080: inside the declared fragment
        header[11] = 0x10;
        byte[] file = grey(DicomBuilder.RLE, 20000, 20000, 16, 1).header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL)
                .item(Tags.ITEM, 0).item(Tags.ITEM, 0x7FFFFFF0L).raw(header).raw(repeatRuns(136)).bytes();
        assertMessage(refusedWithin(file, declared), "file ends early", "Pixel Data (7FE0,0010)");
    }

    @Test
    void aHugeJpegLosslessFrameWithAFewBytesOfCodeIsRefusedBeforeItsSamplesAreAllocated() {
        long declared = 2L * 20000 * 20000;
        byte[] jpeg = jpegHeader(20000, 20000, new byte[] { 0, 0, 0, 0, (byte) 0xFF, (byte) 0xD9 });
        byte[] file = grey("1.2.840.10008.1.2.4.70", 20000, 20000, 16, 1)
                .header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL).item(Tags.ITEM, 0).item(Tags.ITEM, jpeg.length)
                .raw(jpeg).item(Tags.SEQUENCE_DELIMITATION, 0).bytes();
        assertMessage(refusedWithin(file, declared), "cannot hold the 20000x20000 samples the frame declares");
    }

    @Test
    void aDeclaredSizeOverTheConfiguredLimitIsALimitRefusalNamingTheLimit() {
        DicomReader small = new DicomReader(new DicomReadLimits(1 << 20, 1 << 30, 64 * 1024, 64));
        byte[] file = grey(DicomBuilder.EXPLICIT_LE, 1024, 1024, 16, 1).header(Tags.PIXEL_DATA, "OW", 2L << 20)
                .raw(new byte[64]).bytes();
        DicomLimitException e = assertThrows(DicomLimitException.class,
                () -> small.read(new ByteArrayInputStream(file), -1));
        assertEquals(1 << 20, e.limit());
        assertMessage(e, "the decoded pixel data would take 2097152 bytes", "more than the limit of 1048576 bytes "
                + "(1 MiB)", "Pixel Data (7FE0,0010)");
        // The default limit, 1 GiB, the same way.
        byte[] huge = grey(DicomBuilder.EXPLICIT_LE, 30000, 30000, 16, 1).header(Tags.PIXEL_DATA, "OW", 0xFFFFFFF0L)
                .raw(new byte[64]).bytes();
        DicomLimitException overDefault = assertInstanceOf(DicomLimitException.class, refusedWithin(huge,
                2L * 30000 * 30000));
        assertEquals(1L << 30, overDefault.limit());
    }

    @Test
    void imagesThatArriveWholeReadTheSameFromAStreamOfUnknownLength() throws Exception {
        // 181 x 191 samples: beyond the size a growing frame starts at, so every layout grows several times.
        int rows = 181;
        int columns = 191;
        for (String syntax : List.of(DicomBuilder.EXPLICIT_LE, DicomBuilder.EXPLICIT_BE, DicomBuilder.RLE)) {
            for (PixelLayoutsTest.Depth depth : PixelLayoutsTest.Depth.values()) {
                if (depth == PixelLayoutsTest.Depth.BIT && syntax.equals(DicomBuilder.RLE)) {
                    continue;
                }
                Random random = new Random(depth.ordinal() * 31L + syntax.length());
                long[][] values = new long[2][rows * columns];
                for (long[] frame : values) {
                    for (int i = 0; i < frame.length; i++) {
                        frame[i] = depth.random(random);
                    }
                }
                byte[] file = PixelLayoutsTest.file(syntax, depth, rows, columns, values);
                DicomInstance streamed = reader.read(new ByteArrayInputStream(file), -1);
                for (int f = 0; f < 2; f++) {
                    Pixels pixels = streamed.frames().get(f);
                    assertEquals(rows * columns, pixels.length(), syntax + " " + depth);
                    for (int i = 0; i < rows * columns; i++) {
                        assertEquals(values[f][i], pixels.sample(i), 0, syntax + " " + depth + " frame " + f
                                + " sample " + i);
                    }
                }
            }
        }
        for (int planar = 0; planar < 2; planar++) {
            byte[] file = colour(rows, columns, planar);
            Pixels known = reader.read(new ByteArrayInputStream(file), file.length).frames().get(0);
            Pixels streamed = reader.read(new ByteArrayInputStream(file), -1).frames().get(0);
            assertEquals(rows * columns, streamed.length());
            for (int i = 0; i < rows * columns; i++) {
                assertEquals(known.sample(i), streamed.sample(i), 0, "planar " + planar + " sample " + i);
            }
        }
    }

    /** An RGB image of 8-bit samples with some pattern, interleaved or planar. */
    private static byte[] colour(int rows, int columns, int planar) {
        int n = rows * columns;
        byte[] data = new byte[3 * n + (3 * n) % 2];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                data[planar == 0 ? 3 * i + c : c * n + i] = (byte) (i * (c + 1) + c * 50);
            }
        }
        return new DicomBuilder(DicomBuilder.EXPLICIT_LE).us(0x00280002, 3).text(0x00280004, "CS", "RGB")
                .us(0x00280006, planar).us(0x00280010, rows).us(0x00280011, columns).us(0x00280100, 8)
                .us(0x00280101, 8).us(0x00280102, 7).us(0x00280103, 0).element(Tags.PIXEL_DATA, "OB", data).bytes();
    }

    /** PackBits repeat runs of 128 zero bytes: 2 packed bytes each. */
    private static byte[] repeatRuns(int runs) {
        byte[] packed = new byte[2 * runs];
        for (int i = 0; i < runs; i++) {
            packed[2 * i] = (byte) -127;
        }
        return packed;
    }

    /** SOI, a lossless frame header, one Huffman table with a single 1-bit code, a scan header, then the code. */
    private static byte[] jpegHeader(int width, int height, byte[] entropyCoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD8 });
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xC3, 0, 11, 16, (byte) (height >> 8), (byte) height,
                (byte) (width >> 8), (byte) width, 1, 1, 0x11, 0 });
        byte[] dht = new byte[2 + 2 + 1 + 16 + 1];
        dht[0] = (byte) 0xFF;
        dht[1] = (byte) 0xC4;
        dht[3] = 20;
        dht[5] = 1; // one code of length 1
        out.writeBytes(dht);
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 1, 0, 0 });
        out.writeBytes(entropyCoded);
        return out.toByteArray();
    }
}

package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.panacea.api.imaging.Pixels;

/**
 * Every sample depth in every transfer syntax, on tiny and thin images (1x1, 1xN, Nx1) and multiple frames: the
 * test encodes known values itself (native per PS3.5 8.1-8.2, RLE per Annex G) and checks every decoded sample.
 */
class PixelLayoutsTest {

    private final DicomReader reader = new DicomReader();

    enum Depth {
        U8(8, false), S8(8, true), U16(16, false), S16(16, true), U32(32, false), S32(32, true), BIT(1, false);

        final int bits;
        final boolean signed;

        Depth(int bits, boolean signed) {
            this.bits = bits;
            this.signed = signed;
        }

        long random(Random random) {
            if (bits == 1) {
                return random.nextInt(2);
            }
            // 32-bit values stay within +-2^24 here so that float32 is exact; rounding is tested separately.
            int magnitudeBits = Math.min(bits, signed ? 25 : 24);
            long value = random.nextLong() & ((1L << magnitudeBits) - 1);
            return signed ? value - (1L << (magnitudeBits - 1)) : value;
        }
    }

    static Stream<Arguments> layouts() {
        List<Arguments> all = new ArrayList<>();
        for (String syntax : List.of(DicomBuilder.EXPLICIT_LE, DicomBuilder.IMPLICIT_LE, DicomBuilder.EXPLICIT_BE,
                DicomBuilder.RLE)) {
            for (Depth depth : Depth.values()) {
                if (depth == Depth.BIT && syntax.equals(DicomBuilder.RLE)) {
                    continue;
                }
                for (int[] shape : new int[][] { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 3, 5 } }) {
                    for (int frames : new int[] { 1, 3 }) {
                        all.add(Arguments.of(syntax, depth, shape[0], shape[1], frames));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3} x{4}")
    @MethodSource("layouts")
    void everySampleComesBackAsStored(String syntax, Depth depth, int rows, int columns, int frames) throws Exception {
        Random random = new Random(rows * 31L + columns * 7L + frames + depth.ordinal() * 1000L);
        long[][] values = new long[frames][rows * columns];
        for (long[] frame : values) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = depth.random(random);
            }
        }
        byte[] file = file(syntax, depth, rows, columns, values);
        DicomInstance dicom = reader.read(new ByteArrayInputStream(file), file.length);
        assertEquals(frames, dicom.frames().size());
        for (int f = 0; f < frames; f++) {
            Pixels pixels = dicom.frames().get(f);
            switch (depth) {
                case U8:
                case BIT:
                    assertInstanceOf(Pixels.Gray8.class, pixels);
                    break;
                case S8:
                case S16:
                    assertEquals(true, assertInstanceOf(Pixels.Gray16.class, pixels).signed());
                    break;
                case U16:
                    assertEquals(false, assertInstanceOf(Pixels.Gray16.class, pixels).signed());
                    break;
                default:
                    assertInstanceOf(Pixels.Float32.class, pixels);
            }
            for (int i = 0; i < rows * columns; i++) {
                assertEquals(values[f][i], pixels.sample(i), 0, "frame " + f + " sample " + i);
            }
            assertEquals(columns, dicom.frame(f).width());
            assertEquals(rows, dicom.frame(f).height());
        }
    }

    @Test
    void bitsOutsideBitsStoredAreDroppedAndSignExtended() throws Exception {
        // 12 bits stored in 16, High Bit 11, signed; the top 4 bits hold junk (a retired overlay).
        int[] stored = { 0xA7FF, 0x0800, 0xFFFF, 0x5001 };
        byte[] file = DicomBuilder.image(DicomBuilder.EXPLICIT_LE, 1, 4, 16, 12, true)
                .element(Tags.PIXEL_DATA, "OW", littleEndian16(stored)).bytes();
        Pixels pixels = reader.read(new ByteArrayInputStream(file), file.length).frames().get(0);
        assertEquals(2047, pixels.sample(0));
        assertEquals(-2048, pixels.sample(1));
        assertEquals(-1, pixels.sample(2));
        assertEquals(1, pixels.sample(3));
    }

    @Test
    void highBitBelowTheTopShiftsTheStoredBitsDown() throws Exception {
        // 8 bits stored ending at bit 11 of 16, unsigned: value = (raw >> 4) & 0xFF.
        byte[] file = new DicomBuilder(DicomBuilder.EXPLICIT_LE).us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME1").us(0x00280010, 1).us(0x00280011, 2).us(0x00280100, 16)
                .us(0x00280101, 8).us(0x00280102, 11).us(0x00280103, 0)
                .element(Tags.PIXEL_DATA, "OW", littleEndian16(new int[] { 0xFAB7, 0x0010 })).bytes();
        DicomInstance dicom = reader.read(new ByteArrayInputStream(file), file.length);
        assertEquals(0xAB, dicom.frames().get(0).sample(0));
        assertEquals(1, dicom.frames().get(0).sample(1));
        assertEquals("MONOCHROME1", dicom.image().photometricInterpretation());
    }

    @Test
    void thirtyTwoBitSamplesBeyondTwoToThe24AreRoundedToFloat() throws Exception {
        long[][] values = { { 16_777_217L, 4_294_967_295L } };
        byte[] file = file(DicomBuilder.EXPLICIT_LE, Depth.U32, 1, 2, values);
        Pixels pixels = reader.read(new ByteArrayInputStream(file), file.length).frames().get(0);
        assertEquals(16_777_216.0, pixels.sample(0));
        assertEquals(4_294_967_296.0, pixels.sample(1));
    }

    @Test
    void colourIsConvertedToBt601LumaInBothPlanarConfigurations() throws Exception {
        int[][] rgb = { { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 }, { 10, 20, 30 } };
        int[] expected = { 76, 150, 29, 255, 18 }; // round((299 R + 587 G + 114 B) / 1000)
        for (int planar = 0; planar <= 1; planar++) {
            ByteArrayOutputStream samples = new ByteArrayOutputStream();
            for (int component = 0; component < 3 * rgb.length; component++) {
                samples.write(planar == 0 ? rgb[component / 3][component % 3]
                        : rgb[component % rgb.length][component / rgb.length]);
            }
            byte[] file = new DicomBuilder(DicomBuilder.EXPLICIT_LE).us(0x00280002, 3).text(0x00280004, "CS", "RGB")
                    .us(0x00280006, planar).us(0x00280010, 1).us(0x00280011, rgb.length).us(0x00280100, 8)
                    .us(0x00280101, 8).us(0x00280102, 7).us(0x00280103, 0)
                    .element(Tags.PIXEL_DATA, "OB", DicomBuilder.padded(samples.toByteArray(), (byte) 0)).bytes();
            Pixels grey = reader.read(new ByteArrayInputStream(file), file.length).frames().get(0);
            assertInstanceOf(Pixels.Gray8.class, grey);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], grey.sample(i), "planar " + planar + " pixel " + i);
            }
        }
    }

    /** A file of one grey image with these frames of stored values. */
    static byte[] file(String syntax, Depth depth, int rows, int columns, long[][] values) {
        int frames = values.length;
        DicomBuilder builder = new DicomBuilder(syntax).us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2")
                .text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frames)).us(0x00280010, rows)
                .us(0x00280011, columns).us(0x00280100, depth.bits).us(0x00280101, depth.bits)
                .us(0x00280102, depth.bits - 1).us(0x00280103, depth.signed ? 1 : 0);
        boolean bigEndian = syntax.equals(DicomBuilder.EXPLICIT_BE);
        if (syntax.equals(DicomBuilder.RLE)) {
            builder.header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL).item(Tags.ITEM, 0);
            for (long[] frame : values) {
                byte[] fragment = rleFragment(frame, depth.bits / 8);
                builder.item(Tags.ITEM, fragment.length).raw(fragment);
            }
            return builder.item(Tags.SEQUENCE_DELIMITATION, 0).bytes();
        }
        ByteArrayOutputStream samples = new ByteArrayOutputStream();
        if (depth == Depth.BIT) {
            int bit = 0;
            int current = 0;
            for (long[] frame : values) {
                for (long value : frame) {
                    current |= (int) value << bit;
                    if (++bit == 8) {
                        samples.write(current);
                        bit = 0;
                        current = 0;
                    }
                }
            }
            if (bit > 0) {
                samples.write(current);
            }
        } else {
            int bytes = depth.bits / 8;
            for (long[] frame : values) {
                for (long value : frame) {
                    for (int b = 0; b < bytes; b++) {
                        int shift = bigEndian ? 8 * (bytes - 1 - b) : 8 * b;
                        samples.write((int) (value >>> shift));
                    }
                }
            }
        }
        byte[] data = DicomBuilder.padded(samples.toByteArray(), (byte) 0);
        if (bigEndian && depth.bits <= 8) {
            // In big endian OW every byte pair is swapped (PS3.5 A.3): store the pairs swapped.
            for (int i = 0; i < data.length; i += 2) {
                byte t = data[i];
                data[i] = data[i + 1];
                data[i + 1] = t;
            }
        }
        return builder.element(Tags.PIXEL_DATA, depth.bits <= 8 && !bigEndian ? "OB" : "OW", data).bytes();
    }

    /** One RLE fragment: 64-byte header, then one PackBits segment per sample byte, most significant first. */
    static byte[] rleFragment(long[] frame, int bytes) {
        List<byte[]> segments = new ArrayList<>();
        for (int b = 0; b < bytes; b++) {
            byte[] plane = new byte[frame.length];
            for (int i = 0; i < frame.length; i++) {
                plane[i] = (byte) (frame[i] >>> 8 * (bytes - 1 - b));
            }
            segments.add(DicomBuilder.padded(packBits(plane), (byte) 0x80));
        }
        ByteArrayOutputStream fragment = new ByteArrayOutputStream();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DicomBuilder.write32(header, false, segments.size());
        int offset = 64;
        for (int s = 0; s < 15; s++) {
            DicomBuilder.write32(header, false, s < segments.size() ? offset : 0);
            offset += s < segments.size() ? segments.get(s).length : 0;
        }
        fragment.writeBytes(header.toByteArray());
        segments.forEach(fragment::writeBytes);
        return fragment.toByteArray();
    }

    /** PackBits: runs of 3 or more equal bytes as repeat runs, the rest as literal runs. */
    static byte[] packBits(byte[] plane) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < plane.length) {
            int run = 1;
            while (i + run < plane.length && run < 128 && plane[i + run] == plane[i]) {
                run++;
            }
            if (run >= 3) {
                out.write(1 - run);
                out.write(plane[i]);
                i += run;
                continue;
            }
            int start = i;
            while (i < plane.length && i - start < 128
                    && !(i + 2 < plane.length && plane[i] == plane[i + 1] && plane[i] == plane[i + 2])) {
                i++;
            }
            out.write(i - start - 1);
            out.write(plane, start, i - start);
        }
        return out.toByteArray();
    }

    private static byte[] littleEndian16(int[] values) {
        byte[] bytes = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            bytes[2 * i] = (byte) values[i];
            bytes[2 * i + 1] = (byte) (values[i] >> 8);
        }
        return bytes;
    }
}

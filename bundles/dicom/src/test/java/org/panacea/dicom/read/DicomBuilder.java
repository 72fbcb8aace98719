package org.panacea.dicom.read;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small Part 10 files by hand for the cases no real sample covers (tiny images, forged lengths, nesting).
 * Elements are written in the order given; the caller keeps them ascending.
 */
final class DicomBuilder {

    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    static final String RLE = "1.2.840.10008.1.2.5";

    private final boolean explicit;
    private final boolean bigEndian;
    private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    DicomBuilder(String transferSyntax) {
        explicit = !IMPLICIT_LE.equals(transferSyntax);
        bigEndian = EXPLICIT_BE.equals(transferSyntax);
        byte[] uid = padded(transferSyntax.getBytes(StandardCharsets.US_ASCII), (byte) 0);
        writeExplicit(meta, false, 0x00020010, "UI", uid);
    }

    /** A grey image's pixel module (pixels to follow). */
    static DicomBuilder image(String transferSyntax, int rows, int columns, int bitsAllocated, int bitsStored,
            boolean signed) {
        return new DicomBuilder(transferSyntax).us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2")
                .us(0x00280010, rows).us(0x00280011, columns).us(0x00280100, bitsAllocated)
                .us(0x00280101, bitsStored).us(0x00280102, bitsStored - 1).us(0x00280103, signed ? 1 : 0);
    }

    DicomBuilder us(int tag, int value) {
        byte[] b = bigEndian ? new byte[] { (byte) (value >> 8), (byte) value }
                : new byte[] { (byte) value, (byte) (value >> 8) };
        return element(tag, "US", b);
    }

    DicomBuilder text(int tag, String vr, String value) {
        byte pad = "UI".equals(vr) ? 0 : (byte) ' ';
        return element(tag, vr, padded(value.getBytes(StandardCharsets.ISO_8859_1), pad));
    }

    DicomBuilder element(int tag, String vr, byte[] value) {
        if (explicit) {
            writeExplicit(body, bigEndian, tag, vr, value);
        } else {
            writeTag(body, false, tag);
            write32(body, false, value.length);
            body.writeBytes(value);
        }
        return this;
    }

    /** An element header with any length, and no value: the caller supplies what follows with {@link #raw}. */
    DicomBuilder header(int tag, String vr, long length) {
        writeTag(body, bigEndian, tag);
        if (explicit) {
            body.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            if (isLong(vr)) {
                body.write(0);
                body.write(0);
                write32(body, bigEndian, length);
            } else {
                write16(body, bigEndian, (int) length);
            }
        } else {
            write32(body, false, length);
        }
        return this;
    }

    /** An item, delimiter or fragment header: tag then 32-bit length. */
    DicomBuilder item(int tag, long length) {
        writeTag(body, bigEndian, tag);
        write32(body, bigEndian, length);
        return this;
    }

    DicomBuilder raw(byte[] bytes) {
        body.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] group = meta.toByteArray();
        writeExplicit(file, false, 0x00020000, "UL", new byte[] { (byte) group.length, (byte) (group.length >> 8),
                (byte) (group.length >> 16), (byte) (group.length >> 24) });
        file.writeBytes(group);
        file.writeBytes(body.toByteArray());
        return file.toByteArray();
    }

    static byte[] padded(byte[] value, byte pad) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] even = java.util.Arrays.copyOf(value, value.length + 1);
        even[value.length] = pad;
        return even;
    }

    private static boolean isLong(String vr) {
        return "OB OD OF OL OV OW SQ SV UC UN UR UT UV".contains(vr);
    }

    private static void writeExplicit(ByteArrayOutputStream out, boolean bigEndian, int tag, String vr,
            byte[] value) {
        writeTag(out, bigEndian, tag);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (isLong(vr)) {
            out.write(0);
            out.write(0);
            write32(out, bigEndian, value.length);
        } else {
            write16(out, bigEndian, value.length);
        }
        out.writeBytes(value);
    }

    private static void writeTag(ByteArrayOutputStream out, boolean bigEndian, int tag) {
        write16(out, bigEndian, tag >>> 16);
        write16(out, bigEndian, tag & 0xFFFF);
    }

    static void write16(ByteArrayOutputStream out, boolean bigEndian, int value) {
        if (bigEndian) {
            out.write(value >> 8);
            out.write(value);
        } else {
            out.write(value);
            out.write(value >> 8);
        }
    }

    static void write32(ByteArrayOutputStream out, boolean bigEndian, long value) {
        if (bigEndian) {
            write16(out, true, (int) (value >>> 16));
            write16(out, true, (int) value);
        } else {
            write16(out, false, (int) value);
            write16(out, false, (int) (value >>> 16));
        }
    }
}

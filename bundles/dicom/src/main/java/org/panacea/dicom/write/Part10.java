package org.panacea.dicom.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.panacea.dicom.read.Vr;

/**
 * Encodes a {@link DataSet} as a DICOM Part 10 file (PS3.10 7.1): the 128-byte preamble of zeros, {@code DICM}, the
 * file meta information (group 0002, its group length first) and the data set, all in Explicit VR Little Endian
 * (1.2.840.10008.1.2.1). Every value is padded to even length as PS3.5 6.2 says: UIDs with a NUL, other texts with a
 * space, binary values with a zero byte. Sequences and items have defined lengths (PS3.5 7.5.1), computed by encoding
 * each item first.
 */
final class Part10 {

    /** Explicit VR Little Endian. */
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** Implementation Version Name (0002,0013): at most 16 characters. */
    static final String IMPLEMENTATION_VERSION_NAME = "PANACEA_1";

    private static final int ITEM = 0xFFFEE000;

    private Part10() {
    }

    /** The file of {@code dataset}, whose SOP Class and Instance UIDs the file meta information repeats. */
    static byte[] file(String sopClassUid, String sopInstanceUid, DataSet dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(new byte[128]);
            out.write(new byte[] { 'D', 'I', 'C', 'M' });
            DataSet meta = new DataSet().binary(Tag.FILE_META_VERSION, Vr.OB, new byte[] { 0, 1 })
                    .text(Tag.MEDIA_STORAGE_SOP_CLASS_UID, Vr.UI, sopClassUid)
                    .text(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, Vr.UI, sopInstanceUid)
                    .text(Tag.TRANSFER_SYNTAX_UID, Vr.UI, EXPLICIT_VR_LITTLE_ENDIAN)
                    .text(Tag.IMPLEMENTATION_CLASS_UID, Vr.UI, Uids.IMPLEMENTATION_CLASS_UID)
                    .text(Tag.IMPLEMENTATION_VERSION_NAME, Vr.SH, IMPLEMENTATION_VERSION_NAME);
            byte[] metaBytes = encode(meta);
            out.write(encode(new DataSet().unsignedLongs(Tag.FILE_META_GROUP_LENGTH, metaBytes.length)));
            out.write(metaBytes);
            write(dataset, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The elements of {@code dataset}, explicit VR little endian. */
    static byte[] encode(DataSet dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(dataset, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(DataSet dataset, OutputStream out) throws IOException {
        for (DataSet.Element element : dataset.elements()) {
            if (element.vr() == Vr.SQ) {
                ByteArrayOutputStream items = new ByteArrayOutputStream();
                for (DataSet item : element.items()) {
                    byte[] content = encode(item);
                    items.write(header(ITEM, content.length));
                    items.write(content);
                }
                out.write(header(element.tag(), Vr.SQ, items.size()));
                items.writeTo(out);
                continue;
            }
            byte[] value = element.value();
            boolean odd = (value.length & 1) == 1;
            out.write(header(element.tag(), element.vr(), value.length + (odd ? 1 : 0)));
            out.write(value);
            if (odd) {
                out.write(padding(element.vr()));
            }
        }
    }

    /** PS3.5 6.2: UI is padded with NUL, binary VRs with 0, every other text VR with a space. */
    private static int padding(Vr vr) {
        return switch (vr) {
            case UI, OB, OD, OF, OL, OV, OW, UN -> 0;
            default -> ' ';
        };
    }

    private static byte[] header(int tag, Vr vr, long length) {
        if (vr.hasLongLength()) {
            return buffer(12).putShort((short) (tag >>> 16)).putShort((short) tag).put((byte) vr.name().charAt(0))
                    .put((byte) vr.name().charAt(1)).putShort((short) 0).putInt((int) length).array();
        }
        if (length > 0xFFFF) {
            throw new IllegalArgumentException(DataSet.describe(tag) + ": a value of VR " + vr + " holds at most "
                    + "65534 bytes, this one " + length);
        }
        return buffer(8).putShort((short) (tag >>> 16)).putShort((short) tag).put((byte) vr.name().charAt(0))
                .put((byte) vr.name().charAt(1)).putShort((short) length).array();
    }

    private static byte[] header(int tag, long length) {
        return buffer(8).putShort((short) (tag >>> 16)).putShort((short) tag).putInt((int) length).array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}

package org.panacea.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The DICOM Part 10 preamble and file meta information (PS3.10 7.1) put before a data set received over the network,
 * so the archive stores it exactly as a file sent by STOW-RS: the same reader, the same checks.
 */
final class Part10Header {

    private Part10Header() {
    }

    static byte[] of(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0001, "OB", new byte[] {0, 1});
        element(meta, 0x0002, "UI", uid(sopClassUid));
        element(meta, 0x0003, "UI", uid(sopInstanceUid));
        element(meta, 0x0010, "UI", uid(transferSyntaxUid));
        element(meta, 0x0012, "UI", uid(Uids.IMPLEMENTATION_CLASS_UID));
        element(meta, 0x0013, "SH", Uids.IMPLEMENTATION_VERSION.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(out, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
        out.writeBytes(meta.toByteArray());
        return out.toByteArray();
    }

    private static byte[] uid(String uid) {
        byte[] bytes = uid.getBytes(StandardCharsets.US_ASCII);
        return bytes.length % 2 == 0 ? bytes : java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) 2).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB")) {
            header.putShort((short) 0).putInt(value.length);
        } else {
            header.putShort((short) value.length);
        }
        out.write(header.array(), 0, header.position());
        out.writeBytes(value);
    }
}

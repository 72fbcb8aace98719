package org.panacea.dicom.dimse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An instance as the archive keeps it (the DICOM Part 10 bytes as received), split for sending over the network: the
 * transfer syntax its file meta information names, and where the data set starts after it.
 */
record StoredInstance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] part10,
        int dataSetOffset) {

    /**
     * Reads the file meta information of {@code part10}.
     *
     * @throws IllegalArgumentException when the bytes are not a Part 10 file with a transfer syntax
     */
    static StoredInstance of(String sopClassUid, String sopInstanceUid, byte[] part10) {
        if (part10.length < 144 || !new String(part10, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
            throw new IllegalArgumentException("instance " + sopInstanceUid + " is not stored as a Part 10 file");
        }
        ByteBuffer in = ByteBuffer.wrap(part10).order(ByteOrder.LITTLE_ENDIAN);
        int at = 132;
        String transferSyntax = null;
        while (at + 8 <= part10.length && (in.getShort(at) & 0xFFFF) == 0x0002) {
            int element = in.getShort(at + 2) & 0xFFFF;
            String vr = new String(part10, at + 4, 2, StandardCharsets.US_ASCII);
            int header;
            long length;
            if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")) {
                header = 12;
                length = in.getInt(at + 8) & 0xFFFFFFFFL;
            } else {
                header = 8;
                length = in.getShort(at + 6) & 0xFFFF;
            }
            if (at + header + length > part10.length) {
                throw new IllegalArgumentException("the file meta information of " + sopInstanceUid + " is cut short");
            }
            if (element == 0x0010) {
                transferSyntax = new String(part10, at + header, (int) length, StandardCharsets.US_ASCII)
                        .replace("\0", "").strip();
            }
            at += header + (int) length;
        }
        if (transferSyntax == null) {
            throw new IllegalArgumentException("the file meta information of " + sopInstanceUid
                    + " names no transfer syntax");
        }
        return new StoredInstance(sopClassUid, sopInstanceUid, transferSyntax, part10, at);
    }

    /** The data set, without preamble and file meta information. */
    java.io.InputStream dataSet() {
        return new java.io.ByteArrayInputStream(part10, dataSetOffset, part10.length - dataSetOffset);
    }
}

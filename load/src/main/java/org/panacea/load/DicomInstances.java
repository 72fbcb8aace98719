package org.panacea.load;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * New DICOM instances made from a sample file: the same pixels under a new patient, study, series and instance, so
 * that every STOW-RS request stores new data (a server may answer a resend of a known instance without storing
 * anything). Only the identifying top-level elements are replaced; every other byte is copied as it is. The sample
 * must be little endian (explicit or implicit VR) with a file meta header, as the repository's test files are.
 */
public final class DicomInstances {

    static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_ID = 0x00100020;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;

    private static final String IMPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    private static final String BIG_ENDIAN = "1.2.840.10008.1.2.2";

    private final byte[] sample;

    public DicomInstances(byte[] sample) {
        this.sample = sample.clone();
        // Fail on an unusable sample now rather than in the middle of a run.
        withIdentity("CHECK", "CHECK^SAMPLE", newUid(), newUid(), newUid());
    }

    /** A fresh UID: "2.25." and a random UUID as a decimal number (ISO/IEC 9834-8), 44 characters at most. */
    public static String newUid() {
        UUID uuid = UUID.randomUUID();
        BigInteger value = new BigInteger(1, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
        return "2.25." + value;
    }

    /** The sample as an instance of the given patient, study, series and SOP instance. */
    public byte[] withIdentity(String patientId, String patientName, String studyUid, String seriesUid,
            String sopInstanceUid) {
        Map<Integer, String> values = new TreeMap<>();
        values.put(SOP_INSTANCE_UID, sopInstanceUid);
        values.put(PATIENT_NAME, patientName);
        values.put(PATIENT_ID, patientId);
        values.put(STUDY_INSTANCE_UID, studyUid);
        values.put(SERIES_INSTANCE_UID, seriesUid);
        return rewrite(values);
    }

    /** Builds a {@code multipart/related; type="application/dicom"} body of the given instances. */
    public static byte[] multipart(List<byte[]> instances, String boundary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] instance : instances) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(instance);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    public static String multipartContentType(String boundary) {
        return "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
    }

    private byte[] rewrite(Map<Integer, String> values) {
        if (sample.length < 132 || sample[128] != 'D' || sample[129] != 'I' || sample[130] != 'C'
                || sample[131] != 'M') {
            throw new IllegalArgumentException("the DICOM sample has no file meta header (no DICM at 128)");
        }
        ByteBuffer in = ByteBuffer.wrap(sample).order(ByteOrder.LITTLE_ENDIAN);
        in.position(132);

        // File meta group (always explicit VR little endian): copied, with the new instance UID and a group length
        // that counts it.
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        String transferSyntax = null;
        boolean sawGroupLength = false;
        while (in.remaining() >= 8 && in.getShort(in.position()) == 0x0002) {
            Element element = Element.read(in, true);
            if (element.tag == 0x00020000) {
                sawGroupLength = true;
                continue;
            }
            if (element.tag == TRANSFER_SYNTAX_UID) {
                transferSyntax = element.text(sample).strip();
            }
            if (element.tag == MEDIA_STORAGE_SOP_INSTANCE_UID) {
                meta.writeBytes(element.replaced(sample, values.get(SOP_INSTANCE_UID)));
            } else {
                meta.writeBytes(element.bytes(sample));
            }
        }
        if (transferSyntax == null) {
            throw new IllegalArgumentException("the DICOM sample's file meta header names no transfer syntax");
        }
        if (transferSyntax.equals(BIG_ENDIAN)) {
            throw new IllegalArgumentException("big endian DICOM samples are not supported");
        }
        boolean explicit = !transferSyntax.equals(IMPLICIT_LITTLE_ENDIAN);

        ByteArrayOutputStream out = new ByteArrayOutputStream(sample.length + 256);
        out.write(sample, 0, 132);
        if (sawGroupLength) {
            ByteBuffer groupLength = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            groupLength.putShort((short) 2).putShort((short) 0).put((byte) 'U').put((byte) 'L')
                    .putShort((short) 4).putInt(meta.size());
            out.writeBytes(groupLength.array());
        }
        out.writeBytes(meta.toByteArray());

        // The data set: elements up to the last replaced tag are walked (tags ascend), the rest copied whole.
        int last = ((TreeMap<Integer, String>) values).lastKey();
        int replaced = 0;
        while (in.remaining() >= 8) {
            int tag = Element.peekTag(in);
            if (Integer.compareUnsigned(tag, last) > 0) {
                break;
            }
            Element element = Element.read(in, explicit);
            String value = values.get(element.tag);
            if (value != null) {
                out.writeBytes(element.replaced(sample, value));
                replaced++;
            } else {
                out.writeBytes(element.bytes(sample));
            }
        }
        if (replaced != values.size()) {
            throw new IllegalArgumentException("the DICOM sample lacks one of the patient, study, series and "
                    + "instance identifiers (found " + replaced + " of " + values.size() + ")");
        }
        out.write(sample, in.position(), in.remaining());
        return out.toByteArray();
    }

    /** One element of the sample: where it starts and ends, its tag, VR and where its value lies. */
    private record Element(int tag, String vr, int start, int valueStart, int end, boolean longLength) {

        private static final List<String> LONG_VRS =
                List.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

        static int peekTag(ByteBuffer in) {
            int p = in.position();
            return (Short.toUnsignedInt(in.getShort(p)) << 16) | Short.toUnsignedInt(in.getShort(p + 2));
        }

        static Element read(ByteBuffer in, boolean explicit) {
            int start = in.position();
            int tag = peekTag(in);
            in.position(start + 4);
            String vr = null;
            long length;
            boolean longLength;
            boolean item = (tag >>> 16) == 0xFFFE;
            if (explicit && !item) {
                vr = "" + (char) in.get() + (char) in.get();
                longLength = LONG_VRS.contains(vr);
                if (longLength) {
                    in.getShort();
                    length = Integer.toUnsignedLong(in.getInt());
                } else {
                    length = Short.toUnsignedInt(in.getShort());
                }
            } else {
                longLength = true;
                length = Integer.toUnsignedLong(in.getInt());
            }
            int valueStart = in.position();
            if (length == 0xFFFFFFFFL) {
                skipUndefinedLength(in, explicit);
            } else {
                in.position(valueStart + (int) length);
            }
            return new Element(tag, vr, start, valueStart, in.position(), longLength);
        }

        /** Skips nested items and elements up to the sequence (or item) delimitation that ends this value. */
        private static void skipUndefinedLength(ByteBuffer in, boolean explicit) {
            while (in.remaining() >= 8) {
                int tag = peekTag(in);
                if (tag == 0xFFFEE0DD || tag == 0xFFFEE00D) {
                    in.position(in.position() + 8);
                    return;
                }
                read(in, explicit);
            }
            throw new IllegalArgumentException("the DICOM sample ends inside a sequence");
        }

        String text(byte[] source) {
            return new String(source, valueStart, end - valueStart, StandardCharsets.US_ASCII).replace("\0", "");
        }

        byte[] bytes(byte[] source) {
            byte[] copy = new byte[end - start];
            System.arraycopy(source, start, copy, 0, copy.length);
            return copy;
        }

        /** The element with a new text value, padded to an even length as its VR wants (UI with NUL, else space). */
        byte[] replaced(byte[] source, String value) {
            byte[] text = value.getBytes(StandardCharsets.US_ASCII);
            boolean uid = "UI".equals(vr) || (vr == null && (tag >>> 16) != 0x0010);
            int length = text.length + (text.length % 2);
            int header = valueStart - start;
            ByteBuffer out = ByteBuffer.allocate(header + length).order(ByteOrder.LITTLE_ENDIAN);
            out.put(source, start, header - (longLength ? 4 : 2));
            if (longLength) {
                out.putInt(length);
            } else {
                if (length > 0xFFFF) {
                    throw new IllegalArgumentException("value too long for its element: " + value);
                }
                out.putShort((short) length);
            }
            out.put(text);
            if (text.length % 2 != 0) {
                out.put(uid ? (byte) 0 : (byte) ' ');
            }
            return out.array();
        }
    }
}

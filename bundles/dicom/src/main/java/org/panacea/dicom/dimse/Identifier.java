package org.panacea.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A query identifier (PS3.4 C.4.1.1.3): the flat list of top-level attributes of a C-FIND data set, in implicit or
 * explicit VR little endian, each with its VR (as sent, or from a small table for the implicit syntax) and its text
 * value. Sequences are skipped (no sequence matching), and anything structurally wrong is refused with what and
 * where. Encoding writes the same syntax back. Not thread-safe.
 */
final class Identifier {

    /** The longest identifier read, in bytes: a query is small. */
    static final int MAX_LENGTH = 1 << 20;
    private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC",
            "UN", "UR", "UT", "UV");
    /** VRs of the attributes Panacea answers, for identifiers sent in implicit VR. */
    private static final Map<Integer, String> KNOWN_VRS = Map.ofEntries(Map.entry(0x00080005, "CS"),
            Map.entry(0x00080016, "UI"), Map.entry(0x00080018, "UI"), Map.entry(0x00080020, "DA"),
            Map.entry(0x00080030, "TM"), Map.entry(0x00080050, "SH"), Map.entry(0x00080052, "CS"),
            Map.entry(0x00080060, "CS"), Map.entry(0x00080061, "CS"), Map.entry(0x00080090, "PN"),
            Map.entry(0x00081030, "LO"), Map.entry(0x0008103E, "LO"), Map.entry(0x00081190, "UR"),
            Map.entry(0x00100010, "PN"), Map.entry(0x00100020, "LO"), Map.entry(0x00100030, "DA"),
            Map.entry(0x00100040, "CS"), Map.entry(0x0020000D, "UI"), Map.entry(0x0020000E, "UI"),
            Map.entry(0x00200010, "SH"), Map.entry(0x00200011, "IS"), Map.entry(0x00200013, "IS"),
            Map.entry(0x00201206, "IS"), Map.entry(0x00201208, "IS"), Map.entry(0x00201209, "IS"));

    record Attribute(String vr, String value) {
    }

    private final boolean explicitVr;
    private final Map<Integer, Attribute> attributes = new LinkedHashMap<>();

    Identifier(boolean explicitVr) {
        this.explicitVr = explicitVr;
    }

    boolean explicitVr() {
        return explicitVr;
    }

    Map<Integer, Attribute> attributes() {
        return attributes;
    }

    /** The value of {@code tag} without padding, or {@code null} when the identifier does not hold it. */
    String value(int tag) {
        Attribute attribute = attributes.get(tag);
        return attribute == null ? null : attribute.value();
    }

    void put(int tag, String vr, String value) {
        attributes.put(tag, new Attribute(vr, value == null ? "" : value));
    }

    static String knownVr(int tag) {
        return KNOWN_VRS.getOrDefault(tag, "UN");
    }

    /** Reads an identifier of at most {@link #MAX_LENGTH} bytes from {@code in}. */
    static Identifier read(InputStream in, boolean explicitVr) throws IOException {
        byte[] bytes = in.readNBytes(MAX_LENGTH + 1);
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("the query identifier is longer than " + MAX_LENGTH + " bytes");
        }
        Identifier identifier = new Identifier(explicitVr);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            identifier.element(buffer, true, 0);
        }
        return identifier;
    }

    /** Reads one element; top-level ones are kept, nested ones (inside sequences) skipped. */
    private void element(ByteBuffer in, boolean keep, int depth) {
        if (depth > 8) {
            throw new IllegalArgumentException("the query identifier nests sequences deeper than 8");
        }
        need(in, 8, "an element header");
        int tag = (in.getShort() & 0xFFFF) << 16 | (in.getShort() & 0xFFFF);
        String vr;
        long length;
        if (explicitVr && (tag >>> 16) != 0xFFFE) {
            byte[] vrBytes = new byte[2];
            in.get(vrBytes);
            vr = new String(vrBytes, StandardCharsets.US_ASCII);
            if (LONG_LENGTH_VRS.contains(vr)) {
                need(in, 6, "the length of " + tagName(tag));
                in.getShort();
                length = in.getInt() & 0xFFFFFFFFL;
            } else {
                length = in.getShort() & 0xFFFF;
            }
        } else {
            vr = knownVr(tag);
            length = in.getInt() & 0xFFFFFFFFL;
        }
        if (length == 0xFFFFFFFFL) {
            skipUndefined(in, depth);
            return;
        }
        need(in, length, "the value of " + tagName(tag));
        byte[] value = new byte[(int) length];
        in.get(value);
        if (keep && !vr.equals("SQ") && (tag >>> 16) != 0xFFFE) {
            String text = new String(value, StandardCharsets.UTF_8);
            attributes.put(tag, new Attribute(vr, vr.equals("UI") ? text.replace("\0", "").strip() : text.strip()));
        }
    }

    /** Skips a sequence of undefined length: items up to the sequence delimiter. */
    private void skipUndefined(ByteBuffer in, int depth) {
        while (true) {
            need(in, 8, "an item header");
            int tag = (in.getShort() & 0xFFFF) << 16 | (in.getShort() & 0xFFFF);
            long length = in.getInt() & 0xFFFFFFFFL;
            if (tag == 0xFFFEE0DD) {
                return;
            }
            if (tag != 0xFFFEE000) {
                throw new IllegalArgumentException("a sequence in the query identifier holds " + tagName(tag)
                        + " where an item was due");
            }
            if (length != 0xFFFFFFFFL) {
                need(in, length, "an item");
                in.position(in.position() + (int) length);
                continue;
            }
            while (true) {
                need(in, 4, "an item's content");
                int next = (in.getShort(in.position()) & 0xFFFF) << 16 | (in.getShort(in.position() + 2) & 0xFFFF);
                if (next == 0xFFFEE00D) {
                    in.position(in.position() + 8);
                    break;
                }
                element(in, false, depth + 1);
            }
        }
    }

    /** The identifier in its transfer syntax; PS3.5: values padded to even length. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        attributes.entrySet().stream().sorted(Map.Entry.comparingByKey(Integer::compareUnsigned)).forEach(entry -> {
            int tag = entry.getKey();
            String vr = entry.getValue().vr();
            byte[] value = entry.getValue().value().getBytes(StandardCharsets.UTF_8);
            if (value.length % 2 != 0) {
                value = java.util.Arrays.copyOf(value, value.length + 1);
                value[value.length - 1] = vr.equals("UI") ? 0 : (byte) ' ';
            }
            ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            header.putShort((short) (tag >>> 16)).putShort((short) tag);
            if (explicitVr) {
                header.put(vr.getBytes(StandardCharsets.US_ASCII));
                if (LONG_LENGTH_VRS.contains(vr)) {
                    header.putShort((short) 0).putInt(value.length);
                } else {
                    header.putShort((short) value.length);
                }
            } else {
                header.putInt(value.length);
            }
            out.write(header.array(), 0, header.position());
            out.writeBytes(value);
        });
        return out.toByteArray();
    }

    static String tagName(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    private static void need(ByteBuffer in, long length, String what) {
        if (in.remaining() < length) {
            throw new IllegalArgumentException("the query identifier ends inside " + what);
        }
    }
}

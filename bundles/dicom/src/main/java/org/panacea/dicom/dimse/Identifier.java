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
 * A small data set of a DIMSE message (a C-FIND or retrieve identifier, PS3.4 C.4.1.1.3; a Storage Commitment
 * request and report, J.3): its top-level attributes, in implicit or explicit VR little endian, each with its VR (as
 * sent, or from a small table for the implicit syntax) and its text value, and the items of its top-level sequences
 * (deeper sequences are skipped: no sequence matching). Anything structurally wrong is refused with what and where.
 * Encoding writes the same syntax back, sequences with undefined lengths. Not thread-safe.
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
            Map.entry(0x00201206, "IS"), Map.entry(0x00201208, "IS"), Map.entry(0x00201209, "IS"),
            Map.entry(0x00081150, "UI"), Map.entry(0x00081155, "UI"), Map.entry(0x00081195, "UI"),
            Map.entry(0x00081197, "US"), Map.entry(0x00081198, "SQ"), Map.entry(0x00081199, "SQ"));

    record Attribute(String vr, String value) {
    }

    private final boolean explicitVr;
    private final Map<Integer, Attribute> attributes = new LinkedHashMap<>();
    private final Map<Integer, java.util.List<Identifier>> sequences = new LinkedHashMap<>();

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

    /** The items of the top-level sequence {@code tag}, empty when absent. */
    java.util.List<Identifier> items(int tag) {
        return sequences.getOrDefault(tag, java.util.List.of());
    }

    void putItems(int tag, java.util.List<Identifier> items) {
        sequences.put(tag, java.util.List.copyOf(items));
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
            identifier.element(buffer, identifier, 0);
        }
        return identifier;
    }

    /**
     * Reads one element into {@code into} (top level, or an item of a top-level sequence), or skips it when
     * {@code into} is {@code null}.
     */
    private void element(ByteBuffer in, Identifier into, int depth) {
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
        java.util.List<Identifier> items = into != null && depth == 0 ? new java.util.ArrayList<>() : null;
        if (length == 0xFFFFFFFFL) {
            items(in, true, items, depth);
        } else {
            need(in, length, "the value of " + tagName(tag));
            if (vr.equals("SQ")) {
                ByteBuffer sequence = in.slice(in.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
                in.position(in.position() + (int) length);
                items(sequence, false, items, depth);
            } else {
                byte[] value = new byte[(int) length];
                in.get(value);
                if (into != null && (tag >>> 16) != 0xFFFE) {
                    into.attributes.put(tag, new Attribute(vr, text(vr, value)));
                }
                return;
            }
        }
        if (items != null) {
            into.sequences.put(tag, items);
        }
    }

    private static String text(String vr, byte[] value) {
        if (vr.equals("US") && value.length == 2) {
            return Integer.toString((value[0] & 0xFF) | (value[1] & 0xFF) << 8);
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return vr.equals("UI") ? text.replace("\0", "").strip() : text.strip();
    }

    /**
     * Reads the items of a sequence: up to the sequence delimiter when {@code undefined}, else to the end of
     * {@code in}; each kept in {@code items} when not {@code null}.
     */
    private void items(ByteBuffer in, boolean undefined, java.util.List<Identifier> items, int depth) {
        while (undefined || in.hasRemaining()) {
            need(in, 8, "an item header");
            int tag = (in.getShort() & 0xFFFF) << 16 | (in.getShort() & 0xFFFF);
            long length = in.getInt() & 0xFFFFFFFFL;
            if (tag == 0xFFFEE0DD && undefined) {
                return;
            }
            if (tag != 0xFFFEE000) {
                throw new IllegalArgumentException("a sequence in the data set holds " + tagName(tag)
                        + " where an item was due");
            }
            Identifier item = items == null ? null : new Identifier(explicitVr);
            if (item != null) {
                items.add(item);
            }
            if (length != 0xFFFFFFFFL) {
                need(in, length, "an item");
                ByteBuffer content = in.slice(in.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
                in.position(in.position() + (int) length);
                while (content.hasRemaining()) {
                    element(content, item, depth + 1);
                }
                continue;
            }
            while (true) {
                need(in, 4, "an item's content");
                int next = (in.getShort(in.position()) & 0xFFFF) << 16 | (in.getShort(in.position() + 2) & 0xFFFF);
                if (next == 0xFFFEE00D) {
                    need(in, 8, "an item delimiter");
                    in.position(in.position() + 8);
                    break;
                }
                element(in, item, depth + 1);
            }
        }
    }

    /** The data set in its transfer syntax; PS3.5: values padded to even length, sequences of undefined length. */
    byte[] encode() {
        return encode(explicitVr);
    }

    /** Items are written in their parent's syntax, whatever they were made with. */
    private byte[] encode(boolean explicitVr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.TreeSet<Integer> tags = new java.util.TreeSet<>(Integer::compareUnsigned);
        tags.addAll(attributes.keySet());
        tags.addAll(sequences.keySet());
        for (int tag : tags) {
            if (sequences.containsKey(tag)) {
                ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                header.putShort((short) (tag >>> 16)).putShort((short) tag);
                if (explicitVr) {
                    header.put("SQ".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
                }
                header.putInt(-1);
                out.write(header.array(), 0, header.position());
                for (Identifier item : sequences.get(tag)) {
                    out.writeBytes(delimiter(0xFFFEE000, -1));
                    out.writeBytes(item.encode(explicitVr));
                    out.writeBytes(delimiter(0xFFFEE00D, 0));
                }
                out.writeBytes(delimiter(0xFFFEE0DD, 0));
                continue;
            }
            String vr = attributes.get(tag).vr();
            byte[] value = vr.equals("US") ? ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(
                    (short) Integer.parseInt(attributes.get(tag).value())).array()
                    : attributes.get(tag).value().getBytes(StandardCharsets.UTF_8);
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
        }
        return out.toByteArray();
    }

    private static byte[] delimiter(int tag, int length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16))
                .putShort((short) tag).putInt(length).array();
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

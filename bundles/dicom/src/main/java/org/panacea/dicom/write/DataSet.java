package org.panacea.dicom.write;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.panacea.dicom.read.Vr;

/**
 * A data set being written: elements kept in ascending tag order (PS3.5 7.1), each with its VR and its value bytes
 * (little endian), or with the items of a sequence. Values are checked as they are put, against the VR's rules that a
 * caller can get wrong (PS3.5 6.2: characters of CS, UI and DS, value lengths), so a bad value fails where it is
 * made, not in a validator later; padding to even length is {@link Part10}'s.
 */
final class DataSet {

    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9 _]*");
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    /** Longest value of each text VR, in characters (PS3.5 table 6.2-1). */
    private static final Map<Vr, Integer> MAX_LENGTH = Map.of(Vr.AE, 16, Vr.CS, 16, Vr.DS, 16, Vr.IS, 12, Vr.LO, 64,
            Vr.SH, 16, Vr.UI, 64, Vr.ST, 1024, Vr.LT, 10240, Vr.PN, 64 * 3 + 2);

    /** One element: a value, or a sequence's items. */
    record Element(int tag, Vr vr, byte[] value, List<DataSet> items) {
    }

    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);

    Collection<Element> elements() {
        return elements.values();
    }

    /** A text value of VR {@code vr} (several values joined by {@code \}); an empty value when none are given. */
    DataSet text(int tag, Vr vr, String... values) {
        for (String value : values) {
            check(tag, vr, value);
        }
        return put(tag, vr, String.join("\\", values).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A value copied as stored in another instance (patient and study attributes, which may be in the character set
     * that instance names), or an empty value when {@code bytes} is null: for type 2 attributes the source lacks.
     */
    DataSet copied(int tag, Vr vr, byte[] bytes) {
        byte[] value = bytes == null ? new byte[0] : trimPadding(bytes);
        return put(tag, vr, value);
    }

    /** Decimal strings (DS), each at most 16 characters. */
    DataSet decimals(int tag, double... values) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = decimal(values[i]);
        }
        return text(tag, Vr.DS, texts);
    }

    DataSet unsignedShorts(int tag, int... values) {
        ByteBuffer bytes = buffer(values.length * 2);
        for (int value : values) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException(describe(tag) + ": " + value + " is not an unsigned short");
            }
            bytes.putShort((short) value);
        }
        return put(tag, Vr.US, bytes.array());
    }

    DataSet unsignedLongs(int tag, long... values) {
        ByteBuffer bytes = buffer(values.length * 4);
        for (long value : values) {
            bytes.putInt((int) value);
        }
        return put(tag, Vr.UL, bytes.array());
    }

    DataSet doubles(int tag, double... values) {
        ByteBuffer bytes = buffer(values.length * 8);
        for (double value : values) {
            bytes.putDouble(value);
        }
        return put(tag, Vr.FD, bytes.array());
    }

    /** Attribute tags (AT), each written as group then element. */
    DataSet tags(int tag, int... values) {
        ByteBuffer bytes = buffer(values.length * 4);
        for (int value : values) {
            bytes.putShort((short) (value >>> 16)).putShort((short) value);
        }
        return put(tag, Vr.AT, bytes.array());
    }

    /** Binary data (OB, OW, OF) as given, already little endian. */
    DataSet binary(int tag, Vr vr, byte[] value) {
        return put(tag, vr, value);
    }

    DataSet sequence(int tag, DataSet... items) {
        return sequence(tag, Arrays.asList(items));
    }

    DataSet sequence(int tag, List<DataSet> items) {
        elements.put(tag, new Element(tag, Vr.SQ, null, List.copyOf(items)));
        return this;
    }

    /** A code sequence item: value, scheme, meaning (PS3.3 8.8). */
    static DataSet code(String value, String scheme, String meaning) {
        return new DataSet().text(Tag.CODE_VALUE, Vr.SH, value).text(Tag.CODING_SCHEME_DESIGNATOR, Vr.SH, scheme)
                .text(Tag.CODE_MEANING, Vr.LO, meaning);
    }

    /**
     * {@code text} as one value of a short text VR (LO, SH, ST): characters outside the default repertoire (and
     * control characters, and the value separator {@code \}) replaced, cut to at most {@code max} characters. Texts
     * come from plugins (names, ids, parameters), which no one here controls.
     */
    static String fit(String text, int max) {
        return cut(text.replaceAll("[^\\x20-\\x7E]", "?").replace('\\', '/'), max);
    }

    /** As {@link #fit}, for LT: lines are kept, each ending in CR LF as PS3.5 6.2 allows. */
    static String fitLines(String text, int max) {
        return cut(text.replaceAll("\\r?\\n", "\r\n").replaceAll("[^\\x20-\\x7E\\r\\n]", "?")
                .replaceAll("\r(?!\n)", "?"), max);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    /** A decimal string of at most 16 characters holding {@code value} as closely as 16 characters allow. */
    static String decimal(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a decimal string cannot hold " + value);
        }
        String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        if (plain.length() <= 16) {
            return plain;
        }
        for (int digits = 15; digits > 0; digits--) {
            String text = String.format(Locale.ROOT, "%." + digits + "G", value).replace("E+", "E");
            if (text.length() <= 16) {
                return text;
            }
        }
        throw new IllegalArgumentException("no 16-character decimal string holds " + value);
    }

    private DataSet put(int tag, Vr vr, byte[] value) {
        elements.put(tag, new Element(tag, vr, value, null));
        return this;
    }

    private static void check(int tag, Vr vr, String value) {
        Integer max = MAX_LENGTH.get(vr);
        if (max != null && value.length() > max) {
            throw new IllegalArgumentException(describe(tag) + ": '" + value + "' is longer than the " + max
                    + " characters of VR " + vr);
        }
        if (vr == Vr.CS && !CODE_STRING.matcher(value).matches()) {
            throw new IllegalArgumentException(describe(tag) + ": '" + value + "' is not a code string (A-Z, 0-9, "
                    + "space, underscore)");
        }
        if (vr == Vr.UI && !value.isEmpty() && !UID.matcher(value).matches()) {
            throw new IllegalArgumentException(describe(tag) + ": '" + value + "' is not a UID");
        }
        if (vr != Vr.LT && vr != Vr.ST && vr != Vr.UT && value.contains("\\")) {
            throw new IllegalArgumentException(describe(tag) + ": one value holds a backslash, the value separator");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x7E || c < 0x20 && c != '\r' && c != '\n') {
                throw new IllegalArgumentException(describe(tag) + ": character " + (int) c + " is not in the default"
                        + " character repertoire");
            }
        }
    }

    /** Without the trailing spaces or NULs a stored value was padded with: the writer pads again. */
    private static byte[] trimPadding(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == ' ' || bytes[end - 1] == 0)) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static String describe(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** For tests: the tags in order. */
    List<Integer> tags() {
        return new ArrayList<>(elements.keySet());
    }
}

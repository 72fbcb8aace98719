package org.panacea.dicom.read;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Decodes kept values strictly by their VR (PS3.5 6.2): a value that breaks its VR's rules is refused, naming the
 * element, rather than guessed at. Absent and empty values decode to {@code ""}, {@code null} or an empty array.
 */
final class ValueDecoder {

    /** IS: an optionally signed integer of at most 12 characters. */
    private static final Pattern INTEGER_STRING = Pattern.compile("[+-]?[0-9]{1,11}");
    /** DS: a fixed or floating point decimal of at most 16 characters (no NaN, infinities, hex or suffixes). */
    private static final Pattern DECIMAL_STRING = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    /** CS: upper-case letters, digits, space, underscore; values separated by backslashes. */
    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9 _\\\\]*");
    private static final Pattern DATE = Pattern.compile("([0-9]{4})\\.?([0-9]{2})\\.?([0-9]{2})");

    private final boolean inflated;
    private Charset charset = StandardCharsets.ISO_8859_1;

    ValueDecoder(boolean inflated) {
        this.inflated = inflated;
    }

    void charset(Charset value) {
        charset = value;
    }

    /** A single US value. */
    int unsignedShort(RawValue value) throws DicomFormatException {
        byte[] b = value.bytes();
        if (b.length != 2) {
            throw bad(value, "one 16-bit value expected, found " + b.length + " bytes");
        }
        return value.bigEndian() ? (b[0] & 0xFF) << 8 | b[1] & 0xFF : (b[1] & 0xFF) << 8 | b[0] & 0xFF;
    }

    /** Text of a string VR in the data set's character set, without padding. */
    String text(RawValue value) {
        return value == null ? "" : strip(new String(value.bytes(), charset));
    }

    /** CS values: upper-case letters, digits, space and underscore, separated by backslashes. */
    String codeString(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (!CODE_STRING.matcher(text).matches()) {
            throw bad(value, text, " is not a valid code string (CS)");
        }
        return text;
    }

    /** A UI value: digits and dots, at most 64 characters. */
    String uid(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (!text.isEmpty() && (text.length() > 64 || !UID.matcher(text).matches())) {
            throw bad(value, text, " is not a valid UID (UI)");
        }
        return text;
    }

    /** An IS value, {@code null} when empty. */
    Integer integerString(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (text.isEmpty()) {
            return null;
        }
        if (!INTEGER_STRING.matcher(text).matches()) {
            throw bad(value, text, " is not a valid integer string (IS)");
        }
        long parsed = Long.parseLong(text);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw bad(value, "integer string (IS) " + text + " is out of range");
        }
        return (int) parsed;
    }

    /** The values of a DS element, empty when the element is absent or empty. */
    double[] decimalStrings(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split("\\\\", -1);
        double[] numbers = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (!DECIMAL_STRING.matcher(part).matches()) {
                throw bad(value, text, " is not a valid decimal string (DS)");
            }
            numbers[i] = Double.parseDouble(part);
            if (!Double.isFinite(numbers[i])) {
                throw bad(value, "decimal string (DS) " + part + " is out of range");
            }
        }
        return numbers;
    }

    /** A DA value ({@code YYYYMMDD}, or the old ACR-NEMA {@code YYYY.MM.DD}), {@code null} when empty. */
    LocalDate date(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (text.isEmpty()) {
            return null;
        }
        var match = DATE.matcher(text);
        if (!match.matches()) {
            throw bad(value, text, " is not a valid date (DA)");
        }
        try {
            return LocalDate.of(Integer.parseInt(match.group(1)), Integer.parseInt(match.group(2)),
                    Integer.parseInt(match.group(3)));
        } catch (DateTimeException e) {
            throw bad(value, text, " is not a valid date (DA)");
        }
    }

    /** A problem with a kept element, reported at that element. */
    DicomFormatException error(RawValue value, String problem) {
        return new DicomFormatException(problem, value.tag(), value.offset(), inflated);
    }

    private DicomFormatException bad(RawValue value, String problem) {
        return error(value, "bad value: " + problem);
    }

    /**
     * A value that is not what its VR allows: the message quotes it (cut short); {@link
     * DicomFormatException#messageWithoutValues()} says "a value" instead, for places where a file's content must
     * not be shown.
     */
    private DicomFormatException bad(RawValue value, String text, String problem) {
        return new DicomFormatException("bad value: " + quote(text) + problem, "bad value: a value" + problem,
                value.tag(), value.offset(), inflated);
    }

    /** A value for a message: quoted, cut to 64 characters, control characters shown as '?'. */
    private static String quote(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static String ascii(RawValue value) {
        return value == null ? "" : strip(new String(value.bytes(), StandardCharsets.ISO_8859_1));
    }

    /** Without the space and NUL padding of string values (PS3.5 6.2), leading or trailing. */
    private static String strip(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\0')) {
            from++;
        }
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\0')) {
            to--;
        }
        return text.substring(from, to);
    }
}

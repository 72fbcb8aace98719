package org.panacea.dicom.read;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
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
    /** No Specific Character Set: the default repertoire, ASCII only (PS3.5 6.1.2.2). */
    private boolean defaultRepertoire = true;
    /** Code extensions (ISO 2022 escapes): bytes cannot be checked against one charset. */
    private boolean extensions;

    ValueDecoder(boolean inflated) {
        this.inflated = inflated;
    }

    void charset(Charset value) {
        charset = value;
    }

    /** The Specific Character Set value, which says which bytes {@link #checkedText} allows. */
    void characterSet(String specificCharacterSet) {
        charset = CharacterSets.forValue(specificCharacterSet);
        defaultRepertoire = specificCharacterSet.isBlank() || CharacterSets.isDefaultRepertoire(specificCharacterSet);
        extensions = specificCharacterSet.contains("\\") || specificCharacterSet.startsWith("ISO 2022");
    }

    /**
     * Text as {@link #text} gives it, checked: every byte belongs to the declared character set (ASCII when none is
     * declared), and no value (of a PN: no component group) is longer than {@code maxCharacters}.
     */
    String checkedText(RawValue value, int maxCharacters, String vr) throws DicomFormatException {
        if (value == null) {
            return "";
        }
        String text = text(value);
        if (!extensions) {
            if (defaultRepertoire) {
                for (byte b : value.bytes()) {
                    if (b < 0) {
                        throw invalid(value, String.format("holding the byte 0x%02X, which is outside the default "
                                + "character repertoire (no Specific Character Set (0008,0005) is given)", b & 0xFF));
                    }
                }
            } else {
                try {
                    charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value.bytes()));
                } catch (CharacterCodingException e) {
                    throw invalid(value, "not valid " + charset.name() + " text, the Specific Character Set given");
                }
            }
        }
        String separator = "PN".equals(vr) ? "=" : "\\\\";
        for (String part : text.split(separator, -1)) {
            if (strip(part).length() > maxCharacters) {
                throw invalid(value, "longer than the " + maxCharacters + " characters " + vr + " allows"
                        + ("PN".equals(vr) ? " per component group" : ""));
            }
        }
        return text;
    }

    /** A single US value. */
    int unsignedShort(RawValue value) throws DicomFormatException {
        byte[] b = value.bytes();
        if (b.length != 2) {
            throw error(value, "bad value: one 16-bit value expected, found " + b.length + " bytes");
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
            throw invalid(value, "not a valid code string (CS)");
        }
        for (String part : text.split("\\\\", -1)) {
            if (strip(part).length() > 16) {
                throw invalid(value, "longer than the 16 characters a code string (CS) allows");
            }
        }
        return text;
    }

    /** A UI value: digits and dots, at most 64 characters. */
    String uid(RawValue value) throws DicomFormatException {
        String text = ascii(value);
        if (!text.isEmpty() && (text.length() > 64 || !UID.matcher(text).matches())) {
            throw invalid(value, "not a valid UID (UI)");
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
            throw invalid(value, "not a valid integer string (IS)");
        }
        long parsed = Long.parseLong(text);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw invalid(value, "an integer string (IS) out of range");
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
                throw invalid(value, "not a valid decimal string (DS)");
            }
            numbers[i] = Double.parseDouble(part);
            if (!Double.isFinite(numbers[i])) {
                throw invalid(value, "a decimal string (DS) out of range");
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
            throw invalid(value, "not a valid date (DA)");
        }
        try {
            return LocalDate.of(Integer.parseInt(match.group(1)), Integer.parseInt(match.group(2)),
                    Integer.parseInt(match.group(3)));
        } catch (DateTimeException e) {
            throw invalid(value, "not a valid date (DA)");
        }
    }

    /** A problem with a kept element, reported at that element. */
    DicomFormatException error(RawValue value, String problem) {
        return new DicomFormatException(problem, value.tag(), value.offset(), inflated);
    }

    /**
     * A value that is not what its VR allows: the message quotes it (cut short); {@link
     * DicomFormatException#messageWithoutValues()} says "a value" instead, for places where a file's content must
     * not be shown.
     */
    InvalidValueException invalid(RawValue value, String problem) {
        return new InvalidValueException(ascii(value), problem, value.tag(), value.offset(), inflated);
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

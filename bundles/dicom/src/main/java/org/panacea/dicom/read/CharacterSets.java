package org.panacea.dicom.read;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Java charset for a Specific Character Set (0008,0005) value (PS3.3 C.12.1.1.2). Single-byte repertoires,
 * UTF-8, GB18030 and GBK are decoded exactly; code extensions switched by ISO 2022 escape sequences inside a value
 * (Japanese, Korean, multi-valued character sets) are not interpreted: such text is decoded with the first
 * repertoire named (ISO-8859-1 when it is unknown), and the reader logs that names may be garbled. Names and
 * descriptions are affected, never pixels.
 */
final class CharacterSets {

    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("ISO_IR 6", "US-ASCII"), Map.entry("ISO 2022 IR 6", "US-ASCII"),
            Map.entry("ISO_IR 100", "ISO-8859-1"), Map.entry("ISO 2022 IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"), Map.entry("ISO 2022 IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"), Map.entry("ISO 2022 IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"), Map.entry("ISO 2022 IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"), Map.entry("ISO 2022 IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"), Map.entry("ISO 2022 IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"), Map.entry("ISO 2022 IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"), Map.entry("ISO 2022 IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"), Map.entry("ISO 2022 IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"), Map.entry("ISO 2022 IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 166", "TIS-620"), Map.entry("ISO 2022 IR 166", "TIS-620"),
            Map.entry("ISO_IR 13", "JIS_X0201"), Map.entry("ISO 2022 IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 192", "UTF-8"), Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));

    private CharacterSets() {
    }

    /**
     * The charset for Specific Character Set: its first value ({@code ""} or absent is the default repertoire,
     * read as ISO-8859-1 so that stray non-ASCII bytes stay visible); ISO-8859-1 for an unknown repertoire.
     */
    static Charset forValue(String specificCharacterSet) {
        String javaName = JAVA_NAMES.get(firstValue(specificCharacterSet));
        if (javaName == null || "US-ASCII".equals(javaName)) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(javaName);
        } catch (IllegalArgumentException unavailable) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** {@code true} when {@link #forValue} decodes text of this character set exactly. */
    static boolean isExact(String specificCharacterSet) {
        String first = firstValue(specificCharacterSet);
        if (specificCharacterSet.contains("\\")) {
            return false;
        }
        String javaName = JAVA_NAMES.get(first);
        return first.isEmpty() || javaName != null && (javaName.equals("US-ASCII") || Charset.isSupported(javaName));
    }

    /** {@code true} for the default repertoire named explicitly (ISO_IR 6): ASCII only. */
    static boolean isDefaultRepertoire(String specificCharacterSet) {
        return "US-ASCII".equals(JAVA_NAMES.get(firstValue(specificCharacterSet)));
    }

    private static String firstValue(String specificCharacterSet) {
        return specificCharacterSet.split("\\\\", -1)[0].trim();
    }
}

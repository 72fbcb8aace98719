package org.panacea.api.imaging;

import java.util.Objects;

/**
 * A value of a DICOM file that breaks its VR's rules, stored as received (see {@link ValueChecking#LENIENT}). It
 * names the element, so that a DICOM answer can report it (STOW-RS: a Warning Reason for the instance; C-STORE: a
 * warning status with the Offending Element).
 * <p>
 * {@code received} is what the file holds, which can be patient data: it goes back to the sender only, and is never
 * logged or audited.
 *
 * @param tag      the element, as {@code group << 16 | element}
 * @param name     its name in PS3.6 ({@code Patient's Sex}), for messages
 * @param received the value as received (decoded as ISO-8859-1, without padding; cut to 64 characters)
 * @param problem  what is wrong with it ({@code not a valid code string (CS)})
 * @param reading  what the record takes instead ({@code unknown}, {@code absent}, {@code kept as received})
 * @since 1.4
 */
public record ValueWarning(int tag, String name, String received, String problem, String reading) {

    public ValueWarning {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(reading, "reading");
    }

    /** The element as DICOM writes it: {@code (0010,0040)}. */
    public String element() {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** One sentence for people: element, keyword, problem and the reading taken; without the value. */
    public String describe() {
        return name + " " + element() + ": " + problem + "; stored as received, read as " + reading;
    }
}

package org.panacea.dicom.read;

/**
 * A value that breaks its VR's rules (PS3.5 6.2): a code string with lower-case letters, an impossible date, a
 * number that is not one, a string longer than its VR allows, a byte outside the declared character set. The reader
 * refuses the file with it when values are checked strictly; when they are checked leniently, a value of a
 * non-structural attribute is reported as a warning instead (see {@link DicomInstance#warnings()}).
 *
 * @since 1.2
 */
public class InvalidValueException extends DicomFormatException {

    private static final long serialVersionUID = 1L;

    private final String received;
    private final String problem;

    InvalidValueException(String received, String problem, int tag, long offset, boolean inflatedOffset) {
        super("bad value: " + quote(received) + " is " + problem, "bad value: a value is " + problem, tag, offset,
                inflatedOffset);
        this.received = received;
        this.problem = problem;
    }

    /** The value as received (ISO-8859-1, without padding, cut to 64 characters). */
    public String received() {
        return received.length() > 64 ? received.substring(0, 64) + "..." : received;
    }

    /** What is wrong with it, e.g. {@code not a valid code string (CS)}. */
    public String problem() {
        return problem;
    }

    /** A value for a message: quoted, cut to 64 characters, control characters shown as '?'. */
    static String quote(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}

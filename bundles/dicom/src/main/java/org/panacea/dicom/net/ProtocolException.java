package org.panacea.dicom.net;

/**
 * A peer broke the upper-layer protocol (PS3.8): a PDU that is truncated, too long, of an unknown type, malformed
 * inside, or not expected now. The association is aborted with {@link #abortReason()} as the A-ABORT reason, and the
 * message says what was wrong, for the log and the audit entry.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A-ABORT reasons of PS3.8 Table 9-26 (source: service provider). */
    public static final int NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    private final int abortReason;

    public ProtocolException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    /** The A-ABORT reason to send. */
    public int abortReason() {
        return abortReason;
    }
}

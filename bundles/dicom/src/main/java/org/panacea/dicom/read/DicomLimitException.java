package org.panacea.dicom.read;

/**
 * The input declares more than the reader's configured {@link DicomReadLimits} allow (decoded pixel data larger
 * than the limit): refused before anything of that size is allocated. An endpoint answers it as "too large" (413)
 * rather than "malformed"; the message names the limit.
 */
public class DicomLimitException extends DicomFormatException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    DicomLimitException(String problem, int tag, long offset, boolean inflatedOffset, long limit) {
        super(problem, tag, offset, inflatedOffset);
        this.limit = limit;
    }

    /** The limit that was exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}

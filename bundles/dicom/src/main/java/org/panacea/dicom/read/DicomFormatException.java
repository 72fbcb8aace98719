package org.panacea.dicom.read;

import java.io.IOException;

/**
 * The input is not a DICOM Part 10 file this reader can decode: malformed, truncated, inconsistent, or using an
 * encoding it refuses. The message names the problem, the data element it concerns as {@code (gggg,eeee)} (when
 * there is one) and the byte offset where it was found: an offset in the file, or in the inflated data set for the
 * deflated transfer syntax (the message says which).
 */
public class DicomFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** {@link #tag()} when the problem concerns no particular data element. */
    public static final int NO_TAG = -1;

    private final int tag;
    private final long offset;
    private final String withoutValues;

    DicomFormatException(String problem, int tag, long offset, boolean inflatedOffset) {
        this(problem, problem, tag, offset, inflatedOffset);
    }

    /** @param problemWithoutValues the problem told without quoting the offending value */
    DicomFormatException(String problem, String problemWithoutValues, int tag, long offset, boolean inflatedOffset) {
        super(describe(problem, tag, offset, inflatedOffset));
        this.tag = tag;
        this.offset = offset;
        this.withoutValues = describe(problemWithoutValues, tag, offset, inflatedOffset);
    }

    DicomFormatException(String problem, int tag, long offset) {
        this(problem, tag, offset, false);
    }

    /** The data element concerned, as {@code group << 16 | element}, or {@link #NO_TAG}. */
    public int tag() {
        return tag;
    }

    /** Byte offset where the problem was found. */
    public long offset() {
        return offset;
    }

    /**
     * The message without the text values it may quote (a malformed UID, date, code string): for reports about
     * files on the server, which must not show what a file holds. Problem, element and offset are kept.
     */
    public String messageWithoutValues() {
        return withoutValues;
    }

    private static String describe(String problem, int tag, long offset, boolean inflatedOffset) {
        StringBuilder message = new StringBuilder(problem);
        message.append(" at ");
        if (tag != NO_TAG) {
            message.append(Tags.describe(tag)).append(", ");
        }
        message.append("byte offset ").append(offset);
        if (inflatedOffset) {
            message.append(" of the inflated data set");
        }
        return message.toString();
    }
}

package org.panacea.dicom.read;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of a DICOM stream read forwards once, through one fixed buffer, counting the offset. It knows where the
 * data ends when the caller does ({@code end}), or an upper bound of it (inflated data sets), so that declared
 * lengths can be checked before anything is allocated. Every failure is a {@link DicomFormatException} naming the
 * element being read.
 */
final class DicomInput {

    static final long UNKNOWN = Long.MAX_VALUE;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream source;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int next;
    private int filled;
    /** Offset of {@code buffer[0]} in the data. */
    private long bufferStart;
    /** Offset where the data ends, or an upper bound of it, or {@link #UNKNOWN}. */
    private final long end;
    /** {@code true} when the data is an inflated data set: {@code end} is then only a bound and offsets are inflated. */
    private final boolean inflated;
    private boolean bigEndian;

    private DicomInput(InputStream source, long start, long end, boolean inflated) {
        this.source = source;
        this.bufferStart = start;
        this.end = end;
        this.inflated = inflated;
    }

    /** A raw stream, {@code length} bytes long or {@link #UNKNOWN}. */
    static DicomInput raw(InputStream source, long length) {
        return new DicomInput(source, 0, length, false);
    }

    /** The inflated data set of a deflated file, at most {@code bound} bytes long. */
    static DicomInput inflated(InputStream inflater, long bound) {
        return new DicomInput(inflater, 0, bound, true);
    }

    long position() {
        return bufferStart + next;
    }

    boolean lengthKnown() {
        return end != UNKNOWN;
    }

    /**
     * {@code true} when the data's exact length is known (a file): declared lengths checked against it are then
     * backed by bytes that exist. An inflated data set has only an upper bound.
     */
    boolean lengthExact() {
        return end != UNKNOWN && !inflated;
    }

    boolean isInflated() {
        return inflated;
    }

    /** Bytes left before the end (or its bound); {@link #UNKNOWN} when the length is unknown. */
    long remaining() {
        return end == UNKNOWN ? UNKNOWN : end - position();
    }

    boolean bigEndian() {
        return bigEndian;
    }

    void bigEndian(boolean value) {
        bigEndian = value;
    }

    /** The unread bytes as a stream, for the inflater; this input must not be used afterwards. */
    InputStream rest() {
        InputStream buffered = new ByteArrayInputStream(buffer, next, filled - next);
        return new SequenceInputStream(buffered, source);
    }

    DicomFormatException error(String problem, int tag, long offset) {
        return new DicomFormatException(problem, tag, offset, inflated);
    }

    DicomFormatException error(String problem, int tag) {
        return error(problem, tag, position());
    }

    /**
     * Fails unless {@code length} bytes can still follow. For data of unknown length nothing can be checked here;
     * the caller's limits apply.
     */
    void requireAvailable(long length, int tag, long elementOffset) throws DicomFormatException {
        long left = remaining();
        if (length > left) {
            String bound = inflated ? "the " + left + " bytes the inflated data set may still hold (the limit, or 1032"
                    + " times the compressed bytes left)" : "the " + left + " bytes that remain";
            throw error("value length " + length + " exceeds " + bound, tag, elementOffset);
        }
    }

    /** {@code true} when no byte follows. */
    boolean atEnd(int tag) throws IOException {
        return next == filled && !fill(tag);
    }

    int u8(int tag) throws IOException {
        ensure(1, tag);
        return buffer[next++] & 0xFF;
    }

    int u16(int tag) throws IOException {
        ensure(2, tag);
        int a = buffer[next] & 0xFF;
        int b = buffer[next + 1] & 0xFF;
        next += 2;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    /** An unsigned 32-bit value. */
    long u32(int tag) throws IOException {
        ensure(4, tag);
        long a = buffer[next] & 0xFF;
        long b = buffer[next + 1] & 0xFF;
        long c = buffer[next + 2] & 0xFF;
        long d = buffer[next + 3] & 0xFF;
        next += 4;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }

    /** A tag: group then element, each in the current byte order. */
    int tag(int context) throws IOException {
        int group = u16(context);
        int element = u16(context);
        return group << 16 | element;
    }

    /** The group of the next tag, without consuming it; -1 at the end of the data. */
    int peekGroup(int context) throws IOException {
        if (!available(2, context)) {
            return -1;
        }
        int a = buffer[next] & 0xFF;
        int b = buffer[next + 1] & 0xFF;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    void readFully(byte[] target, int offset, int length, int tag) throws IOException {
        int done = 0;
        while (done < length) {
            if (next == filled && !fill(tag)) {
                throw truncated(tag, length - done);
            }
            int n = Math.min(length - done, filled - next);
            System.arraycopy(buffer, next, target, offset + done, n);
            next += n;
            done += n;
        }
    }

    /** Passes over {@code length} bytes without keeping them. */
    void skip(long length, int tag) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative skip " + length);
        }
        long left = length;
        int buffered = (int) Math.min(left, filled - next);
        next += buffered;
        left -= buffered;
        while (left > 0) {
            long target = Math.min(left, end - position());
            long skipped = 0;
            if (!inflated && target > BUFFER_BYTES) {
                // Streams may skip past their end (files do): only skip what is known to be there.
                skipped = lengthKnown() ? source.skip(target) : 0;
            }
            if (skipped > 0) {
                bufferStart += skipped;
                left -= skipped;
                continue;
            }
            if (!fill(tag)) {
                throw truncated(tag, left);
            }
            int n = (int) Math.min(left, filled - next);
            next += n;
            left -= n;
        }
    }

    private void ensure(int count, int tag) throws IOException {
        if (!available(count, tag)) {
            throw truncated(tag, count - (filled - next));
        }
    }

    private boolean available(int count, int tag) throws IOException {
        while (filled - next < count) {
            if (!fill(tag)) {
                return false;
            }
        }
        return true;
    }

    private DicomFormatException truncated(int tag, long missing) {
        return error("file ends early: " + missing + " more bytes expected", tag);
    }

    /** Reads more bytes behind the unread ones; {@code false} at the end of the data. */
    private boolean fill(int tag) throws IOException {
        if (next > 0) {
            System.arraycopy(buffer, next, buffer, 0, filled - next);
            bufferStart += next;
            filled -= next;
            next = 0;
        }
        long allowed = end - bufferStart - filled;
        if (allowed <= 0) {
            if (inflated && readSource(new byte[1], 0, 1, tag) > 0) {
                throw error("the inflated data set is longer than " + end + " bytes, the most the limits and the"
                        + " compressed size allow", tag);
            }
            return false;
        }
        // Callers ask for more only when fewer than 4 bytes are unread, so after compacting there is room.
        int n = readSource(buffer, filled, (int) Math.min(allowed, buffer.length - filled), tag);
        if (n <= 0) {
            return false;
        }
        filled += n;
        return true;
    }

    private int readSource(byte[] target, int offset, int length, int tag) throws IOException {
        try {
            return source.read(target, offset, length);
        } catch (EOFException e) {
            if (!inflated) {
                throw e;
            }
            throw error("file ends early inside the deflated data", tag);
        } catch (ZipException e) {
            if (!inflated) {
                throw e;
            }
            throw error("corrupt deflated data (" + e.getMessage() + ")", tag);
        }
    }
}

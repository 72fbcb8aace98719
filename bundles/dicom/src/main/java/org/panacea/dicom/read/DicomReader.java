package org.panacea.dicom.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DICOM Part 10 image files (PS3.10 7.1): the 128-byte preamble and {@code DICM}, the file meta information
 * (explicit VR little endian), then the data set in Implicit VR Little Endian, Explicit VR Little Endian, Explicit
 * VR Big Endian, Deflated Explicit VR Little Endian, RLE Lossless or JPEG Lossless (processes 14 and 15, grey).
 * Lossy JPEG, JPEG-LS, JPEG 2000, video and every other transfer syntax are refused by name. The reader is strict: anything malformed, truncated or inconsistent
 * is a {@link DicomFormatException} naming the problem, the element and the byte offset, and nothing else is thrown
 * for any input (except {@link IOException}s of the stream itself).
 * <p>
 * It reads forwards once: elements it does not need are skipped, not buffered, and it stops after the pixel data.
 * The pixel data is decoded straight into the frames it returns (one copy); every declared length is checked
 * against what remains of the input (when its length is known) and against {@link DicomReadLimits} before anything
 * is allocated, and an inflated data set is bounded by 1032 times the compressed bytes (deflate's best ratio).
 * Instances are thread-safe: each read has its own state.
 */
public final class DicomReader {

    private static final Logger LOG = LoggerFactory.getLogger(DicomReader.class);

    private static final int PREAMBLE = 128;
    private static final byte[] PREFIX = "DICM".getBytes(StandardCharsets.US_ASCII);
    /** Deflate cannot expand a byte to more than 1032 (a 258-byte match coded in 2 bits). */
    private static final long MAX_INFLATION = 1032;
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final DicomReadLimits limits;

    public DicomReader() {
        this(DicomReadLimits.DEFAULT);
    }

    public DicomReader(DicomReadLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public DicomInstance read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file));
        }
    }

    /**
     * Reads one file from {@code stream}, which is left open and positioned somewhere after the pixel data.
     *
     * @param length the stream's length in bytes, or a negative number when unknown (then only the limits bound
     *               allocations)
     */
    public DicomInstance read(InputStream stream, long length) throws IOException {
        return read(stream, length, Set.of()).instance();
    }

    /**
     * As {@link #read(InputStream, long)}, and besides copies the values of the top-level elements {@code copied}
     * names as they are stored (their bytes, padding included, in the file's character set), for a writer that
     * repeats them: the patient and study attributes of a derived instance, for instance. Sequences are not copied.
     *
     * @since 1.2
     */
    public CopiedInstance read(InputStream stream, long length, Set<Integer> copied) throws IOException {
        DicomInput raw = DicomInput.raw(stream, length < 0 ? DicomInput.UNKNOWN : length);
        DicomInput data = raw;
        Inflater inflater = null;
        try {
            readPreamble(raw);
            TransferSyntax syntax = readFileMeta(raw);
            if (syntax.deflated) {
                inflater = new Inflater(true);
                long bound = limits.maxInflatedBytes();
                if (raw.lengthKnown() && raw.remaining() < bound / MAX_INFLATION) {
                    bound = (raw.remaining() + 1) * MAX_INFLATION;
                }
                data = DicomInput.inflated(new InflaterInputStream(raw.rest(), inflater, 64 * 1024), bound);
            }
            data.bigEndian(syntax.bigEndian);
            ValueDecoder decoder = new ValueDecoder(data.isInflated());
            DatasetParser parser = new DatasetParser(data, syntax, limits, decoder, Set.copyOf(copied));
            parser.parse();
            return new CopiedInstance(new InstanceBuilder(parser.attributes(), decoder)
                    .build(syntax.uid, parser.format(), parser.frames()), parser.copies());
        } catch (RuntimeException defect) {
            // A safety net: no input should get here. Callers still get the one exception type the reader promises.
            DicomFormatException wrapped = new DicomFormatException("malformed input the reader failed to classify ("
                    + defect + ")", DicomFormatException.NO_TAG, data.position(), data.isInflated());
            wrapped.initCause(defect);
            throw wrapped;
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private static void readPreamble(DicomInput in) throws IOException {
        byte[] head = new byte[PREAMBLE + PREFIX.length];
        try {
            in.readFully(head, 0, head.length, DicomFormatException.NO_TAG);
        } catch (DicomFormatException e) {
            throw in.error("not a DICOM Part 10 file: shorter than the 128-byte preamble and 'DICM' prefix",
                    DicomFormatException.NO_TAG);
        }
        if (!Arrays.equals(head, PREAMBLE, head.length, PREFIX, 0, PREFIX.length)) {
            throw in.error("not a DICOM Part 10 file: no 'DICM' prefix after the 128-byte preamble",
                    DicomFormatException.NO_TAG, PREAMBLE);
        }
    }

    /** Group 0002, explicit VR little endian, ending where its group length says or where group 0002 ends. */
    private TransferSyntax readFileMeta(DicomInput in) throws IOException {
        in.bigEndian(false);
        long end = -1;
        String syntaxUid = null;
        long syntaxOffset = -1;
        ValueDecoder decoder = new ValueDecoder(false);
        while (end >= 0 ? in.position() < end : in.peekGroup(DicomFormatException.NO_TAG) == 0x0002) {
            long at = in.position();
            int tag = in.tag(DicomFormatException.NO_TAG);
            if (Tags.group(tag) != 0x0002) {
                throw in.error("element outside group 0002 inside the file meta information", tag, at);
            }
            int first = in.u8(tag);
            int second = in.u8(tag);
            Vr vr = Vr.of(first, second);
            if (vr == null) {
                throw in.error("bad VR in the file meta information", tag, at);
            }
            long length;
            if (vr.longLength) {
                in.u16(tag);
                length = in.u32(tag);
            } else {
                length = in.u16(tag);
            }
            if (length == UNDEFINED) {
                throw in.error("undefined length in the file meta information", tag, at);
            }
            in.requireAvailable(length, tag, at);
            if (end >= 0 && in.position() + length > end) {
                throw in.error("element runs past the end of the file meta information given by its group length",
                        tag, at);
            }
            if (tag == Tags.FILE_META_GROUP_LENGTH || tag == Tags.TRANSFER_SYNTAX_UID) {
                if (length > limits.maxValueBytes()) {
                    throw in.error("value of " + length + " bytes is too long", tag, at);
                }
                byte[] value = new byte[(int) length];
                in.readFully(value, 0, value.length, tag);
                RawValue raw = new RawValue(tag, value, at, false);
                if (tag == Tags.TRANSFER_SYNTAX_UID) {
                    syntaxUid = decoder.uid(raw);
                    syntaxOffset = at;
                } else if (at == PREAMBLE + PREFIX.length && end < 0) {
                    if (vr != Vr.UL || length != 4) {
                        throw in.error("the group length must be one UL value", tag, at);
                    }
                    long groupLength = (value[0] & 0xFFL) | (value[1] & 0xFFL) << 8 | (value[2] & 0xFFL) << 16
                            | (value[3] & 0xFFL) << 24;
                    in.requireAvailable(groupLength, tag, at);
                    end = in.position() + groupLength;
                }
            } else {
                in.skip(length, tag);
            }
        }
        if (syntaxUid == null || syntaxUid.isEmpty()) {
            throw in.error("missing Transfer Syntax UID in the file meta information", Tags.TRANSFER_SYNTAX_UID);
        }
        TransferSyntax syntax = TransferSyntax.of(syntaxUid);
        if (syntax == null) {
            throw in.error("unsupported transfer syntax " + syntaxUid + " (" + TransferSyntax.nameOf(syntaxUid) + ")",
                    Tags.TRANSFER_SYNTAX_UID, syntaxOffset);
        }
        LOG.debug("Reading a DICOM data set in {}", syntax.title);
        return syntax;
    }
}

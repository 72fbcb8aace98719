package org.panacea.dicom.read;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panacea.api.imaging.Pixels;

/**
 * Walks a data set element by element (PS3.5 Section 7), keeping the values the reader interprets
 * ({@link Scope}) and passing over everything else without buffering it: values of defined length are skipped, and
 * sequences and items of undefined length are walked to their delimiters. The walk ends once the top-level Pixel
 * Data is read; what follows it (trailing padding, signatures) is not read at all.
 * <p>
 * Sequences and items of defined or undefined length are walked as PS3.5 7.5 describes; a UN element of undefined
 * length is read as an implicit VR little endian sequence (PS3.5 6.2.2), and encapsulated pixel data nested in an
 * item (icons) is passed over fragment by fragment. Every length is checked against the end of its enclosing item
 * and against what remains of the input before anything is read or skipped; nesting is limited to
 * {@link DicomReadLimits#maxSequenceDepth()}. Values of odd length, which the standard forbids, are tolerated:
 * their length is still exact.
 */
final class DatasetParser {

    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** The end of a data set that runs to a delimiter (or, at the top, to the pixel data). */
    private static final long OPEN = -1;

    private enum Next {
        ELEMENT, ITEM_END, PIXELS_READ
    }

    private final DicomInput in;
    private final TransferSyntax syntax;
    private final DicomReadLimits limits;
    private final ValueDecoder decoder;
    private final RawAttributes attributes = new RawAttributes();
    /** Top-level elements whose values are copied as stored, for the caller (see {@code DicomReader.read}). */
    private final Set<Integer> copied;
    private final Map<Integer, byte[]> copies = new HashMap<>();
    private PixelFormat format;
    private List<Pixels> frames;

    DatasetParser(DicomInput in, TransferSyntax syntax, DicomReadLimits limits, ValueDecoder decoder,
            Set<Integer> copied) {
        this.copied = copied;
        this.in = in;
        this.syntax = syntax;
        this.limits = limits;
        this.decoder = decoder;
    }

    RawAttributes attributes() {
        return attributes;
    }

    /** The values of the copied top-level elements found, as stored (padding included). */
    Map<Integer, byte[]> copies() {
        return copies;
    }

    PixelFormat format() {
        return format;
    }

    List<Pixels> frames() {
        return frames;
    }

    /** Reads the data set up to and including its Pixel Data. */
    void parse() throws IOException {
        while (true) {
            if (in.atEnd(DicomFormatException.NO_TAG)) {
                throw in.error("the data set ends without Pixel Data: not an image", Tags.PIXEL_DATA);
            }
            if (element(Scope.TOP, syntax.explicitVr, OPEN, 0) == Next.PIXELS_READ) {
                return;
            }
        }
    }

    private Next element(Scope scope, boolean explicit, long end, int depth) throws IOException {
        long at = in.position();
        int tag = in.tag(DicomFormatException.NO_TAG);
        if (tag == Tags.ITEM_DELIMITATION) {
            long length = in.u32(tag);
            if (depth == 0 || end != OPEN) {
                throw in.error("Item Delimitation outside an item of undefined length", tag, at);
            }
            if (length != 0) {
                throw in.error("Item Delimitation with length " + length + " instead of 0", tag, at);
            }
            return Next.ITEM_END;
        }
        if (Tags.group(tag) == 0xFFFE) {
            throw in.error("item or delimiter outside a sequence", tag, at);
        }
        Vr vr;
        long length;
        if (explicit) {
            int first = in.u8(tag);
            int second = in.u8(tag);
            vr = Vr.of(first, second);
            if (vr == null) {
                throw in.error("bad VR " + printable(first, second), tag, at);
            }
            if (vr.longLength) {
                in.u16(tag);
                length = in.u32(tag);
            } else {
                length = in.u16(tag);
            }
        } else {
            vr = Tags.vr(tag);
            length = in.u32(tag);
        }
        if (end != OPEN && in.position() > end) {
            throw in.error("element header runs past the end of its item", tag, at);
        }
        if (depth == 0 && tag == Tags.DOUBLE_FLOAT_PIXEL_DATA) {
            throw in.error("double float pixel data (64-bit) is not supported; Float Pixel Data (7FE0,0008) is", tag,
                    at);
        }
        if (depth == 0 && tag == Tags.FLOAT_PIXEL_DATA) {
            readFloatPixelData(explicit ? vr : Vr.OF, length, at);
            return Next.PIXELS_READ;
        }
        if (depth == 0 && tag == Tags.PIXEL_DATA) {
            readPixelData(explicit ? vr : Vr.OW, length, at);
            return Next.PIXELS_READ;
        }
        if (length == UNDEFINED) {
            undefinedLength(tag, vr, explicit, scope, depth, at);
            return Next.ELEMENT;
        }
        in.requireAvailable(length, tag, at);
        if (end != OPEN && in.position() + length > end) {
            throw in.error("value length " + length + " runs past the end of its item", tag, at);
        }
        Scope inner = scope.inside(tag);
        boolean sequence = explicit ? vr == Vr.SQ : Tags.vr(tag) == Vr.SQ;
        if (sequence && inner != Scope.ELSEWHERE) {
            sequence(tag, inner, explicit, in.position() + length, depth + 1);
        } else if (scope.keeps(tag) || scope == Scope.TOP && copied.contains(tag)) {
            keep(tag, explicit ? vr : null, length, at, scope);
        } else {
            in.skip(length, tag);
        }
        return Next.ELEMENT;
    }

    private void undefinedLength(int tag, Vr vr, boolean explicit, Scope scope, int depth, long at)
            throws IOException {
        if (explicit && vr != Vr.SQ && vr != Vr.UN) {
            if (tag == Tags.PIXEL_DATA && (vr == Vr.OB || vr == Vr.OW)) {
                // Encapsulated pixel data nested in an item (an icon image): fragments to pass over.
                skipFragments(tag, depth + 1);
                return;
            }
            throw in.error("undefined length is not allowed for VR " + vr, tag, at);
        }
        boolean wasBigEndian = in.bigEndian();
        boolean implicitInside = !explicit || vr == Vr.UN;
        if (vr == Vr.UN) {
            in.bigEndian(false);
        }
        try {
            sequence(tag, scope.inside(tag), !implicitInside, OPEN, depth + 1);
        } finally {
            in.bigEndian(wasBigEndian);
        }
    }

    private void sequence(int sequenceTag, Scope scope, boolean explicit, long end, int depth) throws IOException {
        if (depth > limits.maxSequenceDepth()) {
            throw in.error("sequences nested deeper than " + limits.maxSequenceDepth(), sequenceTag);
        }
        for (int index = 0;; index++) {
            if (reachedEnd(end, sequenceTag)) {
                return;
            }
            long itemAt = in.position();
            int tag = in.tag(sequenceTag);
            long length = in.u32(sequenceTag);
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                if (end != OPEN) {
                    throw in.error("Sequence Delimitation inside a sequence of defined length", sequenceTag, itemAt);
                }
                if (length != 0) {
                    throw in.error("Sequence Delimitation with length " + length + " instead of 0", sequenceTag,
                            itemAt);
                }
                return;
            }
            if (tag != Tags.ITEM) {
                throw in.error("expected an Item (FFFE,E000) in the sequence, found " + Tags.format(tag), sequenceTag,
                        itemAt);
            }
            Scope itemScope = index == 0 ? scope : Scope.ELSEWHERE;
            if (length == UNDEFINED) {
                dataset(itemScope, explicit, OPEN, depth);
                continue;
            }
            in.requireAvailable(length, sequenceTag, itemAt);
            if (end != OPEN && in.position() + length > end) {
                throw in.error("item of " + length + " bytes runs past the end of its sequence", sequenceTag, itemAt);
            }
            if (itemScope == Scope.ELSEWHERE) {
                in.skip(length, sequenceTag);
            } else {
                dataset(itemScope, explicit, in.position() + length, depth);
            }
        }
    }

    /** The data set of one item: to {@code end}, or to its Item Delimitation when {@code end} is open. */
    private void dataset(Scope scope, boolean explicit, long end, int depth) throws IOException {
        while (!reachedEnd(end, DicomFormatException.NO_TAG)) {
            if (element(scope, explicit, end, depth) == Next.ITEM_END) {
                return;
            }
        }
    }

    /**
     * {@code true} at the defined end of a sequence or item; an error past it (content of undefined length inside
     * ran over).
     */
    private boolean reachedEnd(long end, int tag) throws DicomFormatException {
        if (end == OPEN || in.position() < end) {
            return false;
        }
        if (in.position() > end) {
            throw in.error("content of undefined length runs " + (in.position() - end)
                    + " bytes past the end of its enclosing sequence or item", tag);
        }
        return true;
    }

    private void skipFragments(int tag, int depth) throws IOException {
        if (depth > limits.maxSequenceDepth()) {
            throw in.error("sequences nested deeper than " + limits.maxSequenceDepth(), tag);
        }
        while (true) {
            long itemAt = in.position();
            int item = in.tag(tag);
            long length = in.u32(tag);
            if (item == Tags.SEQUENCE_DELIMITATION && length == 0) {
                return;
            }
            if (item != Tags.ITEM || length == UNDEFINED) {
                throw in.error("expected a fragment item of defined length, found " + Tags.format(item), tag, itemAt);
            }
            in.requireAvailable(length, tag, itemAt);
            in.skip(length, tag);
        }
    }

    private void keep(int tag, Vr declared, long length, long at, Scope scope) throws IOException {
        Vr standard = Tags.vr(tag);
        if (declared != null && standard != null && declared != standard && declared != Vr.UN) {
            throw in.error("VR " + declared + " where the standard says " + standard, tag, at);
        }
        if (length > limits.maxValueBytes()) {
            throw in.error("value of " + length + " bytes is longer than the " + limits.maxValueBytes()
                    + " bytes the reader keeps for an attribute", tag, at);
        }
        byte[] value = new byte[(int) length];
        in.readFully(value, 0, value.length, tag);
        if (scope == Scope.TOP && copied.contains(tag)) {
            copies.putIfAbsent(tag, value);
        }
        if (scope.keeps(tag)) {
            attributes.put(scope, new RawValue(tag, value, at, in.bigEndian()));
        }
    }

    /**
     * Float Pixel Data (7FE0,0008) of a Parametric Map (PS3.3 C.7.6.24): IEEE 754 32-bit samples in the transfer
     * syntax's byte order, never encapsulated.
     */
    private void readFloatPixelData(Vr vr, long length, long at) throws IOException {
        if (vr != Vr.OF && vr != Vr.UN) {
            throw in.error("Float Pixel Data must be OF, found " + vr, Tags.FLOAT_PIXEL_DATA, at);
        }
        if (length == UNDEFINED) {
            throw in.error("Float Pixel Data is never encapsulated, but its length is undefined",
                    Tags.FLOAT_PIXEL_DATA, at);
        }
        format = PixelFormat.floating(attributes, decoder, at, in.isInflated());
        if (format.outputBytes() > limits.maxPixelDataBytes()) {
            throw new DicomLimitException("the float pixel data would take " + format.outputBytes() + " bytes, more"
                    + " than the limit of " + limits.maxPixelDataBytes() + " bytes (" + mebibytes(limits
                            .maxPixelDataBytes()) + ")", Tags.FLOAT_PIXEL_DATA, at, in.isInflated(),
                    limits.maxPixelDataBytes());
        }
        in.requireAvailable(length, Tags.FLOAT_PIXEL_DATA, at);
        frames = new NativePixelReader(in, format, false).readFloats(length, at);
    }

    private void readPixelData(Vr vr, long length, long at) throws IOException {
        if (vr != Vr.OB && vr != Vr.OW && vr != Vr.UN) {
            throw in.error("Pixel Data must be OB or OW, found " + vr, Tags.PIXEL_DATA, at);
        }
        format = PixelFormat.from(attributes, decoder, at, in.isInflated());
        if (format.outputBytes() > limits.maxPixelDataBytes()) {
            throw new DicomLimitException("the decoded pixel data would take " + format.outputBytes() + " bytes ("
                    + format.rows() + " rows x " + format.columns() + " columns x " + format.frames() + " frames), more"
                    + " than the limit of " + limits.maxPixelDataBytes() + " bytes (" + mebibytes(limits
                            .maxPixelDataBytes()) + ")", Tags.PIXEL_DATA, at, in.isInflated(),
                    limits.maxPixelDataBytes());
        }
        if (syntax.rle) {
            if (length != UNDEFINED) {
                throw in.error("RLE Lossless pixel data must be encapsulated (undefined length), found length "
                        + length, Tags.PIXEL_DATA, at);
            }
            frames = new RlePixelReader(in, format).read();
            return;
        }
        if (syntax.jpegLossless) {
            if (length != UNDEFINED) {
                throw in.error("JPEG Lossless pixel data must be encapsulated (undefined length), found length "
                        + length, Tags.PIXEL_DATA, at);
            }
            frames = new JpegLosslessPixelReader(in, format).read(at);
            return;
        }
        if (length == UNDEFINED) {
            throw in.error("encapsulated pixel data in the native transfer syntax " + syntax.title, Tags.PIXEL_DATA,
                    at);
        }
        in.requireAvailable(length, Tags.PIXEL_DATA, at);
        boolean swapPairs = in.bigEndian() && vr == Vr.OW && format.bitsAllocated() <= 8;
        frames = new NativePixelReader(in, format, swapPairs).read(length, at);
    }

    private static String mebibytes(long bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static String printable(int first, int second) {
        if (first >= 0x20 && first < 0x7F && second >= 0x20 && second < 0x7F) {
            return "'" + (char) first + (char) second + "'";
        }
        return String.format("0x%02X%02X", first, second);
    }
}

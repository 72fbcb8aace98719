package org.panacea.dicom.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What every encapsulated (compressed) pixel data element starts with (PS3.5 A.4). */
final class EncapsulatedPixelData {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private EncapsulatedPixelData() {
    }

    /**
     * Reads the header of the next fragment item: its length, with that many bytes checked to be there, or -1 at the
     * Sequence Delimitation Item that ends the fragments.
     */
    static long nextFragment(DicomInput in) throws IOException {
        long itemOffset = in.position();
        int tag = in.tag(Tags.PIXEL_DATA);
        long length = in.u32(Tags.PIXEL_DATA);
        if (tag == Tags.SEQUENCE_DELIMITATION) {
            if (length != 0) {
                throw in.error("the Sequence Delimitation Item must have length 0, found " + length,
                        Tags.PIXEL_DATA, itemOffset);
            }
            return -1;
        }
        if (tag != Tags.ITEM || length == UNDEFINED) {
            throw in.error("expected a fragment item (FFFE,E000) of defined length, found " + Tags.format(tag),
                    Tags.PIXEL_DATA, itemOffset);
        }
        in.requireAvailable(length, Tags.PIXEL_DATA, itemOffset);
        return length;
    }

    /**
     * Reads past the Basic Offset Table item that opens the fragments, checking it is one. The table itself is not
     * needed: frames are found from the fragments.
     */
    static void skipOffsetTable(DicomInput in) throws IOException {
        long tableOffset = in.position();
        int tag = in.tag(Tags.PIXEL_DATA);
        long tableLength = in.u32(Tags.PIXEL_DATA);
        if (tag != Tags.ITEM) {
            throw in.error("encapsulated pixel data must start with the Basic Offset Table item (FFFE,E000), found "
                    + Tags.format(tag), Tags.PIXEL_DATA, tableOffset);
        }
        if (tableLength == UNDEFINED || tableLength % 4 != 0) {
            throw in.error("Basic Offset Table length " + tableLength + " is not a multiple of 4", Tags.PIXEL_DATA,
                    tableOffset);
        }
        in.requireAvailable(tableLength, Tags.PIXEL_DATA, tableOffset);
        in.skip(tableLength, Tags.PIXEL_DATA);
    }

    /**
     * The compressed frames of encapsulated pixel data that start at the offset table (PS3.5 A.4): one frame takes
     * every fragment when there is one frame; otherwise a frame starts at each fragment that starts with a JPEG
     * Start of Image marker (a frame may span fragments, never share one). Reads up to the Sequence Delimitation.
     */
    static List<byte[]> jpegFrames(DicomInput in, int frames, long elementOffset) throws IOException {
        skipOffsetTable(in);
        List<ByteArrayOutputStream> found = new ArrayList<>();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (true) {
            long itemOffset = in.position();
            long length = nextFragment(in);
            if (length < 0) {
                break;
            }
            total += length;
            if (total > Integer.MAX_VALUE - 8) {
                throw in.error("compressed pixel data larger than 2 GiB", Tags.PIXEL_DATA, itemOffset);
            }
            ByteArrayOutputStream frame = null;
            for (long left = length, read = 0; left > 0;) {
                int count = (int) Math.min(left, buffer.length);
                in.readFully(buffer, 0, count, Tags.PIXEL_DATA);
                if (read == 0) {
                    boolean startsImage = count >= 2 && (buffer[0] & 0xFF) == 0xFF && (buffer[1] & 0xFF) == 0xD8;
                    frame = found.isEmpty() || frames > 1 && startsImage ? new ByteArrayOutputStream()
                            : found.get(found.size() - 1);
                    if (found.isEmpty() || frame != found.get(found.size() - 1)) {
                        found.add(frame);
                        if (found.size() > frames) {
                            throw in.error("the pixel data holds more JPEG images than the " + frames
                                    + " frames Number of Frames gives", Tags.PIXEL_DATA, itemOffset);
                        }
                    }
                }
                frame.write(buffer, 0, count);
                read += count;
                left -= count;
            }
        }
        if (found.size() != frames) {
            throw in.error("the pixel data holds " + found.size() + " JPEG images but Number of Frames is " + frames,
                    Tags.PIXEL_DATA, elementOffset);
        }
        List<byte[]> result = new ArrayList<>(found.size());
        for (ByteArrayOutputStream frame : found) {
            result.add(frame.toByteArray());
        }
        return result;
    }
}

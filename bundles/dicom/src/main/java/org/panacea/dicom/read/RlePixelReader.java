package org.panacea.dicom.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.panacea.api.imaging.Pixels;

/**
 * RLE Lossless pixel data (PS3.5 A.4 and Annex G): an encapsulated sequence of a Basic Offset Table item and then
 * exactly one fragment per frame. A fragment holds a 64-byte header (segment count and offsets, little endian) and
 * one PackBits segment per byte of each sample, most significant byte first, one colour component after another.
 * Segments are decoded as they stream in, through two 64 KiB buffers, straight into the frame handed out
 * (32-bit and colour frames go through one integer array per frame first); when the input's length is not exact,
 * the frame's array grows with the decoded bytes instead of being allocated at the size the header declares. A segment that decodes to more than a
 * frame's samples is cut (encoders pad segments); one that decodes to fewer is refused.
 */
final class RlePixelReader {

    /** PackBits can at best turn 2 bytes into 128. */
    private static final int MAX_EXPANSION = 64;
    private static final int HEADER = 64;
    private static final int MAX_SEGMENTS = 15;
    private static final long UNDEFINED = 0xFFFFFFFFL;

    /** Where decoded bytes of one segment go: {@code length} bytes of {@code scratch} for samples from {@code first}. */
    private interface Segment {
        void accept(byte[] scratch, int length, int first);
    }

    private final DicomInput in;
    private final PixelFormat format;
    /** Decoded bytes on their way into the frame. */
    private final byte[] scratch = new byte[64 * 1024];
    /** Packed bytes of the segment being decoded. */
    private final byte[] packed = new byte[64 * 1024];
    private final SampleArrays arrays;
    /** The frame being decoded, in the array its type needs (grown as segments decode). */
    private byte[] unsigned8;
    private short[] shorts;
    private int[] ints;

    RlePixelReader(DicomInput in, PixelFormat format) {
        this.in = in;
        this.format = format;
        this.arrays = new SampleArrays(in.lengthExact());
    }

    List<Pixels> read() throws IOException {
        EncapsulatedPixelData.skipOffsetTable(in);

        List<Pixels> frames = new ArrayList<>(Math.min(format.frames(), 1024));
        for (int f = 0; f < format.frames(); f++) {
            long itemOffset = in.position();
            int tag = in.tag(Tags.PIXEL_DATA);
            long length = in.u32(Tags.PIXEL_DATA);
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                throw in.error("RLE pixel data holds " + f + " fragments but Number of Frames is " + format.frames()
                        + " (one fragment per frame)", Tags.PIXEL_DATA, itemOffset);
            }
            if (tag != Tags.ITEM) {
                throw in.error("expected a fragment item (FFFE,E000), found " + Tags.format(tag), Tags.PIXEL_DATA,
                        itemOffset);
            }
            if (length == UNDEFINED || length < HEADER) {
                throw in.error("RLE fragment of length " + length + " cannot hold the 64-byte RLE header",
                        Tags.PIXEL_DATA, itemOffset);
            }
            in.requireAvailable(length, Tags.PIXEL_DATA, itemOffset);
            long frameBytes = format.decodedFrameBytes();
            if (frameBytes > MAX_EXPANSION * (length - HEADER)) {
                throw in.error("RLE fragment of " + length + " bytes cannot decode to a frame of " + frameBytes
                        + " bytes", Tags.PIXEL_DATA, itemOffset);
            }
            frames.add(frame(length, f, itemOffset + 8));
        }
        long endOffset = in.position();
        int tag = in.tag(Tags.PIXEL_DATA);
        long length = in.u32(Tags.PIXEL_DATA);
        if (tag == Tags.ITEM) {
            throw in.error("more fragments than the " + format.frames() + " frames (RLE has one fragment per frame)",
                    Tags.PIXEL_DATA, endOffset);
        }
        if (tag != Tags.SEQUENCE_DELIMITATION || length != 0) {
            throw in.error("expected the Sequence Delimitation Item (FFFE,E0DD) of length 0 after the fragments, found "
                    + Tags.format(tag) + " of length " + length, Tags.PIXEL_DATA, endOffset);
        }
        return frames;
    }

    /** One frame from a fragment of {@code length} bytes starting at {@code start}. */
    private Pixels frame(long length, int frame, long start) throws IOException {
        int segments = format.samplesPerPixel() * format.bytesPerSample();
        long declared = in.u32(Tags.PIXEL_DATA);
        if (declared != segments) {
            throw in.error("RLE header of frame " + frame + " declares " + declared + " segments, the image needs "
                    + segments, Tags.PIXEL_DATA, start);
        }
        long[] ends = new long[segments];
        long previous = HEADER;
        for (int s = 0; s < MAX_SEGMENTS; s++) {
            long offset = in.u32(Tags.PIXEL_DATA);
            if (s >= segments) {
                continue;
            }
            if (s == 0 ? offset != HEADER : offset < previous || offset > length) {
                throw in.error("RLE header of frame " + frame + ": segment " + s + " offset " + offset
                        + " is out of order or outside the fragment", Tags.PIXEL_DATA, start);
            }
            if (s > 0) {
                ends[s - 1] = offset;
            }
            previous = offset;
        }
        ends[segments - 1] = length;

        int n = format.frameSamples();
        int bytes = format.bytesPerSample();
        long position = HEADER;
        // The arrays grow with the decoded bytes (see SampleArrays) unless the input's length is exact: a fragment
        // may declare far more bytes than ever arrive.
        if (format.colour()) {
            int[] weights = format.lumaWeights();
            ints = arrays.ints(n);
            for (int s = 0; s < segments; s++) {
                int weight = weights[s / bytes] << 8 * (bytes - 1 - s % bytes);
                decode(ends[s] - position, frame, s, start + position, (b, count, first) -> {
                    ints = SampleArrays.fit(ints, first + count, n);
                    for (int i = 0; i < count; i++) {
                        ints[first + i] += weight * (b[i] & 0xFF);
                    }
                });
                position = ends[s];
            }
            return Luma.toPixels(release(ints), bytes);
        }
        switch (format.bitsAllocated()) {
            case 8:
                if (!format.signed()) {
                    this.unsigned8 = arrays.bytes(n);
                    decode(ends[0] - position, frame, 0, start + position, (b, count, first) -> {
                        this.unsigned8 = SampleArrays.fit(this.unsigned8, first + count, n);
                        System.arraycopy(b, 0, this.unsigned8, first, count);
                    });
                    byte[] grey = this.unsigned8;
                    this.unsigned8 = null;
                    if (!format.storedBitsFillSample()) {
                        for (int i = 0; i < n; i++) {
                            grey[i] = (byte) format.normalise(grey[i] & 0xFF);
                        }
                    }
                    return new Pixels.Gray8(grey);
                }
                shorts = arrays.shorts(n);
                decode(ends[0] - position, frame, 0, start + position, (b, count, first) -> {
                    shorts = SampleArrays.fit(shorts, first + count, n);
                    for (int i = 0; i < count; i++) {
                        shorts[first + i] = (short) format.normalise(b[i] & 0xFF);
                    }
                });
                return new Pixels.Gray16(release(shorts), true);
            case 16:
                shorts = arrays.shorts(n);
                decode(ends[0] - position, frame, 0, start + position, (b, count, first) -> {
                    shorts = SampleArrays.fit(shorts, first + count, n);
                    for (int i = 0; i < count; i++) {
                        shorts[first + i] = (short) (b[i] << 8);
                    }
                });
                decode(ends[1] - ends[0], frame, 1, start + ends[0], (b, count, first) -> {
                    for (int i = 0; i < count; i++) {
                        shorts[first + i] |= b[i] & 0xFF;
                    }
                });
                short[] values = release(shorts);
                if (!format.storedBitsFillSample()) {
                    for (int i = 0; i < n; i++) {
                        values[i] = (short) format.normalise(values[i] & 0xFFFF);
                    }
                }
                return new Pixels.Gray16(values, format.signed());
            default:
                ints = arrays.ints(n);
                for (int s = 0; s < 4; s++) {
                    int shift = 24 - 8 * s;
                    decode(ends[s] - position, frame, s, start + position, (b, count, first) -> {
                        ints = SampleArrays.fit(ints, first + count, n);
                        for (int i = 0; i < count; i++) {
                            ints[first + i] |= (b[i] & 0xFF) << shift;
                        }
                    });
                    position = ends[s];
                }
                int[] raw = release(ints);
                float[] floats = new float[n];
                for (int i = 0; i < n; i++) {
                    floats[i] = format.toFloat(raw[i]);
                }
                return new Pixels.Float32(floats);
        }
    }

    private short[] release(short[] frame) {
        shorts = null;
        return frame;
    }

    private int[] release(int[] frame) {
        ints = null;
        return frame;
    }

    /**
     * PackBits (PS3.5 G.3.1) from the next {@code length} bytes of the stream into {@code rows x columns} bytes,
     * handed to {@code target} a scratch buffer at a time; the rest of the segment (padding) is skipped. The packed
     * bytes are read a chunk at a time too ({@code packed}); a run is at most 129 of them.
     */
    private void decode(long length, int frame, int segment, long offset, Segment target) throws IOException {
        int n = format.frameSamples();
        long unread = length;
        int at = 0;
        int limit = 0;
        int decoded = 0;
        int buffered = 0;
        while (decoded + buffered < n) {
            if (limit - at < 129 && unread > 0) {
                System.arraycopy(packed, at, packed, 0, limit - at);
                limit -= at;
                at = 0;
                int more = (int) Math.min(unread, packed.length - limit);
                in.readFully(packed, limit, more, Tags.PIXEL_DATA);
                limit += more;
                unread -= more;
            }
            if (at >= limit) {
                throw in.error("RLE segment " + segment + " of frame " + frame + " decodes to " + (decoded + buffered)
                        + " bytes, the frame needs " + n, Tags.PIXEL_DATA, offset);
            }
            if (buffered > scratch.length - 128) {
                target.accept(scratch, buffered, decoded);
                decoded += buffered;
                buffered = 0;
            }
            int header = packed[at++];
            if (header >= 0) {
                int count = header + 1;
                if (count > limit - at) {
                    throw in.error("RLE segment " + segment + " of frame " + frame + ": a literal run of " + count
                            + " bytes runs past the segment's end", Tags.PIXEL_DATA, offset);
                }
                int kept = Math.min(count, n - decoded - buffered);
                System.arraycopy(packed, at, scratch, buffered, kept);
                buffered += kept;
                at += count;
            } else if (header != -128) {
                if (at >= limit) {
                    throw in.error("RLE segment " + segment + " of frame " + frame + " ends inside a repeat run",
                            Tags.PIXEL_DATA, offset);
                }
                int kept = Math.min(1 - header, n - decoded - buffered);
                Arrays.fill(scratch, buffered, buffered + kept, packed[at++]);
                buffered += kept;
            }
        }
        target.accept(scratch, buffered, decoded);
        in.skip(unread, Tags.PIXEL_DATA);
    }
}

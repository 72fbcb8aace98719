package org.panacea.dicom.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.Pixels;

/**
 * Native (uncompressed) pixel data, read straight from the stream into the frames handed out: 8-bit grey needs no
 * other buffer; everything else goes through one 64 KiB chunk (plus, for planar colour, one integer accumulator per
 * frame). Layout per PS3.5 8.1-8.2: samples little or big endian as the transfer syntax says, 1-bit samples packed
 * least significant bit first and running on across frames, colour interleaved ({@code R G B R G B}) or planar.
 * <p>
 * When the input's length is not exact (an upload streamed in), nothing guarantees that the declared frames will
 * arrive: each frame's array then grows with the bytes read ({@link SampleArrays}), and a stream that ends early is
 * refused having cost memory in proportion to what it sent.
 */
final class NativePixelReader {

    /** A multiple of 12 bytes, so that chunks never split a sample or a colour pixel. */
    private static final int CHUNK = 64 * 1024 - 64 * 1024 % 12;

    private final DicomInput in;
    private final PixelFormat format;
    private final ByteOrder order;
    /** 8- and 1-bit data in an OW element of a big endian data set have each byte pair swapped (PS3.5 A.3). */
    private final boolean swapPairs;
    private final SampleArrays arrays;
    private byte[] chunk;
    /** The second stored byte of a swapped pair, which comes first in pixel order; -1 when none is pending. */
    private int pendingSwapped = -1;

    NativePixelReader(DicomInput in, PixelFormat format, boolean swapPairs) {
        this.in = in;
        this.format = format;
        this.order = in.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        this.swapPairs = swapPairs;
        this.arrays = new SampleArrays(in.lengthExact());
    }

    /**
     * Reads the frames from an element of {@code length} bytes (already checked against what remains) and skips
     * whatever follows them inside it.
     */
    List<Pixels> read(long length, long elementOffset) throws IOException {
        long needed = format.nativeBytes();
        if (length < needed) {
            throw in.error("pixel data too short: " + length + " bytes, but " + describe() + " need " + needed,
                    Tags.PIXEL_DATA, elementOffset);
        }
        if (swapPairs && (length & 1) == 1) {
            throw in.error("OW pixel data of odd length " + length, Tags.PIXEL_DATA, elementOffset);
        }
        List<Pixels> frames;
        long start = in.position();
        try {
            if (format.bitsAllocated() == 1) {
                frames = readBits();
            } else {
                // Sized by what is read, not by the declared count: the frames may never arrive.
                frames = new ArrayList<>(Math.min(format.frames(), 1024));
                for (int f = 0; f < format.frames(); f++) {
                    frames.add(format.colour() ? readColourFrame() : readGreyFrame());
                }
            }
        } catch (DicomFormatException e) {
            if (!in.atEnd(Tags.PIXEL_DATA)) {
                throw e;
            }
            throw in.error("file ends early: the pixel data ends after " + (in.position() - start) + " of the "
                    + needed + " bytes that " + describe() + " declare", Tags.PIXEL_DATA);
        }
        long consumed = swapPairs && (needed & 1) == 1 ? needed + 1 : needed;
        in.skip(length - consumed, Tags.PIXEL_DATA);
        return frames;
    }

    /**
     * Reads IEEE 754 32-bit frames (Float Pixel Data) from an element of {@code length} bytes and skips whatever
     * follows them inside it.
     */
    List<Pixels> readFloats(long length, long elementOffset) throws IOException {
        long needed = format.nativeBytes();
        if (length < needed) {
            throw in.error("float pixel data too short: " + length + " bytes, but " + describe() + " need " + needed,
                    Tags.FLOAT_PIXEL_DATA, elementOffset);
        }
        List<Pixels> frames = new ArrayList<>(Math.min(format.frames(), 1024));
        long start = in.position();
        try {
            for (int f = 0; f < format.frames(); f++) {
                int n = format.frameSamples();
                float[] floats = arrays.floats(n);
                for (int done = 0; done < n;) {
                    int count = Math.min(CHUNK / 4, n - done);
                    byte[] c = readChunk(count * 4);
                    floats = SampleArrays.fit(floats, done + count, n);
                    ByteBuffer.wrap(c, 0, count * 4).order(order).asFloatBuffer().get(floats, done, count);
                    done += count;
                }
                frames.add(new Pixels.Float32(floats));
            }
        } catch (DicomFormatException e) {
            if (!in.atEnd(Tags.FLOAT_PIXEL_DATA)) {
                throw e;
            }
            throw in.error("file ends early: the float pixel data ends after " + (in.position() - start) + " of the "
                    + needed + " bytes that " + describe() + " declare", Tags.FLOAT_PIXEL_DATA);
        }
        in.skip(length - needed, Tags.FLOAT_PIXEL_DATA);
        return frames;
    }

    private String describe() {
        return format.rows() + " rows x " + format.columns() + " columns x " + format.frames() + " frames x "
                + format.samplesPerPixel() + " samples x " + format.bitsAllocated() + " bits";
    }

    private Pixels readGreyFrame() throws IOException {
        int n = format.frameSamples();
        switch (format.bitsAllocated()) {
            case 8:
                if (!format.signed()) {
                    byte[] bytes = arrays.bytes(n);
                    for (int done = 0; done < n;) {
                        int count = Math.min(CHUNK, n - done);
                        bytes = SampleArrays.fit(bytes, done + count, n);
                        read(bytes, done, count);
                        done += count;
                    }
                    if (!format.storedBitsFillSample()) {
                        for (int i = 0; i < n; i++) {
                            bytes[i] = (byte) format.normalise(bytes[i] & 0xFF);
                        }
                    }
                    return new Pixels.Gray8(bytes);
                }
                short[] widened = arrays.shorts(n);
                for (int done = 0; done < n;) {
                    int count = Math.min(CHUNK, n - done);
                    byte[] c = readChunk(count);
                    widened = SampleArrays.fit(widened, done + count, n);
                    for (int i = 0; i < count; i++) {
                        widened[done + i] = (short) format.normalise(c[i] & 0xFF);
                    }
                    done += count;
                }
                return new Pixels.Gray16(widened, true);
            case 16:
                short[] shorts = arrays.shorts(n);
                for (int done = 0; done < n;) {
                    int count = Math.min(CHUNK / 2, n - done);
                    byte[] c = readChunk(count * 2);
                    shorts = SampleArrays.fit(shorts, done + count, n);
                    ByteBuffer.wrap(c, 0, count * 2).order(order).asShortBuffer()
                            .get(shorts, done, count);
                    done += count;
                }
                if (!format.storedBitsFillSample()) {
                    for (int i = 0; i < n; i++) {
                        shorts[i] = (short) format.normalise(shorts[i] & 0xFFFF);
                    }
                }
                return new Pixels.Gray16(shorts, format.signed());
            default:
                float[] floats = arrays.floats(n);
                for (int done = 0; done < n;) {
                    int count = Math.min(CHUNK / 4, n - done);
                    byte[] c = readChunk(count * 4);
                    floats = SampleArrays.fit(floats, done + count, n);
                    var ints = ByteBuffer.wrap(c, 0, count * 4).order(order).asIntBuffer();
                    for (int i = 0; i < count; i++) {
                        floats[done + i] = format.toFloat(ints.get(i));
                    }
                    done += count;
                }
                return new Pixels.Float32(floats);
        }
    }

    private Pixels readColourFrame() throws IOException {
        int n = format.frameSamples();
        int bytes = format.bytesPerSample();
        int[] weights = format.lumaWeights();
        int[] luma = arrays.ints(n);
        if (format.planarConfiguration() == 0) {
            int pixelBytes = 3 * bytes;
            for (int done = 0; done < n;) {
                int count = Math.min(CHUNK / pixelBytes, n - done);
                byte[] c = readChunk(count * pixelBytes);
                luma = SampleArrays.fit(luma, done + count, n);
                for (int i = 0; i < count; i++) {
                    int at = i * pixelBytes;
                    luma[done + i] = weights[0] * sample(c, at, bytes) + weights[1] * sample(c, at + bytes, bytes)
                            + weights[2] * sample(c, at + 2 * bytes, bytes);
                }
                done += count;
            }
        } else {
            for (int component = 0; component < 3; component++) {
                int weight = weights[component];
                for (int done = 0; done < n;) {
                    int count = Math.min(CHUNK / bytes, n - done);
                    byte[] c = readChunk(count * bytes);
                    luma = SampleArrays.fit(luma, done + count, n);
                    for (int i = 0; i < count; i++) {
                        luma[done + i] += weight * sample(c, i * bytes, bytes);
                    }
                    done += count;
                }
            }
        }
        return Luma.toPixels(luma, bytes);
    }

    private int sample(byte[] c, int at, int bytes) {
        if (bytes == 1) {
            return c[at] & 0xFF;
        }
        return order == ByteOrder.BIG_ENDIAN ? (c[at] & 0xFF) << 8 | c[at + 1] & 0xFF
                : (c[at + 1] & 0xFF) << 8 | c[at] & 0xFF;
    }

    /** 1-bit frames: bit {@code k} of the data (byte {@code k / 8}, bit {@code k % 8} from the least significant). */
    private List<Pixels> readBits() throws IOException {
        int n = format.frameSamples();
        List<Pixels> frames = new ArrayList<>(Math.min(format.frames(), 1024));
        long bytesLeft = format.nativeBytes();
        byte[] frame = arrays.bytes(n);
        int filled = 0;
        while (bytesLeft > 0) {
            int count = (int) Math.min(CHUNK, bytesLeft);
            byte[] c = readChunk(count);
            bytesLeft -= count;
            for (int i = 0; i < count; i++) {
                int packed = c[i];
                for (int bit = 0; bit < 8; bit++) {
                    if (filled == n) {
                        frames.add(new Pixels.Gray8(frame));
                        if (frames.size() == format.frames()) {
                            return frames;
                        }
                        frame = arrays.bytes(n);
                        filled = 0;
                    }
                    if (filled == frame.length) {
                        frame = SampleArrays.fit(frame, filled + 8 * (count - i), n);
                    }
                    frame[filled++] = (byte) (packed >>> bit & 1);
                }
            }
        }
        frames.add(new Pixels.Gray8(frame));
        return frames;
    }

    private byte[] readChunk(int count) throws IOException {
        if (chunk == null) {
            chunk = new byte[CHUNK];
        }
        read(chunk, 0, count);
        return chunk;
    }

    /** {@code count} bytes in pixel order. */
    private void read(byte[] target, int offset, int count) throws IOException {
        if (!swapPairs) {
            in.readFully(target, offset, count, Tags.PIXEL_DATA);
            return;
        }
        for (int i = 0; i < count; i++) {
            if (pendingSwapped >= 0) {
                target[offset + i] = (byte) pendingSwapped;
                pendingSwapped = -1;
            } else {
                int first = in.u8(Tags.PIXEL_DATA);
                target[offset + i] = (byte) in.u8(Tags.PIXEL_DATA);
                pendingSwapped = first;
            }
        }
    }
}

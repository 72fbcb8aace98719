package org.panacea.dicom.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.Pixels;

/**
 * JPEG Lossless pixel data (PS3.5 A.4.1): an encapsulated sequence of a Basic Offset Table item and fragments that
 * together hold one JPEG image per frame, each decoded by {@link JpegLosslessDecoder}. The fragments are joined
 * first (a frame may span several, and the offset table is optional), so the compressed data is held once; frames
 * are the successive JPEG images in it. Grey images of 8 or 16 bits allocated are supported; the decoded values
 * keep Bits Stored bits, sign-extended when Pixel Representation says signed, as for native data.
 */
final class JpegLosslessPixelReader {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final DicomInput in;
    private final PixelFormat format;

    JpegLosslessPixelReader(DicomInput in, PixelFormat format) {
        this.in = in;
        this.format = format;
    }

    List<Pixels> read(long elementOffset) throws IOException {
        if (format.colour() || format.samplesPerPixel() != 1) {
            throw new UnsupportedTransferSyntaxException("JPEG Lossless colour images are not supported (grey only)",
                    Tags.PIXEL_DATA, elementOffset, in.isInflated());
        }
        if (format.bitsAllocated() != 8 && format.bitsAllocated() != 16) {
            throw in.error("JPEG Lossless needs 8 or 16 Bits Allocated, found " + format.bitsAllocated(),
                    Tags.PIXEL_DATA, elementOffset);
        }
        EncapsulatedPixelData.skipOffsetTable(in);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long dataOffset = in.position();
        while (true) {
            long itemOffset = in.position();
            long length = EncapsulatedPixelData.nextFragment(in);
            if (length < 0) {
                break;
            }
            if (joined.size() + length > Integer.MAX_VALUE - 8) {
                throw in.error("compressed pixel data larger than 2 GiB", Tags.PIXEL_DATA, itemOffset);
            }
            for (long left = length; left > 0;) {
                int count = (int) Math.min(left, buffer.length);
                in.readFully(buffer, 0, count, Tags.PIXEL_DATA);
                joined.write(buffer, 0, count);
                left -= count;
            }
        }
        byte[] data = joined.toByteArray();
        List<Pixels> frames = new ArrayList<>(Math.min(format.frames(), 1024));
        int at = 0;
        for (int f = 0; f < format.frames(); f++) {
            at = nextImage(data, at);
            if (at < 0) {
                throw in.error("the pixel data holds " + f + " JPEG images but Number of Frames is "
                        + format.frames(), Tags.PIXEL_DATA, dataOffset);
            }
            JpegLosslessDecoder decoder = new JpegLosslessDecoder(data, at);
            int[] samples;
            try {
                samples = decoder.decode(format.columns(), format.rows());
            } catch (JpegLosslessDecoder.JpegException e) {
                throw in.error("frame " + (f + 1) + ": " + e.getMessage(), Tags.PIXEL_DATA, dataOffset);
            }
            if (decoder.precision() < format.bitsStored()) {
                throw in.error("frame " + (f + 1) + " has JPEG precision " + decoder.precision() + " but Bits Stored "
                        + "is " + format.bitsStored(), Tags.PIXEL_DATA, dataOffset);
            }
            frames.add(pixels(samples));
            at = decoder.end();
        }
        return frames;
    }

    /** The next SOI marker from {@code from} (fragments may be padded with a zero byte), or -1. */
    private static int nextImage(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == 0xD8) {
                return i;
            }
        }
        return -1;
    }

    /** The decoded values kept to Bits Stored bits, sign-extended when signed, in the types native data gets. */
    private Pixels pixels(int[] samples) {
        int bits = format.bitsStored();
        int mask = (1 << bits) - 1;
        int sign = 1 << (bits - 1);
        boolean signed = format.signed();
        int n = samples.length;
        if (format.bitsAllocated() == 8 && !signed) {
            byte[] grey = new byte[n];
            for (int i = 0; i < n; i++) {
                grey[i] = (byte) (samples[i] & mask);
            }
            return new Pixels.Gray8(grey);
        }
        short[] values = new short[n];
        for (int i = 0; i < n; i++) {
            int value = samples[i] & mask;
            values[i] = (short) (signed && (value & sign) != 0 ? value - (1 << bits) : value);
        }
        return new Pixels.Gray16(values, signed || format.bitsAllocated() == 8);
    }
}

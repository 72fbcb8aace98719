package org.panacea.plugins.imaging.compression;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * Lossless and near-lossless image codec: LOCO-I prediction and context modelling (see {@link ContextModel}) with
 * an adaptive binary range coder (see {@link ResidualCoder}) in place of JPEG-LS's Golomb-Rice codes. With
 * {@code near = 0} the decoded samples are bit for bit those encoded; with {@code near > 0} every decoded sample
 * differs from the original by at most {@code near} stored units (8- and 16-bit images only).
 * <p>
 * Samples are coded as order-preserving unsigned codes (see {@link SampleFormat}) minus the image's smallest code.
 * Images of a million pixels or more are cut into stripes of {@value #STRIPE_ROWS} rows coded independently and in
 * parallel; the stripe height depends only on the image size, so the same image always gives the same bytes.
 * <p>
 * Stream layout (big endian): magic {@code PNCC}, format version (1 byte), sample format (1 byte), near (2 bytes),
 * width, height (4 bytes each), smallest code, code range (8 bytes each), stripe rows (4 bytes), the byte length
 * of each stripe (4 bytes each), then the stripes. The image metadata is not part of the stream: the container
 * (DICOM, the record) keeps it.
 */
public final class PredictiveImageCodec {

    /** The largest near-lossless tolerance, in stored units. */
    public static final int MAX_NEAR = 255;

    static final int STRIPE_ROWS = 256;
    private static final int MAGIC = 0x504E4343;
    private static final int FORMAT_VERSION = 1;
    private static final int HEADER_BYTES = 4 + 1 + 1 + 2 + 4 + 4 + 8 + 8 + 4;
    private static final long PARALLEL_PIXELS = 1 << 20;

    private PredictiveImageCodec() {
    }

    /**
     * Encodes an image.
     *
     * @param image the image; 8-bit, 16-bit (signed or not) or 32-bit real
     * @param near  the largest error allowed per sample, 0 for lossless; must be 0 for real samples
     * @throws IllegalArgumentException when {@code near} is out of range
     */
    public static byte[] encode(Image image, int near) {
        Pixels pixels = image.pixels();
        SampleFormat format = SampleFormat.of(pixels);
        if (near < 0 || near > MAX_NEAR) {
            throw new IllegalArgumentException("near must be between 0 and " + MAX_NEAR + ", was " + near);
        }
        if (near > 0 && format == SampleFormat.FLOAT32) {
            throw new IllegalArgumentException("near must be 0 (lossless) for 32-bit real samples, was " + near);
        }
        int width = image.width();
        int height = image.height();
        long[] row = new long[width];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int y = 0; y < height; y++) {
            format.read(pixels, y * width, width, row, 0);
            for (long code : row) {
                min = Math.min(min, code);
                max = Math.max(max, code);
            }
        }
        long first = min;
        long range = max - min;
        int stripeRows = stripeRows(width, height);
        int stripes = (height + stripeRows - 1) / stripeRows;
        byte[][] coded = new byte[stripes][];
        IntStream indices = IntStream.range(0, stripes);
        (stripes > 1 && ImagingThreads.parallel() ? indices.parallel() : indices).forEach(s -> {
            int y0 = s * stripeRows;
            int rows = Math.min(stripeRows, height - y0);
            RangeEncoder out = new RangeEncoder(width * rows * format.bits / 16);
            new StripeCoder(width, range, near).encode(pixels, format, y0, rows, first, out);
            coded[s] = out.finish();
        });
        int total = HEADER_BYTES + 4 * stripes;
        for (byte[] c : coded) {
            total += c.length;
        }
        ByteBuffer stream = ByteBuffer.allocate(total);
        stream.putInt(MAGIC).put((byte) FORMAT_VERSION).put((byte) format.ordinal()).putShort((short) near)
                .putInt(width).putInt(height).putLong(first).putLong(range).putInt(stripeRows);
        for (byte[] c : coded) {
            stream.putInt(c.length);
        }
        for (byte[] c : coded) {
            stream.put(c);
        }
        return stream.array();
    }

    /**
     * Decodes a stream made by {@link #encode}.
     *
     * @param stream   the coded bytes
     * @param metadata the metadata to give the decoded image (not carried by the stream)
     * @throws IllegalArgumentException when the stream is not one of this codec's or is damaged
     */
    public static Image decode(byte[] stream, ImageMetadata metadata) {
        if (stream.length < HEADER_BYTES) {
            throw new IllegalArgumentException("not a Panacea predictive stream: " + stream.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(stream);
        if (in.getInt() != MAGIC || in.get() != FORMAT_VERSION) {
            throw new IllegalArgumentException("not a Panacea predictive stream of format version " + FORMAT_VERSION);
        }
        int formatIndex = in.get();
        int near = in.getShort() & 0xFFFF;
        int width = in.getInt();
        int height = in.getInt();
        long first = in.getLong();
        long range = in.getLong();
        int stripeRows = in.getInt();
        if (formatIndex < 0 || formatIndex >= SampleFormat.values().length || width < 1 || height < 1
                || (long) width * height > Integer.MAX_VALUE || range < 0 || range > 0xFFFFFFFFL
                || near > MAX_NEAR || stripeRows < 1) {
            throw new IllegalArgumentException("damaged stream header");
        }
        SampleFormat format = SampleFormat.values()[formatIndex];
        int stripes = (height + stripeRows - 1) / stripeRows;
        if (in.remaining() < 4L * stripes) {
            throw new IllegalArgumentException("damaged stream: stripe table cut short");
        }
        int[] offsets = new int[stripes];
        int[] lengths = new int[stripes];
        long offset = HEADER_BYTES + 4L * stripes;
        for (int s = 0; s < stripes; s++) {
            lengths[s] = in.getInt();
            offsets[s] = (int) offset;
            offset += lengths[s] & 0xFFFFFFFFL;
        }
        if (offset != stream.length) {
            throw new IllegalArgumentException("damaged stream: stripes hold " + offset + " bytes, stream has "
                    + stream.length);
        }
        Object samples = format.newSamples(width * height);
        IntStream indices = IntStream.range(0, stripes);
        (stripes > 1 && ImagingThreads.parallel() ? indices.parallel() : indices).forEach(s -> {
            int y0 = s * stripeRows;
            int rows = Math.min(stripeRows, height - y0);
            RangeDecoder decoder = new RangeDecoder(stream, offsets[s], lengths[s]);
            new StripeCoder(width, range, near).decode(decoder, format, y0, rows, first, samples);
        });
        return new Image(width, height, format.pixels(samples), metadata);
    }

    /** Rows per independently coded stripe: the whole image below a million pixels. */
    static int stripeRows(int width, int height) {
        return (long) width * height >= PARALLEL_PIXELS ? STRIPE_ROWS : height;
    }
}

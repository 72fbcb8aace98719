package org.panacea.dicom.read;

/**
 * One grey JPEG lossless image (ITU-T T.81 Annex H, processes 14 and 15: Huffman-coded differences from one of
 * the seven predictors, with a point transform), as DICOM's JPEG Lossless transfer syntaxes carry it (PS3.5 A.4.1,
 * 1.2.840.10008.1.2.4.57 and .70). Reads from {@code start} of {@code data} to the image's EOI marker and returns
 * the samples in raster order, each the decoded value of {@code precision} bits (before any DICOM sign handling).
 * <p>
 * Refused, with a {@link JpegException} naming the problem and its byte offset: other JPEG processes (baseline,
 * extended, progressive, arithmetic coding, hierarchical), more than one component, a size that differs from the
 * DICOM header's, a missing Huffman table, restart intervals that do not start a row, and streams that end early.
 */
final class JpegLosslessDecoder {

    /** A malformed or unsupported JPEG stream. */
    static final class JpegException extends Exception {
        private static final long serialVersionUID = 1L;

        JpegException(String message) {
            super(message);
        }
    }

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOF3 = 0xC3;
    private static final int DHT = 0xC4;
    private static final int SOS = 0xDA;
    private static final int DRI = 0xDD;
    private static final int DNL = 0xDC;

    private final byte[] data;
    private int at;
    /** Huffman tables by destination 0..3: for each code length 1..16, first code, count and values. */
    private final HuffmanTable[] tables = new HuffmanTable[4];
    private int restartInterval;
    private int precision;
    private int width;
    private int height;
    private int componentId;

    // Bit reader state over the entropy-coded segment.
    private int bitBuffer;
    private int bitCount;
    private boolean markerReached;

    JpegLosslessDecoder(byte[] data, int start) {
        this.data = data;
        this.at = start;
    }

    /** Where the image ended (just after its EOI marker). */
    int end() {
        return at;
    }

    int precision() {
        return precision;
    }

    /** Decodes the image, which must be {@code columns} x {@code rows}. */
    int[] decode(int columns, int rows) throws JpegException {
        if (u8() != 0xFF || u8() != SOI) {
            throw error("a JPEG image must start with the SOI marker (FFD8)", at - 2);
        }
        boolean frameSeen = false;
        int[] samples = null;
        while (true) {
            int marker = marker();
            switch (marker) {
                case SOF3 -> {
                    frame(columns, rows);
                    frameSeen = true;
                }
                case DHT -> huffmanTables();
                case DRI -> {
                    if (u16() != 4) {
                        throw error("DRI segment length must be 4", at - 2);
                    }
                    restartInterval = u16();
                }
                case SOS -> {
                    if (!frameSeen) {
                        throw error("scan (SOS) before the frame header (SOF3)", at - 2);
                    }
                    if (samples != null) {
                        throw error("more than one scan: only single-component, single-scan images are supported",
                                at - 2);
                    }
                    samples = scan();
                }
                case EOI -> {
                    if (samples == null) {
                        throw error("the image ends (EOI) without a scan", at - 2);
                    }
                    return samples;
                }
                case DNL -> throw error("a DNL marker (lines defined after the scan) is not supported", at - 2);
                default -> {
                    if (marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != 0xCC) {
                        throw error(String.format("JPEG process SOF%d (FF%02X) is not lossless Huffman (SOF3); "
                                + "the transfer syntax says JPEG Lossless", marker - 0xC0, marker), at - 2);
                    }
                    if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE || marker == 0xCC || marker == 0xC8
                            || marker == 0xDB || marker == 0xDE || marker == 0xDF) {
                        skipSegment();
                    } else {
                        throw error(String.format("unexpected marker FF%02X", marker), at - 2);
                    }
                }
            }
        }
    }

    private void frame(int columns, int rows) throws JpegException {
        int start = at;
        int length = u16();
        precision = u8();
        height = u16();
        width = u16();
        int components = u8();
        if (precision < 2 || precision > 16) {
            throw error("sample precision " + precision + " is outside 2..16", start);
        }
        if (components != 1) {
            throw error("the frame has " + components + " components; only grey (1 component) JPEG lossless is "
                    + "supported", start);
        }
        if (length != 8 + 3 * components) {
            throw error("frame header length " + length + " does not match its " + components + " component(s)",
                    start);
        }
        componentId = u8();
        int sampling = u8();
        u8(); // quantisation table: unused in lossless
        if (sampling != 0x11) {
            throw error("sampling factors must be 1x1 for one component, were " + Integer.toHexString(sampling),
                    start);
        }
        if (width != columns || height != rows) {
            throw error("the JPEG image is " + width + "x" + height + " but the DICOM header says " + columns + "x"
                    + rows, start);
        }
    }

    private void huffmanTables() throws JpegException {
        int start = at;
        int end = at + u16();
        while (at < end) {
            int classAndId = u8();
            if ((classAndId >> 4) != 0 || (classAndId & 0x0F) > 3) {
                throw error("Huffman table class/destination " + Integer.toHexString(classAndId)
                        + " is not a DC table 0..3 (lossless uses DC tables)", at - 1);
            }
            int[] counts = new int[17];
            int total = 0;
            for (int length = 1; length <= 16; length++) {
                counts[length] = u8();
                total += counts[length];
            }
            if (total > 256) {
                throw error("Huffman table declares " + total + " codes, more than 256", start);
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8();
                if (values[i] > 16) {
                    throw error("Huffman table value " + values[i] + " is not a difference category 0..16", at - 1);
                }
            }
            tables[classAndId & 0x0F] = new HuffmanTable(counts, values);
        }
        if (at != end) {
            throw error("DHT segment length does not match its tables", start);
        }
    }

    private int[] scan() throws JpegException {
        int start = at;
        int length = u16();
        int components = u8();
        if (components != 1 || length != 8) {
            throw error("the scan must have exactly one component", start);
        }
        if (u8() != componentId) {
            throw error("the scan's component is not the frame's", start);
        }
        int tableIds = u8();
        int predictor = u8();
        int end = u8();
        int approximation = u8();
        HuffmanTable table = tables[tableIds >> 4];
        if (table == null) {
            throw error("the scan uses Huffman table " + (tableIds >> 4) + ", which was not defined", start);
        }
        if (predictor < 1 || predictor > 7) {
            throw error("predictor " + predictor + " is not 1..7 (0 is for hierarchical mode)", start);
        }
        if (end != 0) {
            throw error("Se must be 0 in lossless mode, was " + end, start);
        }
        int pointTransform = approximation & 0x0F;
        if (pointTransform >= precision) {
            throw error("point transform " + pointTransform + " is not below the precision " + precision, start);
        }
        if (restartInterval != 0 && restartInterval % width != 0) {
            throw error("restart interval " + restartInterval + " does not start rows of " + width + " samples",
                    start);
        }
        int mask = (1 << precision) - 1;
        int initial = 1 << (precision - pointTransform - 1);
        // Every sample takes at least one bit of Huffman code: data too short for the frame is refused before the
        // frame's samples are allocated.
        long samplesLeft = 8L * (data.length - at);
        if ((long) width * height > samplesLeft) {
            throw error("the " + (data.length - at) + " bytes of compressed data left cannot hold the " + width + "x"
                    + height + " samples the frame declares (each takes at least one bit)", start);
        }
        int[] samples = new int[width * height];
        int rowsPerInterval = restartInterval == 0 ? Integer.MAX_VALUE : restartInterval / width;
        bitCount = 0;
        bitBuffer = 0;
        markerReached = false;
        for (int y = 0; y < height; y++) {
            boolean firstRow = y % rowsPerInterval == 0;
            if (firstRow && y > 0) {
                restart(start);
            }
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int prediction;
                if (firstRow) {
                    prediction = x == 0 ? initial : samples[row + x - 1];
                } else if (x == 0) {
                    prediction = samples[row - width];
                } else {
                    int a = samples[row + x - 1];
                    int b = samples[row - width + x];
                    int c = samples[row - width + x - 1];
                    prediction = switch (predictor) {
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> c;
                        case 4 -> a + b - c;
                        case 5 -> a + ((b - c) >> 1);
                        case 6 -> b + ((a - c) >> 1);
                        default -> (a + b) >> 1;
                    };
                }
                // Differences are modulo 2^16 (H.1.2.1); the sample keeps the precision's bits.
                samples[row + x] = (prediction + difference(table)) & mask & 0xFFFF;
            }
        }
        // Skip to the marker after the entropy-coded data (padding bits and bytes).
        while (!markerReached && at < data.length) {
            if ((data[at] & 0xFF) == 0xFF && at + 1 < data.length && (data[at + 1] & 0xFF) != 0) {
                break;
            }
            at++;
        }
        if (pointTransform > 0) {
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (samples[i] << pointTransform) & ((1 << precision) - 1);
            }
        }
        return samples;
    }

    /** At a restart: the next marker must be RSTn; the bit reader starts afresh. */
    private void restart(int scanStart) throws JpegException {
        bitCount = 0;
        bitBuffer = 0;
        markerReached = false;
        while (at + 1 < data.length && !((data[at] & 0xFF) == 0xFF && (data[at + 1] & 0xFF) != 0)) {
            at++;
        }
        if (at + 1 >= data.length || (data[at + 1] & 0xF8) != 0xD0) {
            throw error("expected a restart marker (RSTn) every " + restartInterval + " samples", at);
        }
        at += 2;
    }

    /** One Huffman-coded difference (H.1.2.2): a category SSSS, then SSSS extra bits; 16 means 32768. */
    private int difference(HuffmanTable table) throws JpegException {
        int code = 0;
        int category = -1;
        for (int length = 1; length <= 16; length++) {
            code = (code << 1) | bit();
            if (code <= table.maxCode[length]) {
                category = table.values[table.valuePointer[length] + code - table.minCode[length]];
                break;
            }
        }
        if (category < 0) {
            throw error("a Huffman code matches no table entry (corrupt data)", at);
        }
        if (category == 0) {
            return 0;
        }
        if (category == 16) {
            return 32768;
        }
        int bits = 0;
        for (int i = 0; i < category; i++) {
            bits = (bits << 1) | bit();
        }
        // Extend (F.2.2.1): a leading 0 bit means a negative difference.
        return bits < (1 << (category - 1)) ? bits - (1 << category) + 1 : bits;
    }

    private int bit() throws JpegException {
        if (bitCount == 0) {
            if (markerReached) {
                // Past the end of the entropy-coded data: T.81 pads with 1-bits, but a full image needs no more.
                throw error("the compressed data ends before the image is complete", at);
            }
            if (at >= data.length) {
                throw error("the compressed data ends before the image is complete", at);
            }
            int b = data[at] & 0xFF;
            if (b == 0xFF) {
                int next = at + 1 < data.length ? data[at + 1] & 0xFF : -1;
                if (next == 0) {
                    at += 2;
                } else {
                    markerReached = true;
                    throw error("the compressed data ends (marker FF" + String.format("%02X", Math.max(next, 0))
                            + ") before the image is complete", at);
                }
            } else {
                at++;
            }
            bitBuffer = b;
            bitCount = 8;
        }
        bitCount--;
        return (bitBuffer >> bitCount) & 1;
    }

    private int marker() throws JpegException {
        int b = u8();
        if (b != 0xFF) {
            throw error(String.format("expected a marker (FF..), found %02X", b), at - 1);
        }
        int marker = u8();
        while (marker == 0xFF) {
            marker = u8(); // fill bytes
        }
        return marker;
    }

    private void skipSegment() throws JpegException {
        int length = u16();
        if (length < 2 || at + length - 2 > data.length) {
            throw error("segment length " + length + " runs past the end of the data", at - 2);
        }
        at += length - 2;
    }

    private int u8() throws JpegException {
        if (at >= data.length) {
            throw error("the JPEG data ends early", at);
        }
        return data[at++] & 0xFF;
    }

    private int u16() throws JpegException {
        return (u8() << 8) | u8();
    }

    private JpegException error(String problem, int offset) {
        return new JpegException(problem + " (byte " + offset + " of the frame's JPEG data)");
    }

    /** A Huffman table as T.81 F.2.2.3 decodes with it: per code length, the smallest and largest code. */
    private static final class HuffmanTable {
        final int[] minCode = new int[17];
        final int[] maxCode = new int[17];
        final int[] valuePointer = new int[17];
        final int[] values;

        HuffmanTable(int[] counts, int[] values) {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                valuePointer[length] = k;
                minCode[length] = code;
                code += counts[length];
                k += counts[length];
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                code <<= 1;
            }
        }
    }
}

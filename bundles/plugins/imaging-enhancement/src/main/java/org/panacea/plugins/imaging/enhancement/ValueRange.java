package org.panacea.plugins.imaging.enhancement;

import java.util.List;

import org.panacea.api.imaging.Pixels;

/**
 * The interval of stored values an enhancement maps onto: the pixel type's whole range ({@code type}: 0..255,
 * 0..65535, -32768..32767, and 0..1 for real images) or the image's own minimum to maximum ({@code image}).
 *
 * @param low  smallest value
 * @param high largest value
 */
record ValueRange(double low, double high) {

    static final String TYPE = "type";
    static final String IMAGE = "image";
    static final List<String> NAMES = List.of(IMAGE, TYPE);

    static final String DESCRIPTION = "the output range: image = the input's own minimum to maximum, type = the "
            + "pixel type's whole range (0..255 for 8-bit, 0..65535 for unsigned and -32768..32767 for signed 16-bit, "
            + "0..1 for 32-bit real)";

    static ValueRange of(Pixels pixels, String range) {
        return TYPE.equals(range) ? ofType(pixels) : ofImage(pixels);
    }

    static ValueRange ofType(Pixels pixels) {
        if (pixels instanceof Pixels.Gray8) {
            return new ValueRange(0, 255);
        }
        if (pixels instanceof Pixels.Gray16 gray) {
            return gray.signed() ? new ValueRange(Short.MIN_VALUE, Short.MAX_VALUE) : new ValueRange(0, 65535);
        }
        return new ValueRange(0, 1);
    }

    static ValueRange ofImage(Pixels pixels) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        if (pixels instanceof Pixels.Gray8 gray) {
            int lo = 255;
            int hi = 0;
            for (byte b : gray.values()) {
                lo = Math.min(lo, b & 0xFF);
                hi = Math.max(hi, b & 0xFF);
            }
            return new ValueRange(lo, hi);
        }
        if (pixels instanceof Pixels.Gray16 gray) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            if (gray.signed()) {
                for (short s : gray.values()) {
                    lo = Math.min(lo, s);
                    hi = Math.max(hi, s);
                }
            } else {
                for (short s : gray.values()) {
                    lo = Math.min(lo, s & 0xFFFF);
                    hi = Math.max(hi, s & 0xFFFF);
                }
            }
            return new ValueRange(lo, hi);
        }
        for (float v : ((Pixels.Float32) pixels).values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new ValueRange(min, max);
    }
}

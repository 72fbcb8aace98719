package org.panacea.plugins.support.display;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * The grey-scale display pipeline of DICOM (PS3.3 C.11) to 8-bit grey, 0 black to 255 white:
 * <ol>
 * <li>modality rescale: {@code value = stored * slope + intercept} (HU for CT);</li>
 * <li>the linear VOI function (PS3.3 C.11.2.1.2.1) with output range 0..255, rounded half up: values at or below
 * {@code center - 0.5 - (width - 1) / 2} are 0, values above {@code center - 0.5 + (width - 1) / 2} are 255;</li>
 * <li>the photometric interpretation: a {@code MONOCHROME1} image (higher values darker) is inverted,
 * {@code 255 - grey}, so that it displays as {@code MONOCHROME2} would.</li>
 * </ol>
 * The VOI LUT Function (0028,1056) is taken as {@code LINEAR}; {@code LINEAR_EXACT} and {@code SIGMOID}, and VOI
 * LUT sequences, are not applied. For integer images a table over every stored value does the work when the image
 * has more samples than the table has entries; both ways give the same bytes.
 */
public final class GreyscaleDisplay {

    private GreyscaleDisplay() {
    }

    /**
     * A VOI window in rescaled units (HU for CT).
     *
     * @param center window centre
     * @param width  window width, at least 1
     */
    public record Window(double center, double width) {
    }

    /**
     * The window to show an image with: the one asked for, else the image's own (when its width is at least 1), else
     * one spanning the frame's rescaled values from the lowest (black) to the highest (white).
     *
     * @param center the centre asked for, or {@code null}
     * @param width  the width asked for, or {@code null}
     */
    public static Window window(Image image, Double center, Double width) {
        ImageMetadata metadata = image.metadata();
        double c = center != null ? center : metadata.windowCenter();
        double w = width != null ? width : metadata.windowWidth();
        if (!Double.isFinite(c) || !Double.isFinite(w) || w < 1) {
            Pixels pixels = image.pixels();
            double slope = metadata.rescaleSlope();
            double intercept = metadata.rescaleIntercept();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < pixels.length(); i++) {
                double value = pixels.sample(i) * slope + intercept;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            w = Math.max(1, max - min + 1);
            c = min + w / 2 - 0.5;
        }
        return new Window(c, w);
    }

    /** The image shown with {@code window}: one display grey (0 black, 255 white) per sample, row by row. */
    public static byte[] render(Image image, Window window) {
        return render(image, window.center(), window.width());
    }

    /**
     * The image shown with a window of {@code center} and {@code width} in rescaled units: one display grey
     * (0 black, 255 white) per sample, row by row, with the rescale, the linear VOI function and the photometric
     * interpretation of the image's metadata.
     */
    public static byte[] render(Image image, double center, double width) {
        ImageMetadata metadata = image.metadata();
        double slope = metadata.rescaleSlope();
        double intercept = metadata.rescaleIntercept();
        int invert = metadata.displaysInverted() ? 255 : 0;
        Pixels pixels = image.pixels();
        int n = pixels.length();
        byte[] out = new byte[n];
        if (pixels instanceof Pixels.Gray8 gray && n > 256) {
            byte[] lut = table(0, 256, slope, intercept, center, width, invert);
            byte[] values = gray.values();
            for (int i = 0; i < n; i++) {
                out[i] = lut[values[i] & 0xFF];
            }
        } else if (pixels instanceof Pixels.Gray16 gray && n > 65536) {
            // The table is indexed by the stored value's position in its range: signed values start at -32768.
            short[] values = gray.values();
            if (gray.signed()) {
                byte[] lut = table(Short.MIN_VALUE, 65536, slope, intercept, center, width, invert);
                for (int i = 0; i < n; i++) {
                    out[i] = lut[values[i] - Short.MIN_VALUE];
                }
            } else {
                byte[] lut = table(0, 65536, slope, intercept, center, width, invert);
                for (int i = 0; i < n; i++) {
                    out[i] = lut[values[i] & 0xFFFF];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (byte) (invert ^ grey(pixels.sample(i) * slope + intercept, center, width));
            }
        }
        return out;
    }

    /** The display grey of each of {@code size} stored values starting at {@code first}. */
    private static byte[] table(int first, int size, double slope, double intercept, double center, double width,
            int invert) {
        byte[] lut = new byte[size];
        for (int i = 0; i < size; i++) {
            lut[i] = (byte) (invert ^ grey((first + i) * slope + intercept, center, width));
        }
        return lut;
    }

    /**
     * The 8-bit grey of one rescaled value in the {@code MONOCHROME2} sense (higher values brighter): the linear VOI
     * function rounded half up and kept within 0..255. A value that is not a number is 0.
     */
    public static int grey(double value, double center, double width) {
        return (int) Math.max(0, Math.min(255, Math.round(linearVoi(value, center, width))));
    }

    /**
     * The DICOM linear VOI function (PS3.3 C.11.2.1.2.1) with output range 0..255, before rounding.
     *
     * @param value  a rescaled value
     * @param center window centre, in the same unit
     * @param width  window width, at least 1
     */
    public static double linearVoi(double value, double center, double width) {
        double c = center - 0.5;
        double halfSpan = (width - 1) / 2;
        if (value <= c - halfSpan) {
            return 0;
        }
        if (value > c + halfSpan) {
            return 255;
        }
        return ((value - c) / (width - 1) + 0.5) * 255;
    }
}

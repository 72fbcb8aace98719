package org.panacea.plugins.imaging.filters;

import java.util.Arrays;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.plugins.support.pixels.PixelLoops;

/**
 * The 3x3 and 5x5 medians of 8- and 16-bit images with sorting networks on the Vector API
 * ({@link PixelLoops#median}): each step takes the median of a whole register of windows (32 on AVX-512) with
 * min and max alone, as OpenCV's {@code medianBlur} does, where the sliding histogram pays per window. Rows are
 * kept as 16-bit samples in signed order (unsigned ones with the top bit flipped), so no sample is converted to
 * floating point. Used only where the JVM vectorises the networks: in plain Java the histogram is faster.
 */
final class NetworkMedian {

    private NetworkMedian() {
    }

    /** Whether {@link #apply} serves this image and radius, and is the fastest way to. */
    static boolean serves(Pixels pixels, int radius) {
        return radius <= 2 && !(pixels instanceof Pixels.Float32) && PixelLoops.vectorised();
    }

    /** The median of every window, into {@code out}'s arrays (same pixel type as the input). */
    static void apply(Image image, int radius, Border border, SameTypeRows out) throws AlgorithmException {
        int width = image.width();
        int height = image.height();
        Pixels pixels = image.pixels();
        int[] rowIndex = border.table(height, radius);
        int[] columnIndex = border.table(width, radius);
        Bands.run("Median", width, height, radius, (first, end, cancellation) -> {
            int span = 2 * radius + 1;
            int padded = width + 2 * radius;
            short[][] ring = new short[span][padded];
            int[] ringRow = new int[span];
            Arrays.fill(ringRow, -1);
            short[][] window = new short[span][];
            short[][] sorted = new short[span][padded];
            short[] row = new short[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                for (int k = 0; k < span; k++) {
                    int source = rowIndex[y + k];
                    // The rows one output row needs lie within `span` consecutive rows: they never share a slot.
                    int slot = source % span;
                    if (ringRow[slot] != source) {
                        read(pixels, width, source, radius, columnIndex, ring[slot]);
                        ringRow[slot] = source;
                    }
                    window[k] = ring[slot];
                }
                PixelLoops.median(window, radius, sorted, row, width);
                write(out.pixels(), width, y, row);
            }
        });
    }

    /** Row {@code y} in signed order, padded by {@code radius} samples on each side as the column table says. */
    private static void read(Pixels pixels, int width, int y, int radius, int[] columnIndex, short[] target) {
        int offset = y * width;
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                System.arraycopy(values, offset, target, radius, width);
            } else {
                for (int x = 0; x < width; x++) {
                    target[radius + x] = (short) (values[offset + x] ^ Short.MIN_VALUE);
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int x = 0; x < width; x++) {
                target[radius + x] = (short) (values[offset + x] & 0xFF);
            }
        }
        for (int k = 0; k < radius; k++) {
            target[k] = target[radius + columnIndex[k]];
            int right = radius + width + k;
            target[right] = target[radius + columnIndex[right]];
        }
    }

    private static void write(Pixels output, int width, int y, short[] row) {
        int offset = y * width;
        if (output instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                System.arraycopy(row, 0, values, offset, width);
            } else {
                for (int x = 0; x < width; x++) {
                    values[offset + x] = (short) (row[x] ^ Short.MIN_VALUE);
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) output).values();
            for (int x = 0; x < width; x++) {
                values[offset + x] = (byte) row[x];
            }
        }
    }
}

package org.panacea.plugins.imaging.enhancement;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Pixels;
import org.panacea.plugins.support.threads.ImagingThreads;

/**
 * An 8- or 16-bit image seen as integers {@code first .. first + size - 1} (0..255, 0..65535 or -32768..32767):
 * its histogram over all of them, and mapping through a table indexed by {@code value - first}.
 */
final class IntegerSamples {

    /** From about 1024x1024 up, histograms are counted on several cores. */
    static final long PARALLEL_HISTOGRAM_PIXELS = 1 << 20;

    private final Pixels pixels;
    private final int first;
    private final int size;

    IntegerSamples(Pixels pixels) {
        this.pixels = pixels;
        if (pixels instanceof Pixels.Gray16 gray) {
            first = gray.signed() ? Short.MIN_VALUE : 0;
            size = 65536;
        } else {
            first = 0;
            size = 256;
        }
    }

    int first() {
        return first;
    }

    /** Table index of sample {@code i}. */
    int index(int i) {
        if (pixels instanceof Pixels.Gray16 gray) {
            short v = gray.values()[i];
            return gray.signed() ? v - Short.MIN_VALUE : v & 0xFFFF;
        }
        return ((Pixels.Gray8) pixels).values()[i] & 0xFF;
    }

    /**
     * Counts per value over the whole image. Images of {@link #PARALLEL_HISTOGRAM_PIXELS} or more are counted in
     * one band per core and the tables merged; below that, merging 64 Ki-entry tables costs more than it saves.
     */
    long[] histogram(int width, int height) throws AlgorithmException {
        List<int[]> partial = new CopyOnWriteArrayList<>();
        int parts = (long) width * height < PARALLEL_HISTOGRAM_PIXELS ? 1
                : Math.min(height, ImagingThreads.available());
        Rows.run("Histogram", parts, (long) width * height / parts, (firstPart, endPart) -> {
            for (int part = firstPart; part < endPart; part++) {
                int[] counts = new int[size];
                countRows(part * height / parts * width, (part + 1) * height / parts * width, counts);
                partial.add(counts);
            }
        });
        long[] total = new long[size];
        for (int[] counts : partial) {
            for (int i = 0; i < size; i++) {
                total[i] += counts[i];
            }
        }
        return total;
    }

    /** Counts the samples {@code from .. to - 1} into {@code counts}. */
    void countRows(int from, int to, int[] counts) {
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            if (gray.signed()) {
                for (int i = from; i < to; i++) {
                    counts[values[i] - Short.MIN_VALUE]++;
                }
            } else {
                for (int i = from; i < to; i++) {
                    counts[values[i] & 0xFFFF]++;
                }
            }
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int i = from; i < to; i++) {
                counts[values[i] & 0xFF]++;
            }
        }
    }

    /** A new image of the same type with every sample replaced by {@code table[value - first]}. */
    Pixels map(int[] table, int width, int height, String algorithm) throws AlgorithmException {
        int n = width * height;
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            short[] out = new short[n];
            boolean signed = gray.signed();
            Rows.run(algorithm, height, width, (firstRow, endRow) -> {
                if (signed) {
                    for (int i = firstRow * width; i < endRow * width; i++) {
                        out[i] = (short) table[values[i] - Short.MIN_VALUE];
                    }
                } else {
                    for (int i = firstRow * width; i < endRow * width; i++) {
                        out[i] = (short) table[values[i] & 0xFFFF];
                    }
                }
            });
            return new Pixels.Gray16(out, signed);
        }
        byte[] values = ((Pixels.Gray8) pixels).values();
        byte[] out = new byte[n];
        Rows.run(algorithm, height, width, (firstRow, endRow) -> {
            for (int i = firstRow * width; i < endRow * width; i++) {
                out[i] = (byte) table[values[i] & 0xFF];
            }
        });
        return new Pixels.Gray8(out);
    }
}

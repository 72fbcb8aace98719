package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;

/**
 * Square-window median of integer images with Huang's sliding histogram: the window walks the band in a snake
 * (right along one row, down one, left along the next), so each step adds and removes one column or row of
 * {@code 2r + 1} samples, and the median is tracked from its previous position. The histogram has one bin per
 * value between the image's minimum and maximum, with a coarse level of {@value #BUCKET}-value buckets so that
 * the median crosses a strong edge in few steps. Cost per pixel: {@code O(r)} plus the median's movement.
 */
final class HistogramMedian {

    private static final int SHIFT = 4;
    private static final int BUCKET = 1 << SHIFT;

    private HistogramMedian() {
    }

    /** @param image Gray8 or Gray16 */
    static void apply(Image image, int radius, Border border, SameTypeRows out) throws AlgorithmException {
        int width = image.width();
        int height = image.height();
        Pixels pixels = image.pixels();
        int[] range = range(pixels);
        int minimum = range[0];
        int bins = range[1] - minimum + 1;
        int[] columnIndex = border.table(width, radius);
        int[] rowIndex = border.table(height, radius);
        Bands.run("Median", width, height, radius, (first, end, cancellation) -> new Band(pixels, width, radius,
                minimum, bins, columnIndex, rowIndex).run(first, end, out, cancellation));
    }

    /** The smallest and largest stored value. */
    private static int[] range(Pixels pixels) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        if (pixels instanceof Pixels.Gray16 gray) {
            short[] values = gray.values();
            boolean signed = gray.signed();
            for (short s : values) {
                int v = signed ? s : s & 0xFFFF;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        } else {
            for (byte b : ((Pixels.Gray8) pixels).values()) {
                int v = b & 0xFF;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new int[] { min, max };
    }

    /** The state of one band's walk. */
    private static final class Band {
        private final Pixels pixels;
        private final int width;
        private final int radius;
        private final int minimum;
        private final int[] columnIndex;
        private final int[] rowIndex;
        private final int[][] binRows;
        private final int[] binRowOf;
        private final int[] histogram;
        private final int[] coarse;
        private final int rank;
        private int median;
        private int below;

        Band(Pixels pixels, int width, int radius, int minimum, int bins, int[] columnIndex, int[] rowIndex) {
            this.pixels = pixels;
            this.width = width;
            this.radius = radius;
            this.minimum = minimum;
            this.columnIndex = columnIndex;
            this.rowIndex = rowIndex;
            int span = 2 * radius + 1;
            this.binRows = new int[span][];
            this.binRowOf = new int[span];
            java.util.Arrays.fill(binRowOf, -1);
            int paddedBins = (bins + BUCKET - 1) / BUCKET * BUCKET;
            this.histogram = new int[paddedBins];
            this.coarse = new int[paddedBins / BUCKET];
            this.rank = span * span / 2;
        }

        void run(int first, int end, SameTypeRows out, Bands.Cancellation cancellation) throws AlgorithmException {
            int span = 2 * radius + 1;
            float[] row = new float[width];
            // Window at (x = 0, y = first): padded columns 0 .. 2r, padded rows first .. first + 2r.
            for (int k = 0; k < span; k++) {
                int[] bins = binRow(first + k);
                for (int j = 0; j < span; j++) {
                    add(bins[j]);
                }
            }
            median = 0;
            below = 0;
            settle();
            int[][] window = new int[span][];
            for (int y = first; y < end; y++) {
                cancellation.check();
                for (int k = 0; k < span; k++) {
                    window[k] = binRow(y + k);
                }
                boolean rightwards = ((y - first) & 1) == 0;
                int x = rightwards ? 0 : width - 1;
                for (int step = 0; step < width; step++) {
                    row[x] = median + minimum;
                    if (step == width - 1) {
                        break;
                    }
                    // Padded column indices: the window at x covers x .. x + 2r.
                    if (rightwards) {
                        slideColumn(window, x, x + span);
                        x++;
                    } else {
                        slideColumn(window, x + 2 * radius, x - 1);
                        x--;
                    }
                    settle();
                }
                out.write(y, row);
                if (y + 1 < end) {
                    slideRow(x, y, y + span);
                    settle();
                }
            }
        }

        /** Replaces padded column {@code leaving} by {@code entering} in the window's rows. */
        private void slideColumn(int[][] window, int leaving, int entering) {
            for (int[] bins : window) {
                remove(bins[leaving]);
                add(bins[entering]);
            }
        }

        /** Moves the window at column x down from output row y: padded row y leaves, y + span enters. */
        private void slideRow(int x, int y, int entering) {
            // Both rows use the same ring slot: take the leaving row out before the entering one is read.
            int[] leavingBins = binRow(y);
            for (int j = x; j < x + 2 * radius + 1; j++) {
                remove(leavingBins[j]);
            }
            int[] enteringBins = binRow(entering);
            for (int j = x; j < x + 2 * radius + 1; j++) {
                add(enteringBins[j]);
            }
        }

        /** The bins of padded row {@code paddedRow} (row index before the border mapping, shifted by radius). */
        private int[] binRow(int paddedRow) {
            int source = rowIndex[paddedRow];
            int slot = Math.floorMod(paddedRow, binRows.length);
            if (binRowOf[slot] != paddedRow) {
                int[] bins = binRows[slot];
                if (bins == null) {
                    bins = new int[width + 2 * radius];
                    binRows[slot] = bins;
                }
                readBins(source, bins);
                binRowOf[slot] = paddedRow;
            }
            return binRows[slot];
        }

        private void readBins(int source, int[] bins) {
            int offset = source * width;
            if (pixels instanceof Pixels.Gray16 gray) {
                short[] values = gray.values();
                if (gray.signed()) {
                    for (int j = 0; j < bins.length; j++) {
                        bins[j] = values[offset + columnIndex[j]] - minimum;
                    }
                } else {
                    for (int j = 0; j < bins.length; j++) {
                        bins[j] = (values[offset + columnIndex[j]] & 0xFFFF) - minimum;
                    }
                }
            } else {
                byte[] values = ((Pixels.Gray8) pixels).values();
                for (int j = 0; j < bins.length; j++) {
                    bins[j] = (values[offset + columnIndex[j]] & 0xFF) - minimum;
                }
            }
        }

        // (bin - median) >>> 31 is 1 exactly when bin < median: no branch, which noise would make unpredictable.

        private void add(int bin) {
            histogram[bin]++;
            coarse[bin >> SHIFT]++;
            below += (bin - median) >>> 31;
        }

        private void remove(int bin) {
            histogram[bin]--;
            coarse[bin >> SHIFT]--;
            below -= (bin - median) >>> 31;
        }

        /** Moves {@code median} until {@code below <= rank < below + histogram[median]}. */
        private void settle() {
            while (below > rank) {
                int bucket = median >> SHIFT;
                if ((median & (BUCKET - 1)) == 0 && bucket > 0 && below - coarse[bucket - 1] > rank) {
                    below -= coarse[bucket - 1];
                    median -= BUCKET;
                } else {
                    median--;
                    below -= histogram[median];
                }
            }
            while (below + histogram[median] <= rank) {
                int bucket = median >> SHIFT;
                if ((median & (BUCKET - 1)) == 0 && below + coarse[bucket] <= rank) {
                    below += coarse[bucket];
                    median += BUCKET;
                } else {
                    below += histogram[median];
                    median++;
                }
            }
        }
    }
}

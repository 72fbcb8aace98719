package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;

/**
 * Square-window median of real-valued images by selection: the {@code (2r + 1)^2} samples of each window are
 * gathered and the middle one found with Hoare's selection, {@code O(r^2)} per pixel (as ImageJ's rank filters).
 * Real values have no small histogram, so this is the general path; integer images use {@link HistogramMedian}.
 */
final class SelectionMedian {

    private SelectionMedian() {
    }

    static void apply(Image image, int radius, Border border, SameTypeRows out) throws AlgorithmException {
        int width = image.width();
        int span = 2 * radius + 1;
        Bands.run("Median", width, image.height(), radius, (first, end, cancellation) -> {
            PaddedRows rows = new PaddedRows(image, border, radius);
            float[] window = new float[span * span];
            float[] median = new float[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                float[][] around = rows.around(y);
                for (int x = 0; x < width; x++) {
                    int n = 0;
                    for (float[] row : around) {
                        System.arraycopy(row, x, window, n, span);
                        n += span;
                    }
                    median[x] = select(window, window.length / 2);
                }
                out.write(y, median);
            }
        });
    }

    /** The {@code k}-th smallest of {@code values} (0-based), reordering them; NaN sorts last. */
    static float select(float[] values, int k) {
        int left = 0;
        int right = values.length - 1;
        while (right > left) {
            float pivot = values[(left + right) >>> 1];
            int i = left;
            int j = right;
            while (i <= j) {
                while (Float.compare(values[i], pivot) < 0) {
                    i++;
                }
                while (Float.compare(values[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    float swap = values[i];
                    values[i] = values[j];
                    values[j] = swap;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }
}

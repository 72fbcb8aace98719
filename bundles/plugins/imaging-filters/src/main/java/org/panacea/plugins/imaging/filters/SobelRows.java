package org.panacea.plugins.imaging.filters;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.Image;

/**
 * The 3x3 Sobel derivatives of an image, row by row: {@code gx} = right minus left with vertical weights
 * 1 2 1, {@code gy} = below minus above with horizontal weights 1 2 1 (OpenCV's {@code Sobel(dx=1)} and
 * {@code Sobel(dy=1)}, unnormalised: a step of height {@code h} gives 4h). The vertical sums are taken over the
 * padded row and then shifted copies line the horizontal neighbours up at one index, so every loop vectorises.
 */
final class SobelRows {

    /** Receives the derivatives of output row {@code y} in {@code [0, width)}; the arrays are reused afterwards. */
    interface Sink {
        void row(int y, float[] gx, float[] gy) throws AlgorithmException;
    }

    private SobelRows() {
    }

    /** The derivatives of every row, handed to {@code sink}. */
    static void derivatives(Image image, Border border, String algorithm, Sink sink) throws AlgorithmException {
        int width = image.width();
        Bands.run(algorithm, width, image.height(), 1, (first, end, cancellation) -> {
            Band band = new Band(image, border);
            float[] gx = new float[width];
            float[] gy = new float[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                band.prepare(y);
                for (int x = 0; x < width; x++) {
                    gx[x] = band.smoothRight[x] - band.smooth[x];
                    gy[x] = band.difference[x] + 2 * band.differenceMiddle[x] + band.differenceRight[x];
                }
                sink.row(y, gx, gy);
            }
        });
    }

    /** The gradient magnitude {@code sqrt(gx^2 + gy^2)} into {@code out} (row-major), in one pass per row. */
    static void magnitude(Image image, Border border, String algorithm, float[] out) throws AlgorithmException {
        int width = image.width();
        Bands.run(algorithm, width, image.height(), 1, (first, end, cancellation) -> {
            Band band = new Band(image, border);
            float[] magnitude = new float[width];
            for (int y = first; y < end; y++) {
                cancellation.check();
                band.prepare(y);
                float[] smooth = band.smooth;
                float[] smoothRight = band.smoothRight;
                float[] difference = band.difference;
                float[] differenceMiddle = band.differenceMiddle;
                float[] differenceRight = band.differenceRight;
                for (int x = 0; x < width; x++) {
                    float gx = smoothRight[x] - smooth[x];
                    float gy = difference[x] + 2 * differenceMiddle[x] + differenceRight[x];
                    magnitude[x] = (float) Math.sqrt(gx * gx + gy * gy);
                }
                System.arraycopy(magnitude, 0, out, y * width, width);
            }
        });
    }

    /** One band's rows: the vertical sums of the padded rows around y and their shifted copies. */
    private static final class Band {
        private final int width;
        private final PaddedRows rows;
        private final float[] smooth;
        private final float[] difference;
        private final float[] smoothRight;
        private final float[] differenceMiddle;
        private final float[] differenceRight;

        Band(Image image, Border border) {
            width = image.width();
            rows = new PaddedRows(image, border, 1);
            smooth = new float[rows.paddedWidth()];
            difference = new float[rows.paddedWidth()];
            smoothRight = new float[width];
            differenceMiddle = new float[width];
            differenceRight = new float[width];
        }

        /**
         * After this, index x of {@code smooth} / {@code smoothRight} holds the vertical 1 2 1 sums at columns
         * x - 1 / x + 1, and {@code difference} / {@code differenceMiddle} / {@code differenceRight} the vertical
         * differences at columns x - 1, x, x + 1.
         */
        void prepare(int y) {
            float[][] window = rows.around(y);
            float[] above = window[0];
            float[] centre = window[1];
            float[] below = window[2];
            for (int x = 0; x < smooth.length; x++) {
                smooth[x] = above[x] + 2 * centre[x] + below[x];
                difference[x] = below[x] - above[x];
            }
            System.arraycopy(smooth, 2, smoothRight, 0, width);
            System.arraycopy(difference, 1, differenceMiddle, 0, width);
            System.arraycopy(difference, 2, differenceRight, 0, width);
        }
    }
}

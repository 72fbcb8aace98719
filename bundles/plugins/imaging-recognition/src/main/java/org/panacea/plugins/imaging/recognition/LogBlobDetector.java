package org.panacea.plugins.imaging.recognition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Blob detection by the scale-normalised Laplacian of Gaussian, as scikit-image's {@code blob_log} (0.19) does it,
 * so that its results can be checked against that reference:
 * <ol>
 * <li>scales {@code sigma_k}: {@code count} values evenly spaced from {@code minSigma} to {@code maxSigma};</li>
 * <li>responses {@code -sigma_k^2 * LoG_sigma_k(image)}, the LoG as SciPy's {@code gaussian_laplace} (separable
 * Gaussian second derivatives, radius {@code (int) (4 sigma + 0.5)}, border {@code reflect}); bright blobs give
 * positive responses;</li>
 * <li>candidates: responses above {@code threshold} that are at least as large as all 26 neighbours in
 * (row, column, scale), neighbours outside the stack not counting; none at all when the stack is constant;</li>
 * <li>pruning: candidates ordered by response, largest first (ties in raster order of row, column, scale); for
 * each pair {@code (i, j)}, {@code i < j}, in that order, whose disks (radius {@code sigma sqrt 2}) overlap by
 * more than {@code overlap} of the smaller one's area, the one with the smaller sigma is dropped, on equal sigma
 * the first ({@code i}). This is scikit-image's rule; it visits the pairs in a hash-set order instead, which can
 * change the outcome where three or more blobs overlap in a chain.</li>
 * </ol>
 * As in SciPy, the sampled second-derivative kernel does not sum to exactly zero, so a flat region of value
 * {@code v} responds about {@code 1.3e-3 v} at sigma 4 (0.14e-3 v at sigma 1): give CT in HU (as the plugin does),
 * not as raw stored values far from zero, and keep the threshold above that.
 * <p>
 * Only two response planes are kept at a time (candidates of one scale wait for the next scale's check), plus the
 * input and one work plane, all {@code double}; filtering runs rows in parallel for large images.
 */
public final class LogBlobDetector {

    private final double[] sigmas;
    private final double threshold;
    private final double overlap;

    /**
     * @param minSigma  smallest scale, pixels, greater than 0
     * @param maxSigma  largest scale, pixels, at least {@code minSigma}
     * @param count     number of scales, at least 1 (only {@code minSigma} when 1)
     * @param threshold smallest response kept, 0 or more, in the image's units
     * @param overlap   largest fraction of overlap two kept blobs may have, 0 to 1
     */
    public LogBlobDetector(double minSigma, double maxSigma, int count, double threshold, double overlap) {
        if (!(minSigma > 0) || !(maxSigma >= minSigma) || Double.isInfinite(maxSigma) || count < 1
                || !(threshold >= 0) || Double.isInfinite(threshold) || !(overlap >= 0 && overlap <= 1)) {
            throw new IllegalArgumentException("bad blob detector settings: sigma " + minSigma + " to " + maxSigma
                    + ", " + count + " scales, threshold " + threshold + ", overlap " + overlap);
        }
        this.sigmas = scales(minSigma, maxSigma, count);
        this.threshold = threshold;
        this.overlap = overlap;
    }

    /** NumPy's {@code linspace}: {@code min + k * step}, the last exactly {@code max}. */
    static double[] scales(double min, double max, int count) {
        double[] scales = new double[count];
        double step = count > 1 ? (max - min) / (count - 1) : 0;
        for (int k = 0; k < count; k++) {
            scales[k] = k * step + min;
        }
        if (count > 1) {
            scales[count - 1] = max;
        }
        return scales;
    }

    /** What {@link #detect} found, and the largest response over all scales at each pixel. */
    public record Detection(List<Blob> blobs, float[] strongestResponse) {
    }

    /**
     * Detects bright blobs.
     *
     * @param image  row-major values, not changed
     * @param width  columns
     * @param height rows
     */
    public Detection detect(double[] image, int width, int height) {
        int n = width * height;
        double[] work = new double[n];
        double[] previous = new double[n];
        double[] current = new double[n];
        float[] strongest = new float[n];
        Arrays.fill(strongest, Float.NEGATIVE_INFINITY);
        List<Candidate> waiting = new ArrayList<>();
        List<Candidate> found = new ArrayList<>();
        double first = Double.NaN;
        boolean constant = true;
        for (int k = 0; k < sigmas.length; k++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationRequested();
            }
            response(image, width, height, sigmas[k], work, current);
            if (k == 0) {
                first = current[0];
            }
            for (int i = 0; i < n; i++) {
                double value = current[i];
                constant &= value == first;
                if (value > strongest[i]) {
                    strongest[i] = (float) value;
                }
            }
            // Candidates of the scale below must also beat this one.
            for (Candidate c : waiting) {
                if (atLeastNeighbourhood(c.value, current, c.index, width, height, true)) {
                    found.add(c);
                }
            }
            waiting.clear();
            for (int i = 0; i < n; i++) {
                double value = current[i];
                if (value > threshold && atLeastNeighbourhood(value, current, i, width, height, false)
                        && (k == 0 || atLeastNeighbourhood(value, previous, i, width, height, true))) {
                    waiting.add(new Candidate(i, k, value));
                }
            }
            double[] t = previous;
            previous = current;
            current = t;
        }
        found.addAll(waiting);
        if (constant) {
            found.clear();
        }
        return new Detection(prune(found, width), strongest);
    }

    /** Thrown when the calling thread is interrupted (the platform's time limit). */
    public static final class CancellationRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancellationRequested() {
            super("blob detection interrupted");
        }
    }

    private record Candidate(int index, int scale, double value) {
    }

    /** {@code -sigma^2 (d2/dy2 + d2/dx2)} of {@code image}, in SciPy's order: the y term, then the x term added. */
    private static void response(double[] image, int width, int height, double sigma, double[] work, double[] out) {
        double[] smooth = GaussianKernels.smoothing(sigma);
        double[] second = GaussianKernels.secondDerivative(sigma);
        ReflectFilter.alongColumns(image, work, width, height, second);
        ReflectFilter.alongRows(work, out, width, height, smooth, false);
        ReflectFilter.alongColumns(image, work, width, height, smooth);
        ReflectFilter.alongRows(work, out, width, height, second, true);
        double scale = sigma * sigma;
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i] * scale;
        }
    }

    /**
     * {@code true} when {@code value} is at least every sample of {@code plane} in the 3x3 neighbourhood of
     * {@code index} (the centre itself only when {@code withCentre}).
     */
    private static boolean atLeastNeighbourhood(double value, double[] plane, int index, int width, int height,
            boolean withCentre) {
        int x = index % width;
        int y = index / width;
        for (int dy = -1; dy <= 1; dy++) {
            int ny = y + dy;
            if (ny < 0 || ny >= height) {
                continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                if (nx < 0 || nx >= width || (dx == 0 && dy == 0 && !withCentre)) {
                    continue;
                }
                if (plane[ny * width + nx] > value) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Blob> prune(List<Candidate> candidates, int width) {
        List<Candidate> ordered = new ArrayList<>(candidates);
        // Raster order of (row, column, scale) first, so the stable sort breaks ties by it.
        ordered.sort(Comparator.comparingInt(Candidate::index).thenComparingInt(Candidate::scale));
        ordered.sort(Comparator.comparingDouble(Candidate::value).reversed());
        int m = ordered.size();
        double[] rows = new double[m];
        double[] cols = new double[m];
        double[] sigma = new double[m];
        double largest = 0;
        for (int i = 0; i < m; i++) {
            Candidate c = ordered.get(i);
            rows[i] = c.index / width;
            cols[i] = c.index % width;
            sigma[i] = sigmas[c.scale];
            largest = Math.max(largest, sigma[i]);
        }
        double reach = 2 * largest * Math.sqrt(2);
        PairIndex pairs = new PairIndex(rows, cols, reach);
        for (int i = 0; i < m; i++) {
            for (int j : pairs.partnersAfter(i)) {
                if (BlobOverlap.fraction(rows[i], cols[i], sigma[i], rows[j], cols[j], sigma[j]) > overlap) {
                    if (sigma[i] > sigma[j]) {
                        sigma[j] = 0;
                    } else {
                        sigma[i] = 0;
                    }
                }
            }
        }
        List<Blob> blobs = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            if (sigma[i] > 0) {
                blobs.add(new Blob((int) rows[i], (int) cols[i], sigma[i], ordered.get(i).value));
            }
        }
        return blobs;
    }
}

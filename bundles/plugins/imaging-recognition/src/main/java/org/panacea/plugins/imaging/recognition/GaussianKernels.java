package org.panacea.plugins.imaging.recognition;

/**
 * One-dimensional Gaussian kernels as SciPy's {@code ndimage} builds them ({@code _gaussian_kernel1d}, SciPy
 * 1.10): radius {@code (int) (4 sigma + 0.5)}; taps {@code exp(-0.5 / sigma^2 * x^2)} normalised by NumPy's
 * pairwise sum; the second-derivative kernel multiplies those by {@code (x^2 / sigma^4 - 1 / sigma^2)}. Arithmetic follows
 * SciPy's operation for operation, so that responses agree to the last bits and ties between neighbouring
 * responses are decided the same way.
 */
final class GaussianKernels {

    private GaussianKernels() {
    }

    static int radius(double sigma) {
        return (int) (4.0 * sigma + 0.5);
    }

    /** Smoothing taps, index {@code radius + x} for offset {@code x}. */
    static double[] smoothing(double sigma) {
        int radius = radius(sigma);
        double factor = -0.5 / (sigma * sigma);
        double[] taps = new double[2 * radius + 1];
        for (int i = 0; i < taps.length; i++) {
            long x = i - radius;
            taps[i] = Math.exp(factor * (double) (x * x));
        }
        double sum = pairwiseSum(taps, 0, taps.length);
        for (int i = 0; i < taps.length; i++) {
            taps[i] /= sum;
        }
        return taps;
    }

    /** Second-derivative taps, index {@code radius + x} for offset {@code x}. */
    static double[] secondDerivative(double sigma) {
        double[] taps = smoothing(sigma);
        int radius = taps.length / 2;
        // SciPy's polynomial q(x) = q0 + q2 x^2 with q0 = 1 / -sigma^2, q2 = q0^2 (integer powers of x).
        double q0 = 1.0 / -(sigma * sigma);
        double q2 = q0 * q0;
        for (int i = 0; i < taps.length; i++) {
            long x = i - radius;
            taps[i] = (q0 + (double) (x * x) * q2) * taps[i];
        }
        return taps;
    }

    /** NumPy's pairwise summation ({@code pairwise_sum} in {@code loops_utils.h}): eight lanes, blocks of 128. */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[from + j];
            }
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
    }
}

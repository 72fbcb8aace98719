package org.panacea.plugins.imaging.frequency;

import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.DoubleFFT_2D;

/**
 * Unnormalised discrete Fourier transform of a real image and its inverse, in place on one array of
 * {@code 2 * width * height} doubles (JTransforms). Forward: the image in the first half, the full complex
 * spectrum out, interleaved {@code re, im}, row-major with row = vertical frequency index (NumPy's {@code fft2}
 * layout and scaling). Inverse: scaled by {@code 1 / (width * height)}, so forward then inverse gives the image
 * back (real parts at even indices). Single rows and columns use the 1-D transform, which is the same thing.
 */
final class Fourier2D {

    private Fourier2D() {
    }

    /** An array for {@link #forward}: twice the pixel count. */
    static double[] workspace(int width, int height) {
        return new double[2 * width * height];
    }

    static void forward(double[] data, int width, int height) {
        FftThreads.cap();
        if (width > 1 && height > 1) {
            new DoubleFFT_2D(height, width).realForwardFull(data);
        } else {
            new DoubleFFT_1D((long) width * height).realForwardFull(data);
        }
    }

    static void inverse(double[] data, int width, int height) {
        FftThreads.cap();
        if (width > 1 && height > 1) {
            new DoubleFFT_2D(height, width).complexInverse(data, true);
        } else {
            new DoubleFFT_1D((long) width * height).complexInverse(data, true);
        }
    }

    /** NumPy's {@code fftfreq}: the frequency of index {@code k} of {@code n}, in cycles per sample. */
    static double frequency(int k, int n) {
        return (k < (n + 1) / 2 ? k : k - n) / (double) n;
    }
}

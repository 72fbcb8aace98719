package org.panacea.plugins.imaging.recognition;

/**
 * A bright blob found by {@link LogBlobDetector}.
 *
 * @param row      pixel row of its centre, 0-based from the top
 * @param column   pixel column of its centre, 0-based from the left
 * @param sigma    the scale (Gaussian standard deviation, pixels) at which its response peaked
 * @param contrast the scale-normalised response {@code -sigma^2 * LoG} there, in the image's (rescaled) units
 */
public record Blob(int row, int column, double sigma, double contrast) {

    /** The radius of a disk that responds most at {@link #sigma}: {@code sigma * sqrt(2)} pixels. */
    public double radius() {
        return sigma * Math.sqrt(2);
    }
}

package org.panacea.plugins.imaging.segmentation;

import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * The closed range {@code [lower, upper]} of rescaled values ({@code stored * slope + intercept}: HU for CT, the
 * stored value itself for images without a rescale) that counts as foreground.
 */
final class ValueWindow {

    private final double lower;
    private final double upper;
    private final double slope;
    private final double intercept;

    private ValueWindow(double lower, double upper, ImageMetadata metadata) {
        this.lower = lower;
        this.upper = upper;
        this.slope = metadata.rescaleSlope();
        this.intercept = metadata.rescaleIntercept();
    }

    /**
     * A window checked for sense.
     *
     * @throws AlgorithmException when a bound is not finite or {@code lower > upper}
     */
    static ValueWindow of(double lower, double upper, ImageMetadata metadata) throws AlgorithmException {
        if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new AlgorithmException("lower and upper must be finite rescaled values, were " + lower + " and "
                    + upper);
        }
        if (lower > upper) {
            throw new AlgorithmException("lower must be at most upper, was lower " + lower + " > upper " + upper);
        }
        return new ValueWindow(lower, upper, metadata);
    }

    double rescaled(Pixels pixels, int i) {
        return pixels.sample(i) * slope + intercept;
    }

    /**
     * For integer samples, the decision for every stored value {@code s} from {@code -offset} to
     * {@code size - 1 - offset} at index {@code s + offset}: the same arithmetic as {@link #rescaled} and {@link #includes}, looked up.
     */
    boolean[] table(int offset, int size) {
        boolean[] inside = new boolean[size];
        for (int k = 0; k < size; k++) {
            inside[k] = includes((double) (k - offset) * slope + intercept);
        }
        return inside;
    }

    double slope() {
        return slope;
    }

    double intercept() {
        return intercept;
    }

    boolean includes(double rescaled) {
        return rescaled >= lower && rescaled <= upper;
    }
}

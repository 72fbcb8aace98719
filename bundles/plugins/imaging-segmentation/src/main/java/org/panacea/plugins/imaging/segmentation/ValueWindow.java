package org.panacea.plugins.imaging.segmentation;

import java.util.function.LongPredicate;

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
     * For integer samples from {@code min} to {@code max}, the stored values inside the window: {@code {first, last}},
     * empty when {@code first > last}. The rescale is monotone (also in floating point, whose rounding keeps order),
     * so the inside values are one run, found by binary search with the same arithmetic as {@link #rescaled} and
     * {@link #includes}: the decisions are exactly those of computing each pixel's value.
     */
    long[] storedRange(long min, long max) {
        if (slope == 0 || !Double.isFinite(slope)) {
            return includes(min * slope + intercept) ? new long[] { min, max } : new long[] { max, min - 1 };
        }
        if (slope > 0) {
            return new long[] { firstWhere(min, max, s -> s * slope + intercept >= lower),
                    firstWhere(min, max, s -> s * slope + intercept > upper) - 1 };
        }
        return new long[] { firstWhere(min, max, s -> s * slope + intercept <= upper),
                firstWhere(min, max, s -> s * slope + intercept < lower) - 1 };
    }

    /** The first value in {@code [min, max]} where a predicate that is false and then true turns true; else max + 1. */
    private static long firstWhere(long min, long max, LongPredicate predicate) {
        long low = min;
        long high = max + 1;
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (predicate.test(middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /**
     * For integer samples, the decision for every stored value {@code s} from {@code -offset} to
     * {@code size - 1 - offset} at index {@code s + offset}: the same arithmetic as {@link #rescaled} and
     * {@link #includes}, looked up.
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

package org.panacea.plugins.support.pixels;

/**
 * A linear map {@code round(gain * value + bias)} of integer samples in {@code float} arithmetic, the way a
 * register of lanes computes it: multiply, add, then round half to even by adding and subtracting 1.5 * 2^23
 * (exact for results below 2^22 in magnitude; anything larger is clamped anyway), then clamp to
 * {@code [min, max]}. Callers whose definition is in {@code double} use it only after {@link #matches} has checked
 * that it gives the same output and the same clamping for every sample value the image holds.
 */
public record LinearFloat(float gain, float bias, float min, float max) {

    /** Added and subtracted to round to the nearest integer, ties to even, in float arithmetic. */
    static final float ROUNDING = 1.5f * (1 << 23);

    /** The rounded, not yet clamped, image of {@code value}. */
    public float rounded(int value) {
        float scaled = (float) value * gain;
        float shifted = scaled + bias;
        return (shifted + ROUNDING) - ROUNDING;
    }

    /**
     * Whether, for every value from {@code first} to {@code last}, this map gives the same clamped output and the
     * same clamped-or-not as {@code clamp(Math.rint(gain * value + bias), min, max)} in {@code double} with the
     * given double gain and bias.
     */
    public boolean matches(double exactGain, double exactBias, int first, int last) {
        for (int value = first; value <= last; value++) {
            double exact = Math.rint(exactGain * value + exactBias);
            double exactClamped = Math.max(min, Math.min(max, exact));
            float rounded = rounded(value);
            float clamped = Math.max(min, Math.min(max, rounded));
            if (exactClamped != clamped || (exactClamped != exact) != (clamped != rounded)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether any value from {@code first} to {@code last} is clamped. Float multiplication and addition round
     * monotonically, so the map is monotonic and only the two ends need to be looked at.
     */
    public boolean clamps(int first, int last) {
        for (float end : new float[] { rounded(first), rounded(last) }) {
            if (end < min || end > max) {
                return true;
            }
        }
        return false;
    }
}

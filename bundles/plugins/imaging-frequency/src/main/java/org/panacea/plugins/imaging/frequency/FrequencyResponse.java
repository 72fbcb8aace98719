package org.panacea.plugins.imaging.frequency;

import java.util.List;
import java.util.Locale;

import org.panacea.api.imaging.AlgorithmException;

/**
 * The gain of a radial filter at frequency {@code f} (the distance from the origin of the spectrum, in the cut-offs'
 * units). Low-pass: ideal {@code 1 if f <= c else 0}, Gaussian {@code exp(-f^2 / (2 c^2))} (0.61 at the
 * cut-off). High-pass: one minus the low-pass at {@code c}. Band-pass: the low-pass at the upper cut-off times the
 * high-pass at the lower one, so the ideal band keeps {@code lower < f <= upper}.
 */
final class FrequencyResponse {

    static final String LOWPASS = "lowpass";
    static final String HIGHPASS = "highpass";
    static final String BANDPASS = "bandpass";
    static final List<String> PASSES = List.of(LOWPASS, HIGHPASS, BANDPASS);
    static final String IDEAL = "ideal";
    static final String GAUSSIAN = "gaussian";
    static final List<String> SHAPES = List.of(IDEAL, GAUSSIAN);

    private final String pass;
    private final boolean gaussian;
    private final double cutoff;
    private final double upperCutoff;

    private FrequencyResponse(String pass, boolean gaussian, double cutoff, double upperCutoff) {
        this.pass = pass;
        this.gaussian = gaussian;
        this.cutoff = cutoff;
        this.upperCutoff = upperCutoff;
    }

    /** A response checked for sense; {@code upperCutoff} is read for band-pass only. */
    static FrequencyResponse of(String pass, String shape, double cutoff, double upperCutoff)
            throws AlgorithmException {
        String p = pass.toLowerCase(Locale.ROOT);
        String s = shape.toLowerCase(Locale.ROOT);
        if (!PASSES.contains(p)) {
            throw new AlgorithmException("pass must be lowpass, highpass or bandpass, was '" + pass + "'");
        }
        if (!SHAPES.contains(s)) {
            throw new AlgorithmException("shape must be ideal or gaussian, was '" + shape + "'");
        }
        if (!(cutoff > 0) || Double.isInfinite(cutoff)) {
            throw new AlgorithmException("cutoff must be a finite frequency greater than 0, was " + cutoff);
        }
        if (BANDPASS.equals(p) && (!(upperCutoff > cutoff) || Double.isInfinite(upperCutoff))) {
            throw new AlgorithmException("upper_cutoff must be a finite frequency greater than cutoff (" + cutoff
                    + ") for a band-pass, was " + upperCutoff);
        }
        return new FrequencyResponse(p, GAUSSIAN.equals(s), cutoff, upperCutoff);
    }

    double gain(double f) {
        switch (pass) {
            case LOWPASS:
                return lowpass(f, cutoff);
            case HIGHPASS:
                return 1 - lowpass(f, cutoff);
            default:
                return lowpass(f, upperCutoff) * (1 - lowpass(f, cutoff));
        }
    }

    private double lowpass(double f, double c) {
        if (gaussian) {
            return Math.exp(-f * f / (2 * c * c));
        }
        return f <= c ? 1 : 0;
    }
}

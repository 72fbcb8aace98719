package org.panacea.api.prediction;

/**
 * One point of a predicted curve (a survival curve) with its confidence band.
 *
 * @param time  time since baseline, in the unit the prediction states
 * @param value the estimate
 * @param lower lower confidence limit, {@code NaN} when not computed
 * @param upper upper confidence limit, {@code NaN} when not computed
 */
public record CurvePoint(double time, double value, double lower, double upper) {
}

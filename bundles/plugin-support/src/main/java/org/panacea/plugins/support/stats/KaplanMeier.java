package org.panacea.plugins.support.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kaplan–Meier estimate of a survival curve with Greenwood's standard error and log-transformed 95% confidence
 * limits, as R's {@code survfit(..., conf.type = "log")} computes them: one step per distinct time (events or
 * censorings), the lower limit {@code S exp(-1.96 se)}, the upper {@code min(1, S exp(1.96 se))}, where {@code se}
 * is the standard error of {@code -log S}. Immutable.
 */
public final class KaplanMeier {

    /** The 0.975 quantile of the standard normal distribution (R's {@code qnorm(0.975)}). */
    public static final double Z_975 = 1.959963984540054;

    // R's quantile.survfit treats survival within sqrt(machine epsilon) of a quantile as equal to it.
    private static final double TOLERANCE = Math.sqrt(Math.ulp(1.0));

    /**
     * The curve at one distinct time.
     *
     * @param stdErrLogSurvival Greenwood's standard error of {@code -log S}, {@code NaN} once S is 0
     * @param cumulativeHazard  the Nelson–Aalen estimate
     */
    public record Step(double time, int atRisk, int events, int censored, double survival, double stdErrLogSurvival,
            double lower, double upper, double cumulativeHazard) {
    }

    /** A median survival time and its 95% confidence limits; {@code NaN} where the curve does not reach 0.5. */
    public record Median(double time, double lower, double upper) {
    }

    private final List<Step> steps;
    private final int subjects;

    private KaplanMeier(List<Step> steps, int subjects) {
        this.steps = Collections.unmodifiableList(steps);
        this.subjects = subjects;
    }

    /**
     * @param time  follow-up times, any unit, not NaN
     * @param event {@code true} where the follow-up ended with the event, {@code false} where it was censored
     */
    public static KaplanMeier fit(double[] time, boolean[] event) {
        if (time.length != event.length) {
            throw new IllegalArgumentException(time.length + " times but " + event.length + " event flags");
        }
        int[] order = SurvivalOrder.ascending(time);
        List<Step> steps = new ArrayList<>();
        int atRisk = time.length;
        double survival = 1;
        double greenwood = 0;
        double cumulativeHazard = 0;
        int i = 0;
        while (i < order.length) {
            double t = time[order[i]];
            int events = 0;
            int censored = 0;
            while (i < order.length && time[order[i]] == t) {
                if (event[order[i]]) {
                    events++;
                } else {
                    censored++;
                }
                i++;
            }
            if (events > 0) {
                survival *= 1 - (double) events / atRisk;
                greenwood += events < atRisk ? (double) events / ((double) atRisk * (atRisk - events))
                        : Double.NaN;
                cumulativeHazard += (double) events / atRisk;
            }
            double se = Math.sqrt(greenwood);
            double lower = survival * Math.exp(-Z_975 * se);
            double upper = Math.min(1, survival * Math.exp(Z_975 * se));
            steps.add(new Step(t, atRisk, events, censored, survival, se, lower, upper, cumulativeHazard));
            atRisk -= events + censored;
        }
        return new KaplanMeier(steps, time.length);
    }

    /** One curve per stratum, by the stratum's label in its natural order. */
    public static Map<String, KaplanMeier> byStratum(double[] time, boolean[] event, String[] stratum) {
        if (stratum.length != time.length) {
            throw new IllegalArgumentException(time.length + " times but " + stratum.length + " strata");
        }
        Map<String, KaplanMeier> curves = new TreeMap<>();
        for (Map.Entry<String, int[]> group : new TreeMap<>(SurvivalOrder.indexesBy(stratum)).entrySet()) {
            int[] rows = group.getValue();
            double[] t = new double[rows.length];
            boolean[] e = new boolean[rows.length];
            for (int k = 0; k < rows.length; k++) {
                t[k] = time[rows[k]];
                e[k] = event[rows[k]];
            }
            curves.put(group.getKey(), fit(t, e));
        }
        return curves;
    }

    public List<Step> steps() {
        return steps;
    }

    public int subjects() {
        return subjects;
    }

    public int events() {
        return steps.stream().mapToInt(Step::events).sum();
    }

    /**
     * The median and its confidence limits the way R's {@code survfit} prints them: the first time the curve (for
     * the lower limit: the lower confidence curve, for the upper limit: the upper one) is at or below 0.5; when it
     * is exactly 0.5 on a flat step, the midpoint between that step and the next time the curve drops.
     */
    public Median median() {
        double[] times = steps.stream().mapToDouble(Step::time).toArray();
        return new Median(quantile(times, steps.stream().mapToDouble(Step::survival).toArray()),
                quantile(times, steps.stream().mapToDouble(Step::lower).toArray()),
                quantile(times, steps.stream().mapToDouble(Step::upper).toArray()));
    }

    /**
     * The median of a step curve (a Kaplan-Meier curve or a predicted one) by R's rule: the first time it is at or
     * below 0.5, the midpoint to the next drop when it is exactly 0.5 on a flat step; {@code NaN} when it stays above.
     *
     * @param times ascending step times
     * @param curve the curve's value at each step
     */
    public static double quantile(double[] times, double[] curve) {
        double p = 0.5;
        for (int i = 0; i < curve.length; i++) {
            if (curve[i] <= p + TOLERANCE) {
                if (Math.abs(curve[i] - p) < TOLERANCE) {
                    for (int j = i + 1; j < curve.length; j++) {
                        if (curve[j] < curve[i] - TOLERANCE) {
                            return (times[i] + times[j]) / 2;
                        }
                    }
                }
                return times[i];
            }
        }
        return Double.NaN;
    }

    /** S(t): the curve at the last step at or before {@code t}, 1 before the first. */
    public double survivalAt(double t) {
        double[] times = steps.stream().mapToDouble(Step::time).toArray();
        int k = Arrays.binarySearch(times, t);
        int last = k >= 0 ? k : -k - 2;
        return last < 0 ? 1 : steps.get(last).survival();
    }
}

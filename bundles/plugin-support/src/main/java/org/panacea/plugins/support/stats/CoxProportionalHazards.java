package org.panacea.plugins.support.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.panacea.plugins.support.Cholesky;

/**
 * A Cox proportional hazards model fitted by Newton–Raphson on the partial likelihood, as R's
 * {@code coxph(Surv(time, status) ~ ...)} does: covariates centred at their means, start at beta = 0, stop when the
 * log-likelihood changes by less than 1e-12 of itself (at most {@value #MAX_ITERATIONS} iterations, the step halved
 * while the log-likelihood falls), tied event times handled by Breslow's or Efron's approximation. Rows with a
 * missing covariate ({@code NaN}) are left out and counted. Each iteration is one pass over the subjects in
 * descending time ({@code O(n p^2)}), the concordance a pass with a Fenwick tree ({@code O(n log n)}). Immutable once
 * fitted.
 */
public final class CoxProportionalHazards {

    /** How tied event times enter the partial likelihood. */
    public enum Ties {
        /** Every death at a time sees the whole risk set. */
        BRESLOW,
        /** The deaths at a time leave the risk set in equal fractions (R's default). */
        EFRON
    }

    /**
     * Harrell's concordance of the linear predictor with the follow-up, counted the way R's
     * {@code concordance(coxph)} counts: a pair is comparable when the shorter time ended in an event (a censoring
     * at the same time as an event counts as later); a higher risk on the shorter time is concordant; equal risks
     * are tied in x and count one half; two events at the same time are tied in y and not comparable.
     */
    public record Concordance(long concordant, long discordant, long tiedX, long tiedY, long tiedXY) {

        public double value() {
            return (concordant + tiedX / 2.0) / (concordant + discordant + tiedX);
        }
    }

    public static final int MAX_ITERATIONS = 30;
    private static final double TOLERANCE = 1e-12;

    private final List<String> names;
    private final Ties ties;
    private final int subjects;
    private final int events;
    private final int dropped;
    private final double[] means;
    private final double[] coefficients;
    private final double[][] covariance;
    private final double logLikelihoodNull;
    private final double logLikelihood;
    private final int iterations;
    private final Concordance concordance;
    private final double[] eventTimes;
    private final double[] baselineCumulativeHazard;

    private CoxProportionalHazards(Builder b) {
        names = b.names;
        ties = b.ties;
        subjects = b.n;
        events = b.events;
        dropped = b.dropped;
        means = b.means;
        coefficients = b.beta;
        covariance = b.covariance;
        logLikelihoodNull = b.logLikelihoodNull;
        logLikelihood = b.logLikelihood;
        iterations = b.iterations;
        concordance = b.concordance;
        eventTimes = b.eventTimes;
        baselineCumulativeHazard = b.baseline;
    }

    /**
     * @param names   covariate names, one per column of {@code x}
     * @param x       covariates, one row per subject; {@code NaN} where missing
     * @param time    follow-up times; {@code NaN} where missing
     * @param event   {@code true} where follow-up ended with the event
     * @throws IllegalArgumentException when there is no event, the covariates are collinear or the fit does not
     *                                  converge
     */
    public static CoxProportionalHazards fit(List<String> names, double[][] x, double[] time, boolean[] event,
            Ties ties) {
        if (x.length != time.length || x.length != event.length) {
            throw new IllegalArgumentException("covariates, times and event flags differ in length");
        }
        return new Builder(names, x, time, event, ties).fit();
    }

    public List<String> names() {
        return names;
    }

    public Ties ties() {
        return ties;
    }

    /** Subjects in the fit, after rows with missing covariates were left out. */
    public int subjects() {
        return subjects;
    }

    public int events() {
        return events;
    }

    /** Rows left out for a missing covariate or time. */
    public int dropped() {
        return dropped;
    }

    public double[] means() {
        return means.clone();
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    /** The inverse of the information matrix at the fit. */
    public double[][] covariance() {
        double[][] copy = new double[covariance.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = covariance[i].clone();
        }
        return copy;
    }

    public double standardError(int j) {
        return Math.sqrt(covariance[j][j]);
    }

    /** Wald z of coefficient {@code j}: coefficient over its standard error. */
    public double zValue(int j) {
        return coefficients[j] / standardError(j);
    }

    /** Two-sided p value of the Wald test of coefficient {@code j}. */
    public double pValue(int j) {
        double z = zValue(j);
        return ChiSquareDistribution.survival(z * z, 1);
    }

    public double hazardRatio(int j) {
        return Math.exp(coefficients[j]);
    }

    public double hazardRatioLower(int j) {
        return Math.exp(coefficients[j] - KaplanMeier.Z_975 * standardError(j));
    }

    public double hazardRatioUpper(int j) {
        return Math.exp(coefficients[j] + KaplanMeier.Z_975 * standardError(j));
    }

    public double logLikelihoodNull() {
        return logLikelihoodNull;
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    public int iterations() {
        return iterations;
    }

    /** The likelihood-ratio statistic 2 (l(beta) - l(0)), chi-square with as many degrees of freedom as covariates. */
    public double likelihoodRatio() {
        return 2 * (logLikelihood - logLikelihoodNull);
    }

    public double likelihoodRatioPValue() {
        return ChiSquareDistribution.survival(likelihoodRatio(), coefficients.length);
    }

    public Concordance concordance() {
        return concordance;
    }

    /** The distinct event times, ascending. */
    public double[] eventTimes() {
        return eventTimes.clone();
    }

    /**
     * The baseline cumulative hazard at each {@link #eventTimes() event time} for a subject at the covariate means
     * (R's {@code basehaz(fit, centered = TRUE)}), with the same tie handling as the fit.
     */
    public double[] baselineCumulativeHazard() {
        return baselineCumulativeHazard.clone();
    }

    /** The linear predictor relative to the means: (x - means) . beta. */
    public double centredLinearPredictor(double[] covariates) {
        double eta = 0;
        for (int j = 0; j < coefficients.length; j++) {
            eta += coefficients[j] * (covariates[j] - means[j]);
        }
        return eta;
    }

    /** The fitting work, kept apart so that the model above holds only results. */
    private static final class Builder {

        final List<String> names;
        final Ties ties;
        final int dropped;
        final int n;
        final int p;
        /** Centred covariates, row-major: subject i's covariate j at {@code i * p + j}. */
        final double[] x;
        final double[] time;
        final boolean[] event;
        final double[] means;
        /** Subjects by descending time. */
        final int[] descending;
        int events;
        double[] beta;
        double[][] covariance;
        double logLikelihoodNull;
        double logLikelihood;
        int iterations;
        Concordance concordance;
        double[] eventTimes;
        double[] baseline;

        Builder(List<String> names, double[][] rawX, double[] rawTime, boolean[] rawEvent, Ties ties) {
            this.names = List.copyOf(names);
            this.ties = ties;
            p = names.size();
            int[] complete = new int[rawX.length];
            int count = 0;
            for (int i = 0; i < rawX.length; i++) {
                if (rawX[i].length != p) {
                    throw new IllegalArgumentException("row " + i + " has " + rawX[i].length + " covariates, not " + p);
                }
                boolean ok = !Double.isNaN(rawTime[i]);
                for (double v : rawX[i]) {
                    ok &= !Double.isNaN(v);
                }
                if (ok) {
                    complete[count++] = i;
                }
            }
            n = count;
            dropped = rawX.length - n;
            x = new double[n * p];
            time = new double[n];
            event = new boolean[n];
            means = new double[p];
            for (int k = 0; k < n; k++) {
                int i = complete[k];
                System.arraycopy(rawX[i], 0, x, k * p, p);
                time[k] = rawTime[i];
                event[k] = rawEvent[i];
                events += event[k] ? 1 : 0;
                for (int j = 0; j < p; j++) {
                    means[j] += x[k * p + j] / n;
                }
            }
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < p; j++) {
                    x[k * p + j] -= means[j];
                }
            }
            int[] ascending = SurvivalOrder.ascending(time);
            descending = new int[n];
            for (int k = 0; k < n; k++) {
                descending[k] = ascending[n - 1 - k];
            }
        }

        CoxProportionalHazards fit() {
            if (events == 0) {
                throw new IllegalArgumentException("no events among " + n + " subjects: nothing to fit");
            }
            beta = new double[p];
            Evaluation current = evaluate(beta);
            logLikelihoodNull = current.logLikelihood;
            boolean converged = false;
            while (!converged && iterations < MAX_ITERATIONS) {
                iterations++;
                double[] step = new Cholesky(current.information).solve(current.score);
                double[] candidate = new double[p];
                for (int j = 0; j < p; j++) {
                    candidate[j] = beta[j] + step[j];
                }
                Evaluation next = evaluate(candidate);
                int halvings = 0;
                while (!(next.logLikelihood >= current.logLikelihood) && !close(next, current) && halvings++ < 60) {
                    for (int j = 0; j < p; j++) {
                        candidate[j] = (candidate[j] + beta[j]) / 2;
                    }
                    next = evaluate(candidate);
                }
                converged = close(next, current);
                beta = candidate;
                current = next;
            }
            if (!converged) {
                throw new IllegalArgumentException("the Cox fit did not converge in " + MAX_ITERATIONS
                        + " iterations: is a covariate perfectly separating the events?");
            }
            logLikelihood = current.logLikelihood;
            covariance = new Cholesky(current.information).inverse();
            double[] risk = linearPredictors(beta);
            concordance = concordance(risk);
            baseline(risk);
            return new CoxProportionalHazards(this);
        }

        private static boolean close(Evaluation a, Evaluation b) {
            return Math.abs(a.logLikelihood - b.logLikelihood) <= TOLERANCE * Math.abs(b.logLikelihood);
        }

        private double[] linearPredictors(double[] b) {
            double[] eta = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                int base = i * p;
                for (int j = 0; j < p; j++) {
                    s += x[base + j] * b[j];
                }
                eta[i] = s;
            }
            return eta;
        }

        /**
         * Log partial likelihood, score and information at {@code b}, adding subjects in descending time. The
         * running sums S0 = sum w, S1 = sum w x, S2 = sum w x x' cover the risk set; D0, D1, D2 the same over the
         * deaths at the current time (Efron removes them in fractions). S2 and D2 keep their lower triangle only.
         */
        private Evaluation evaluate(double[] b) {
            Evaluation e = new Evaluation(p);
            double[] eta = linearPredictors(b);
            double s0 = 0;
            double[] s1 = new double[p];
            double[] s2 = new double[p * p];
            double[] d1 = new double[p];
            double[] d2 = new double[p * p];
            double[] r1 = new double[p];
            int i = 0;
            while (i < n) {
                double t = time[descending[i]];
                int deaths = 0;
                double d0 = 0;
                Arrays.fill(d1, 0);
                Arrays.fill(d2, 0);
                while (i < n && time[descending[i]] == t) {
                    int row = descending[i++];
                    double w = Math.exp(eta[row]);
                    s0 += w;
                    accumulate(s1, s2, row, w);
                    if (event[row]) {
                        deaths++;
                        d0 += w;
                        accumulate(d1, d2, row, w);
                        e.logLikelihood += eta[row];
                        for (int j = 0; j < p; j++) {
                            e.score[j] += x[row * p + j];
                        }
                    }
                }
                for (int l = 0; l < deaths; l++) {
                    double f = ties == Ties.EFRON ? (double) l / deaths : 0;
                    double r0 = s0 - f * d0;
                    e.logLikelihood -= Math.log(r0);
                    for (int j = 0; j < p; j++) {
                        r1[j] = s1[j] - f * d1[j];
                        e.score[j] -= r1[j] / r0;
                    }
                    for (int j = 0; j < p; j++) {
                        for (int k = 0; k <= j; k++) {
                            e.information[j][k] += (s2[j * p + k] - f * d2[j * p + k]) / r0
                                    - r1[j] * r1[k] / (r0 * r0);
                        }
                    }
                }
            }
            for (int j = 0; j < p; j++) {
                for (int k = 0; k < j; k++) {
                    e.information[k][j] = e.information[j][k];
                }
            }
            return e;
        }

        private void accumulate(double[] first, double[] second, int row, double w) {
            int base = row * p;
            for (int j = 0; j < p; j++) {
                double wx = w * x[base + j];
                first[j] += wx;
                for (int k = 0; k <= j; k++) {
                    second[j * p + k] += wx * x[base + k];
                }
            }
        }

        /** The centred baseline cumulative hazard at each distinct event time. */
        private void baseline(double[] eta) {
            List<double[]> increments = new ArrayList<>();
            double s0 = 0;
            int i = 0;
            while (i < n) {
                double t = time[descending[i]];
                int deaths = 0;
                double d0 = 0;
                while (i < n && time[descending[i]] == t) {
                    int row = descending[i++];
                    double w = Math.exp(eta[row]);
                    s0 += w;
                    if (event[row]) {
                        deaths++;
                        d0 += w;
                    }
                }
                if (deaths > 0) {
                    double increment = 0;
                    for (int l = 0; l < deaths; l++) {
                        increment += 1 / (s0 - (ties == Ties.EFRON ? (double) l / deaths : 0) * d0);
                    }
                    increments.add(new double[] { t, increment });
                }
            }
            int m = increments.size();
            eventTimes = new double[m];
            baseline = new double[m];
            double cumulative = 0;
            for (int k = 0; k < m; k++) {
                double[] step = increments.get(m - 1 - k);
                cumulative += step[1];
                eventTimes[k] = step[0];
                baseline[k] = cumulative;
            }
        }

        /**
         * Concordance in one pass over the distinct times, latest first. A Fenwick tree counts the risks of every
         * subject whose time is later than the current one; the censorings at the current time join it before its
         * events are compared (they count as later), the events after (two events at one time are tied in y).
         */
        private Concordance concordance(double[] risk) {
            int[] rank = ranks(risk);
            int distinct = 0;
            for (int r : rank) {
                distinct = Math.max(distinct, r + 1);
            }
            long[] tree = new long[distinct + 1];
            long inTree = 0;
            long concordant = 0;
            long discordant = 0;
            long tiedX = 0;
            long tiedY = 0;
            long tiedXY = 0;
            int i = 0;
            int[] deathsAtTime = new int[n];
            while (i < n) {
                double t = time[descending[i]];
                int deaths = 0;
                while (i < n && time[descending[i]] == t) {
                    int row = descending[i++];
                    if (event[row]) {
                        deathsAtTime[deaths++] = row;
                    } else {
                        add(tree, rank[row]);
                        inTree++;
                    }
                }
                for (int d = 0; d < deaths; d++) {
                    int r = rank[deathsAtTime[d]];
                    long below = prefix(tree, r);
                    long equal = prefix(tree, r + 1) - below;
                    concordant += below;
                    tiedX += equal;
                    discordant += inTree - below - equal;
                }
                if (deaths > 1) {
                    int[] deathRanks = new int[deaths];
                    for (int d = 0; d < deaths; d++) {
                        deathRanks[d] = rank[deathsAtTime[d]];
                    }
                    Arrays.sort(deathRanks);
                    long sameRisk = 0;
                    for (int start = 0; start < deaths;) {
                        int end = start;
                        while (end < deaths && deathRanks[end] == deathRanks[start]) {
                            end++;
                        }
                        long k = end - start;
                        sameRisk += k * (k - 1) / 2;
                        start = end;
                    }
                    tiedXY += sameRisk;
                    tiedY += (long) deaths * (deaths - 1) / 2 - sameRisk;
                }
                for (int d = 0; d < deaths; d++) {
                    add(tree, rank[deathsAtTime[d]]);
                    inTree++;
                }
            }
            return new Concordance(concordant, discordant, tiedX, tiedY, tiedXY);
        }

        /** Dense ranks 0.. of the values, equal values sharing a rank. */
        private static int[] ranks(double[] values) {
            int[] order = IndexSort.ascending(values);
            int[] rank = new int[values.length];
            int r = -1;
            double previous = Double.NaN;
            for (int k = 0; k < order.length; k++) {
                double v = values[order[k]];
                if (k == 0 || v != previous) {
                    r++;
                    previous = v;
                }
                rank[order[k]] = r;
            }
            return rank;
        }

        private static void add(long[] tree, int rank) {
            for (int k = rank + 1; k < tree.length; k += k & -k) {
                tree[k]++;
            }
        }

        /** How many entries have a rank below {@code rank}. */
        private static long prefix(long[] tree, int rank) {
            long sum = 0;
            for (int k = rank; k > 0; k -= k & -k) {
                sum += tree[k];
            }
            return sum;
        }
    }

    /** Log partial likelihood, score vector and information matrix at one beta. */
    private static final class Evaluation {

        double logLikelihood;
        final double[] score;
        final double[][] information;

        Evaluation(int p) {
            score = new double[p];
            information = new double[p][p];
        }
    }
}

package org.panacea.plugins.prediction.survival;

import org.panacea.plugins.support.Cholesky;

import java.util.ArrayList;
import java.util.List;

/**
 * A Cox proportional hazards model fitted by Newton–Raphson on the partial likelihood, as R's
 * {@code coxph(Surv(time, status) ~ ...)} does: covariates centred at their means, start at beta = 0, stop when the
 * log-likelihood changes by less than 1e-12 of itself (at most {@value #MAX_ITERATIONS} iterations, the step halved
 * while the log-likelihood falls), tied event times handled by Breslow's or Efron's approximation. Rows with a
 * missing covariate ({@code NaN}) are left out and counted. Immutable once fitted.
 */
final class CoxProportionalHazards {

    /** How tied event times enter the partial likelihood. */
    enum Ties {
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
    record Concordance(long concordant, long discordant, long tiedX, long tiedY, long tiedXY) {

        double value() {
            return (concordant + tiedX / 2.0) / (concordant + discordant + tiedX);
        }
    }

    static final int MAX_ITERATIONS = 30;
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
        subjects = b.time.length;
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
     * @param time    follow-up times
     * @param event   {@code true} where follow-up ended with the event
     * @throws IllegalArgumentException when the covariates are collinear or the fit does not converge
     */
    static CoxProportionalHazards fit(List<String> names, double[][] x, double[] time, boolean[] event, Ties ties) {
        if (x.length != time.length || x.length != event.length) {
            throw new IllegalArgumentException("covariates, times and event flags differ in length");
        }
        return new Builder(names, x, time, event, ties).fit();
    }

    List<String> names() {
        return names;
    }

    Ties ties() {
        return ties;
    }

    /** Subjects in the fit, after rows with missing covariates were left out. */
    int subjects() {
        return subjects;
    }

    int events() {
        return events;
    }

    /** Rows left out for a missing covariate or time. */
    int dropped() {
        return dropped;
    }

    double[] means() {
        return means.clone();
    }

    double[] coefficients() {
        return coefficients.clone();
    }

    /** The inverse of the information matrix at the fit. */
    double[][] covariance() {
        double[][] copy = new double[covariance.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = covariance[i].clone();
        }
        return copy;
    }

    double standardError(int j) {
        return Math.sqrt(covariance[j][j]);
    }

    double hazardRatio(int j) {
        return Math.exp(coefficients[j]);
    }

    double hazardRatioLower(int j) {
        return Math.exp(coefficients[j] - KaplanMeier.Z_975 * standardError(j));
    }

    double hazardRatioUpper(int j) {
        return Math.exp(coefficients[j] + KaplanMeier.Z_975 * standardError(j));
    }

    double logLikelihoodNull() {
        return logLikelihoodNull;
    }

    double logLikelihood() {
        return logLikelihood;
    }

    int iterations() {
        return iterations;
    }

    /** The likelihood-ratio statistic 2 (l(beta) - l(0)), chi-square with as many degrees of freedom as covariates. */
    double likelihoodRatio() {
        return 2 * (logLikelihood - logLikelihoodNull);
    }

    double likelihoodRatioPValue() {
        return ChiSquareDistribution.survival(likelihoodRatio(), coefficients.length);
    }

    Concordance concordance() {
        return concordance;
    }

    /** The distinct event times, ascending. */
    double[] eventTimes() {
        return eventTimes.clone();
    }

    /**
     * The baseline cumulative hazard at each {@link #eventTimes() event time} for a subject at the covariate means
     * (R's {@code basehaz(fit, centered = TRUE)}), with the same tie handling as the fit.
     */
    double[] baselineCumulativeHazard() {
        return baselineCumulativeHazard.clone();
    }

    /** The linear predictor relative to the means: (x - means) . beta. */
    double centredLinearPredictor(double[] covariates) {
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
        final double[][] x;
        final double[] time;
        final boolean[] event;
        final double[] means;
        final int p;
        final Integer[] descending;
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
            List<Integer> complete = new ArrayList<>();
            for (int i = 0; i < rawX.length; i++) {
                if (rawX[i].length != p) {
                    throw new IllegalArgumentException("row " + i + " has " + rawX[i].length + " covariates, not " + p);
                }
                boolean ok = !Double.isNaN(rawTime[i]);
                for (double v : rawX[i]) {
                    ok &= !Double.isNaN(v);
                }
                if (ok) {
                    complete.add(i);
                }
            }
            dropped = rawX.length - complete.size();
            int n = complete.size();
            x = new double[n][];
            time = new double[n];
            event = new boolean[n];
            means = new double[p];
            for (int k = 0; k < n; k++) {
                int i = complete.get(k);
                x[k] = rawX[i].clone();
                time[k] = rawTime[i];
                event[k] = rawEvent[i];
                events += event[k] ? 1 : 0;
                for (int j = 0; j < p; j++) {
                    means[j] += x[k][j] / n;
                }
            }
            for (double[] row : x) {
                for (int j = 0; j < p; j++) {
                    row[j] -= means[j];
                }
            }
            Integer[] ascending = SurvivalOrder.ascending(time);
            descending = new Integer[n];
            for (int k = 0; k < n; k++) {
                descending[k] = ascending[n - 1 - k];
            }
        }

        CoxProportionalHazards fit() {
            if (events == 0) {
                throw new IllegalArgumentException("no events among " + time.length + " subjects: nothing to fit");
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
            concordance = concordance(beta);
            baseline(beta);
            return new CoxProportionalHazards(this);
        }

        private static boolean close(Evaluation a, Evaluation b) {
            return Math.abs(a.logLikelihood - b.logLikelihood) <= TOLERANCE * Math.abs(b.logLikelihood);
        }

        private double eta(int row, double[] b) {
            double eta = 0;
            for (int j = 0; j < p; j++) {
                eta += x[row][j] * b[j];
            }
            return eta;
        }

        /** Log partial likelihood, score and information at {@code b}, adding subjects in descending time. */
        private Evaluation evaluate(double[] b) {
            Evaluation e = new Evaluation(p);
            double s0 = 0;
            double[] s1 = new double[p];
            double[][] s2 = new double[p][p];
            int i = 0;
            int n = time.length;
            while (i < n) {
                double t = time[descending[i]];
                int deaths = 0;
                double d0 = 0;
                double[] d1 = new double[p];
                double[][] d2 = new double[p][p];
                while (i < n && time[descending[i]] == t) {
                    int row = descending[i++];
                    double eta = eta(row, b);
                    double w = Math.exp(eta);
                    s0 += w;
                    accumulate(s1, s2, x[row], w);
                    if (event[row]) {
                        deaths++;
                        d0 += w;
                        accumulate(d1, d2, x[row], w);
                        e.logLikelihood += eta;
                        for (int j = 0; j < p; j++) {
                            e.score[j] += x[row][j];
                        }
                    }
                }
                for (int l = 0; l < deaths; l++) {
                    double f = ties == Ties.EFRON ? (double) l / deaths : 0;
                    double r0 = s0 - f * d0;
                    e.logLikelihood -= Math.log(r0);
                    for (int j = 0; j < p; j++) {
                        double r1j = s1[j] - f * d1[j];
                        e.score[j] -= r1j / r0;
                        for (int k = 0; k < p; k++) {
                            double r1k = s1[k] - f * d1[k];
                            e.information[j][k] += (s2[j][k] - f * d2[j][k]) / r0 - r1j * r1k / (r0 * r0);
                        }
                    }
                }
            }
            return e;
        }

        private static void accumulate(double[] first, double[][] second, double[] row, double w) {
            for (int j = 0; j < row.length; j++) {
                first[j] += w * row[j];
                for (int k = 0; k < row.length; k++) {
                    second[j][k] += w * row[j] * row[k];
                }
            }
        }

        /** The centred baseline cumulative hazard at each distinct event time. */
        private void baseline(double[] b) {
            int n = time.length;
            List<double[]> increments = new ArrayList<>();
            double s0 = 0;
            int i = 0;
            while (i < n) {
                double t = time[descending[i]];
                int deaths = 0;
                double d0 = 0;
                while (i < n && time[descending[i]] == t) {
                    int row = descending[i++];
                    double w = Math.exp(eta(row, b));
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

        private Concordance concordance(double[] b) {
            int n = time.length;
            double[] risk = new double[n];
            for (int i = 0; i < n; i++) {
                risk[i] = eta(i, b);
            }
            long concordant = 0;
            long discordant = 0;
            long tiedX = 0;
            long tiedY = 0;
            long tiedXY = 0;
            for (int i = 0; i < n; i++) {
                if (!event[i]) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    if (time[j] == time[i] && event[j]) {
                        if (j > i) { // each pair of tied events once
                            if (risk[i] == risk[j]) {
                                tiedXY++;
                            } else {
                                tiedY++;
                            }
                        }
                    } else if (time[j] >= time[i]) {
                        if (risk[i] > risk[j]) {
                            concordant++;
                        } else if (risk[i] < risk[j]) {
                            discordant++;
                        } else {
                            tiedX++;
                        }
                    }
                }
            }
            return new Concordance(concordant, discordant, tiedX, tiedY, tiedXY);
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

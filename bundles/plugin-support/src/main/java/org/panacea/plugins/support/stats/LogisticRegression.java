package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.Cholesky;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binary logistic regression with an intercept, fitted by maximum likelihood with iteratively reweighted least
 * squares (Newton-Raphson on the log-likelihood), as R's {@code glm(y ~ x, binomial)}: convergence when the relative
 * change of the deviance, {@code |D - D_old| / (|D| + 0.1)}, falls below 1e-12, at most 50 iterations. Standard errors
 * are the square roots of the diagonal of {@code (X'WX)^-1} at the fit, {@code W = diag(p (1 - p))}. (R evaluates
 * {@code W} at the start of its last iteration, converged to only 1e-8, so its standard errors can differ from these
 * in the fifth significant digit.) Immutable.
 */
public final class LogisticRegression {

    public static final double TOLERANCE = 1e-12;
    public static final int MAX_ITERATIONS = 50;

    private final List<String> names;
    private final double[] coefficients;
    private final double[][] covariance;
    private final double[] fitted;
    private final double deviance;
    private final double nullDeviance;
    private final int observations;
    private final int positives;
    private final int iterations;

    private LogisticRegression(List<String> names, double[] coefficients, double[][] covariance, double[] fitted,
            double deviance, double nullDeviance, int positives, int iterations) {
        this.names = names;
        this.coefficients = coefficients;
        this.covariance = covariance;
        this.fitted = fitted;
        this.deviance = deviance;
        this.nullDeviance = nullDeviance;
        this.observations = fitted.length;
        this.positives = positives;
        this.iterations = iterations;
    }

    /**
     * Fits {@code P(y = 1 | x) = 1 / (1 + exp(-(b0 + x . b)))}.
     *
     * @param names covariate names, one per column of {@code x} (the intercept is added)
     * @param x     covariates, one row per observation, no missing values
     * @param y     outcomes, {@code true} for 1
     * @throws IllegalArgumentException on missing values, mismatched sizes, a single outcome class, collinear
     *                                  covariates, or no convergence (complete separation)
     */
    public static LogisticRegression fit(List<String> names, double[][] x, boolean[] y) {
        int n = x.length;
        int p = names.size() + 1;
        if (n != y.length) {
            throw new IllegalArgumentException(n + " rows of covariates but " + y.length + " outcomes");
        }
        // row-major, intercept column first: one array rather than n small ones, read in order by every pass
        double[] design = new double[n * p];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (x[i].length != p - 1) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " covariates, expected "
                        + (p - 1));
            }
            design[i * p] = 1;
            for (int j = 1; j < p; j++) {
                double v = x[i][j - 1];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("row " + i + ", covariate '" + names.get(j - 1)
                            + "' is missing or not finite: " + v);
                }
                design[i * p + j] = v;
            }
            positives += y[i] ? 1 : 0;
        }
        if (positives == 0 || positives == n) {
            throw new IllegalArgumentException("the outcome takes a single value in all " + n + " rows");
        }
        double[] beta = new double[p];
        double[] eta = new double[n];
        double previous = deviance(eta, y);
        int iteration = 0;
        boolean converged = false;
        while (!converged) {
            if (++iteration > MAX_ITERATIONS) {
                throw new IllegalArgumentException("no convergence in " + MAX_ITERATIONS
                        + " iterations: are the outcomes completely separated?");
            }
            double[] score = new double[p];
            double[][] information = new double[p][p];
            scoreAndInformation(design, p, eta, y, score, information);
            double[] step = new Cholesky(information).solve(score);
            for (int j = 0; j < p; j++) {
                beta[j] += step[j];
            }
            eta = linearPredictors(design, p, beta);
            double current = deviance(eta, y);
            if (!Double.isFinite(current)) {
                throw new IllegalArgumentException("the deviance diverged at iteration " + iteration);
            }
            converged = Math.abs(current - previous) / (Math.abs(current) + 0.1) < TOLERANCE;
            previous = current;
        }
        if (previous < 1e-6) {
            throw new IllegalArgumentException("the deviance fell to " + previous + ": the outcomes are completely "
                    + "separated by the covariates and the maximum likelihood estimate does not exist");
        }
        double[][] information = new double[p][p];
        scoreAndInformation(design, p, eta, y, new double[p], information);
        double[][] covariance = new Cholesky(information).inverse();
        double[] fitted = new double[n];
        for (int i = 0; i < n; i++) {
            fitted[i] = logistic(eta[i]);
        }
        double mean = (double) positives / n;
        double nullDeviance = -2 * (positives * Math.log(mean) + (n - positives) * Math.log1p(-mean));
        List<String> all = new ArrayList<>(p);
        all.add("(Intercept)");
        all.addAll(names);
        return new LogisticRegression(List.copyOf(all), beta, covariance, fitted, previous, nullDeviance, positives,
                iteration);
    }

    /** {@code 1 / (1 + exp(-eta))}, without overflow. */
    public static double logistic(double eta) {
        return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
    }

    /** {@code log(1 + exp(t))}, without overflow or loss of precision. */
    private static double log1pExp(double t) {
        return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }

    /** {@code -2 log L = 2 sum log(1 + exp(-eta))} over the ones and {@code 2 sum log(1 + exp(eta))} over the zeros. */
    private static double deviance(double[] eta, boolean[] y) {
        double d = 0;
        for (int i = 0; i < eta.length; i++) {
            d += log1pExp(y[i] ? -eta[i] : eta[i]);
        }
        return 2 * d;
    }

    private static double[] linearPredictors(double[] design, int p, double[] beta) {
        int n = design.length / p;
        double[] eta = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int base = i * p;
            for (int j = 0; j < p; j++) {
                s += design[base + j] * beta[j];
            }
            eta[i] = s;
        }
        return eta;
    }

    /**
     * In one pass: the gradient of the log-likelihood {@code X'(y - mu)} into {@code score}, and the Fisher
     * information {@code X'WX}, {@code W = diag(mu (1 - mu))}, into {@code information}.
     */
    private static void scoreAndInformation(double[] design, int p, double[] eta, boolean[] y, double[] score,
            double[][] information) {
        int n = eta.length;
        double[] lower = new double[p * p];
        for (int i = 0; i < n; i++) {
            double mu = logistic(eta[i]);
            double residual = (y[i] ? 1 : 0) - mu;
            double w = mu * (1 - mu);
            int base = i * p;
            for (int j = 0; j < p; j++) {
                double xj = design[base + j];
                score[j] += xj * residual;
                double wx = w * xj;
                for (int k = 0; k <= j; k++) {
                    lower[j * p + k] += wx * design[base + k];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            for (int k = 0; k <= j; k++) {
                information[j][k] = lower[j * p + k];
                information[k][j] = lower[j * p + k];
            }
        }
    }

    /** {@code (Intercept)} then the covariate names. */
    public List<String> names() {
        return names;
    }

    /** Intercept then one coefficient per covariate, in log-odds; a copy. */
    public double[] coefficients() {
        return coefficients.clone();
    }

    public double intercept() {
        return coefficients[0];
    }

    /** Standard error of coefficient {@code j} ({@code 0} is the intercept). */
    public double standardError(int j) {
        return Math.sqrt(covariance[j][j]);
    }

    /** Wald z value of coefficient {@code j}: coefficient over its standard error. */
    public double zValue(int j) {
        return coefficients[j] / standardError(j);
    }

    /** Two-sided p value of the Wald test of coefficient {@code j}. */
    public double pValue(int j) {
        double z = zValue(j);
        return ChiSquareDistribution.survival(z * z, 1);
    }

    /** {@code (X'WX)^-1} at the fit; a copy. */
    public double[][] covariance() {
        double[][] copy = new double[covariance.length][];
        for (int j = 0; j < copy.length; j++) {
            copy[j] = covariance[j].clone();
        }
        return copy;
    }

    /** Fitted probabilities of the training rows, in their order; a copy. */
    public double[] fitted() {
        return fitted.clone();
    }

    /** Residual deviance, {@code -2 log L}. */
    public double deviance() {
        return deviance;
    }

    /** Deviance of the intercept-only model. */
    public double nullDeviance() {
        return nullDeviance;
    }

    /** Akaike's information criterion, {@code deviance + 2 (covariates + 1)}. */
    public double aic() {
        return deviance + 2 * coefficients.length;
    }

    public double logLikelihood() {
        return -deviance / 2;
    }

    public int observations() {
        return observations;
    }

    /** Number of rows with outcome 1. */
    public int positives() {
        return positives;
    }

    public int iterations() {
        return iterations;
    }

    /** {@code b0 + x . b}, the log-odds for covariates {@code x}. */
    public double linearPredictor(double[] x) {
        if (x.length != coefficients.length - 1) {
            throw new IllegalArgumentException(x.length + " covariates, expected " + (coefficients.length - 1));
        }
        double s = coefficients[0];
        for (int j = 0; j < x.length; j++) {
            s += coefficients[j + 1] * x[j];
        }
        return s;
    }

    /** The probability of outcome 1 for covariates {@code x}. */
    public double probability(double[] x) {
        return logistic(linearPredictor(x));
    }

    @Override
    public String toString() {
        return "LogisticRegression" + names + Arrays.toString(coefficients) + ", deviance " + deviance;
    }
}

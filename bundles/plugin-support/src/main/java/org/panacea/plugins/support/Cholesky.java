package org.panacea.plugins.support;

/**
 * Cholesky factor {@code L} (lower triangular, {@code A = L L'}) of a small symmetric positive-definite matrix, to
 * solve the Newton steps and invert the information matrix of a fit (Cox, logistic).
 */
public final class Cholesky {

    private final double[][] lower;

    /** @throws IllegalArgumentException when {@code a} is not positive definite (collinear covariates) */
    public Cholesky(double[][] a) {
        int n = a.length;
        lower = new double[n][n];
        for (int j = 0; j < n; j++) {
            double diagonal = a[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= lower[j][k] * lower[j][k];
            }
            if (!(diagonal > 0)) {
                throw new IllegalArgumentException("matrix is not positive definite (pivot " + j + " is " + diagonal
                        + "): are covariates collinear or constant?");
            }
            lower[j][j] = Math.sqrt(diagonal);
            for (int i = j + 1; i < n; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= lower[i][k] * lower[j][k];
                }
                lower[i][j] = s / lower[j][j];
            }
        }
    }

    /** x with {@code A x = b}. */
    public double[] solve(double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= lower[i][k] * y[k];
            }
            y[i] = s / lower[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= lower[k][i] * x[k];
            }
            x[i] = s / lower[i][i];
        }
        return x;
    }

    /** A^-1, symmetric. */
    public double[][] inverse() {
        int n = lower.length;
        double[][] inverse = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] unit = new double[n];
            unit[j] = 1;
            inverse[j] = solve(unit);
        }
        return inverse;
    }
}

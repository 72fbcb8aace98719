package org.panacea.plugins.support.stats;

/**
 * Upper tail of the chi-square distribution for whole degrees of freedom, in closed form: for even {@code k} a
 * finite Poisson sum, for odd {@code k} the complementary error function plus a finite sum (Abramowitz and Stegun
 * 26.4.4 and 26.4.5). Exact to the accuracy of {@link #erfc(double)} and the sums, with no iteration. With one degree
 * of freedom it is also the two-sided p value of a standard normal z: {@code survival(z * z, 1)}.
 */
public final class ChiSquareDistribution {

    private static final double ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-638, as in
    // his SPECFUN routine CALERF (netlib specfun/erf): relative error below about 1e-15 in double precision.
    private static final double[] A = { 3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2,
            3.20937758913846947e3, 1.85777706184603153e-1 };
    private static final double[] B = { 2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3,
            2.84423683343917062e3 };
    private static final double[] C = { 5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1,
            2.98635138197400131e2, 8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3,
            1.23033935479799725e3, 2.15311535474403846e-8 };
    private static final double[] D = { 1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2,
            1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3,
            1.23033935480374942e3 };
    private static final double[] P = { 3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
            1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2 };
    private static final double[] Q = { 2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1,
            6.05183413124413191e-2, 2.33520497626869185e-3 };

    private ChiSquareDistribution() {
    }

    /** P(X > {@code x}) for X chi-square with {@code df} degrees of freedom; 1 for {@code x <= 0}. */
    public static double survival(double x, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 1;
        }
        double half = x / 2;
        double sum = 0;
        if (df % 2 == 0) {
            double term = 1;
            for (int i = 0; i < df / 2; i++) {
                sum += term;
                term *= half / (i + 1);
            }
            return Math.exp(-half) * sum;
        }
        // term_i = half^(i - 1/2) / Gamma(i + 1/2), starting at i = 1 with Gamma(3/2) = sqrt(pi) / 2
        double term = Math.sqrt(half) * 2 * ONE_OVER_SQRT_PI;
        for (int i = 1; i <= (df - 1) / 2; i++) {
            sum += term;
            term *= half / (i + 0.5);
        }
        return erfc(Math.sqrt(half)) + Math.exp(-half) * sum;
    }

    /** The complementary error function, 1 - erf(x), after Cody's CALERF. */
    public static double erfc(double x) {
        double y = Math.abs(x);
        double result;
        if (y <= 0.46875) {
            double ysq = y > 1.11e-16 ? y * y : 0;
            double num = A[4] * ysq;
            double den = ysq;
            for (int i = 0; i < 3; i++) {
                num = (num + A[i]) * ysq;
                den = (den + B[i]) * ysq;
            }
            return 1 - x * (num + A[3]) / (den + B[3]);
        } else if (y <= 4) {
            double num = C[8] * y;
            double den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            result = expMinusSquare(y) * (num + C[7]) / (den + D[7]);
        } else if (y < 26.543) {
            double ysq = 1 / (y * y);
            double num = P[5] * ysq;
            double den = ysq;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }
            result = expMinusSquare(y) * (ONE_OVER_SQRT_PI - ysq * (num + P[4]) / (den + Q[4])) / y;
        } else {
            result = 0;
        }
        return x < 0 ? 2 - result : result;
    }

    /** exp(-y^2), split as Cody does so that the rounding of y^2 does not cost relative accuracy. */
    private static double expMinusSquare(double y) {
        double ysq = Math.floor(16 * y) / 16;
        double del = (y - ysq) * (y + ysq);
        return Math.exp(-ysq * ysq) * Math.exp(-del);
    }
}

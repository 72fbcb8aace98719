package org.panacea.plugins.support.stats;

import org.panacea.plugins.support.Cholesky;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log-rank test that survival is the same in every group, as R's {@code survdiff(..., rho = 0)}: observed and
 * expected events per group, their covariance, and the chi-square statistic with (groups - 1) degrees of freedom.
 * Immutable.
 *
 * @param groups     group labels, in natural order
 * @param observed   events observed in each group
 * @param expected   events expected in each group under the null hypothesis
 * @param variance   covariance matrix of (observed - expected)
 * @param chiSquare  the test statistic
 * @param df         degrees of freedom, groups - 1
 * @param pValue     P(chi-square with {@code df} > {@code chiSquare})
 */
public record LogRankTest(List<String> groups, double[] observed, double[] expected, double[][] variance, double chiSquare,
        int df, double pValue) {

    /** @throws IllegalArgumentException with fewer than two groups */
    public static LogRankTest of(double[] time, boolean[] event, String[] group) {
        if (time.length != event.length || time.length != group.length) {
            throw new IllegalArgumentException("times, event flags and groups differ in length");
        }
        Map<String, Integer> index = new TreeMap<>();
        for (String g : group) {
            index.put(g, 0);
        }
        List<String> labels = new ArrayList<>(index.keySet());
        int k = labels.size();
        if (k < 2) {
            throw new IllegalArgumentException("the log-rank test needs at least two groups, found " + labels);
        }
        for (int j = 0; j < k; j++) {
            index.put(labels.get(j), j);
        }
        int[] member = new int[time.length];
        int[] atRisk = new int[k];
        for (int i = 0; i < time.length; i++) {
            member[i] = index.get(group[i]);
            atRisk[member[i]]++;
        }
        double[] observed = new double[k];
        double[] expected = new double[k];
        double[][] variance = new double[k][k];
        int[] order = SurvivalOrder.ascending(time);
        int i = 0;
        while (i < order.length) {
            double t = time[order[i]];
            int[] deaths = new int[k];
            int[] leaving = new int[k];
            while (i < order.length && time[order[i]] == t) {
                int row = order[i++];
                leaving[member[row]]++;
                if (event[row]) {
                    deaths[member[row]]++;
                }
            }
            int d = 0;
            int n = 0;
            for (int j = 0; j < k; j++) {
                d += deaths[j];
                n += atRisk[j];
            }
            if (d > 0) {
                double scale = n > 1 ? (double) d * (n - d) / (n - 1) : 0;
                for (int a = 0; a < k; a++) {
                    double share = (double) atRisk[a] / n;
                    observed[a] += deaths[a];
                    expected[a] += d * share;
                    for (int b = 0; b < k; b++) {
                        variance[a][b] += scale * share * ((a == b ? 1 : 0) - (double) atRisk[b] / n);
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                atRisk[j] -= leaving[j];
            }
        }
        // The statistic on the first k - 1 groups: the full covariance matrix is singular.
        double[] difference = new double[k - 1];
        double[][] reduced = new double[k - 1][k - 1];
        for (int a = 0; a < k - 1; a++) {
            difference[a] = observed[a] - expected[a];
            System.arraycopy(variance[a], 0, reduced[a], 0, k - 1);
        }
        double[] solved = new Cholesky(reduced).solve(difference);
        double chiSquare = 0;
        for (int a = 0; a < k - 1; a++) {
            chiSquare += difference[a] * solved[a];
        }
        return new LogRankTest(List.copyOf(labels), observed, expected, variance, chiSquare, k - 1,
                ChiSquareDistribution.survival(chiSquare, k - 1));
    }
}

package org.panacea.plugins.support.stats;

/**
 * Area under the ROC curve by the Mann-Whitney statistic: the fraction of (positive, negative) pairs in which the
 * positive scores higher, a tie counting 1/2. Equal to the trapezoidal area under the empirical ROC curve, as R's
 * {@code pROC::auc} reports it.
 */
public final class RocAuc {

    private RocAuc() {
    }

    /**
     * @param score    the classifier's score of each case, higher meaning more likely positive
     * @param positive the true class of each case
     * @throws IllegalArgumentException on mismatched sizes, a missing score, or when a class is absent
     */
    public static double auc(double[] score, boolean[] positive) {
        int n = score.length;
        if (n != positive.length) {
            throw new IllegalArgumentException(n + " scores but " + positive.length + " classes");
        }
        long positives = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(score[i])) {
                throw new IllegalArgumentException("score " + i + " is missing");
            }
            positives += positive[i] ? 1 : 0;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("the AUC needs both classes: " + positives + " positive, " + negatives
                    + " negative");
        }
        int[] order = IndexSort.ascending(score);
        // twice the Mann-Whitney U: each positive beats the negatives below its tie group (2 each) and ties those in it (1)
        long twiceU = 0;
        long negativesBelow = 0;
        for (int start = 0; start < n;) {
            int end = start;
            long groupPositives = 0;
            long groupNegatives = 0;
            while (end < n && score[order[end]] == score[order[start]]) {
                if (positive[order[end]]) {
                    groupPositives++;
                } else {
                    groupNegatives++;
                }
                end++;
            }
            twiceU += groupPositives * (2 * negativesBelow + groupNegatives);
            negativesBelow += groupNegatives;
            start = end;
        }
        return twiceU / (2.0 * positives * negatives);
    }
}

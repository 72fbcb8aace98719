package org.panacea.plugins.support.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/** Orderings and groupings of subjects shared by the estimators. */
final class SurvivalOrder {

    private SurvivalOrder() {
    }

    /** Row indexes sorted by ascending time (stable). */
    static int[] ascending(double[] time) {
        for (int i = 0; i < time.length; i++) {
            if (Double.isNaN(time[i])) {
                throw new IllegalArgumentException("time of row " + i + " is missing");
            }
        }
        return IndexSort.ascending(time);
    }

    /** Row indexes of each label, labels in order of first appearance. */
    static Map<String, int[]> indexesBy(String[] label) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String l : label) {
            counts.merge(l, 1, Integer::sum);
        }
        Map<String, int[]> indexes = new LinkedHashMap<>();
        counts.forEach((l, count) -> indexes.put(l, new int[count]));
        Map<String, Integer> filled = new LinkedHashMap<>();
        for (int i = 0; i < label.length; i++) {
            int k = filled.merge(label[i], 1, Integer::sum) - 1;
            indexes.get(label[i])[k] = i;
        }
        return indexes;
    }
}

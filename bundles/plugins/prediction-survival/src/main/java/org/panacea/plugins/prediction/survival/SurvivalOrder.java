package org.panacea.plugins.prediction.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Orderings and groupings of subjects shared by the estimators. */
final class SurvivalOrder {

    private SurvivalOrder() {
    }

    /** Row indexes sorted by ascending time (stable). */
    static Integer[] ascending(double[] time) {
        Integer[] order = new Integer[time.length];
        for (int i = 0; i < order.length; i++) {
            if (Double.isNaN(time[i])) {
                throw new IllegalArgumentException("time of row " + i + " is missing");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> time[i]));
        return order;
    }

    /** Row indexes of each label, labels in order of first appearance. */
    static Map<String, int[]> indexesBy(String[] label) {
        Map<String, List<Integer>> lists = new LinkedHashMap<>();
        for (int i = 0; i < label.length; i++) {
            lists.computeIfAbsent(label[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, int[]> indexes = new LinkedHashMap<>();
        lists.forEach((k, v) -> indexes.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return indexes;
    }
}

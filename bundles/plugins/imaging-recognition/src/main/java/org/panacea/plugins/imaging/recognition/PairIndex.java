package org.panacea.plugins.imaging.recognition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pairs of points no farther apart than {@code reach} (Euclidean, inclusive, as SciPy's
 * {@code cKDTree.query_pairs}), found through a grid of {@code reach}-sized cells instead of comparing every pair.
 */
final class PairIndex {

    private final double[] rows;
    private final double[] cols;
    private final double reach;
    private final Map<Long, List<Integer>> cells = new HashMap<>();

    PairIndex(double[] rows, double[] cols, double reach) {
        this.rows = rows;
        this.cols = cols;
        this.reach = Math.max(reach, 1e-9);
        for (int i = 0; i < rows.length; i++) {
            cells.computeIfAbsent(cell(cellOf(rows[i]), cellOf(cols[i])), k -> new ArrayList<>()).add(i);
        }
    }

    private long cellOf(double coordinate) {
        return (long) Math.floor(coordinate / reach);
    }

    private static long cell(long row, long col) {
        return (row << 32) ^ (col & 0xFFFFFFFFL);
    }

    /** The points {@code j > i} within reach of point {@code i}, in increasing order. */
    int[] partnersAfter(int i) {
        long r = cellOf(rows[i]);
        long c = cellOf(cols[i]);
        int[] partners = new int[8];
        int count = 0;
        for (long dr = -1; dr <= 1; dr++) {
            for (long dc = -1; dc <= 1; dc++) {
                List<Integer> members = cells.get(cell(r + dr, c + dc));
                if (members == null) {
                    continue;
                }
                for (int j : members) {
                    if (j > i) {
                        double dRow = rows[j] - rows[i];
                        double dCol = cols[j] - cols[i];
                        if (dRow * dRow + dCol * dCol <= reach * reach) {
                            if (count == partners.length) {
                                partners = Arrays.copyOf(partners, count * 2);
                            }
                            partners[count++] = j;
                        }
                    }
                }
            }
        }
        int[] result = Arrays.copyOf(partners, count);
        Arrays.sort(result);
        return result;
    }
}

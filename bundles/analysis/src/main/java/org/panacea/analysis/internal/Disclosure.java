package org.panacea.analysis.internal;

/**
 * What an analysis may show of small numbers. Callers who may read charts see everything; callers limited to
 * aggregate data (researchers) see no group, and no count, of fewer than {@link #minimumGroupSize} patients, and
 * Kaplan-Meier curves only while that many are at risk, so that no result describes an identifiable few.
 *
 * @param minimumGroupSize the smallest number shown; 1 shows everything
 */
public record Disclosure(int minimumGroupSize) {

    /** Everything: for callers who may read the charts themselves. */
    public static final Disclosure FULL = new Disclosure(1);

    /** Aggregates of at least five patients: for callers limited to aggregate data. */
    public static final Disclosure AGGREGATE_ONLY = new Disclosure(5);

    public Disclosure {
        if (minimumGroupSize < 1) {
            throw new IllegalArgumentException("the minimum group size is at least 1, was " + minimumGroupSize);
        }
    }

    /** {@code true} for {@link #FULL}: nothing is hidden. */
    public boolean showsEverything() {
        return minimumGroupSize == 1;
    }

    /** {@code true} when a count of {@code n} (more than none, fewer than the minimum) must not be shown. */
    public boolean hides(long n) {
        return n > 0 && n < minimumGroupSize;
    }

    /** How a hidden count is shown: {@code "<5"}. */
    public String hiddenCount() {
        return "<" + minimumGroupSize;
    }
}

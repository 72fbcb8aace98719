package org.panacea.records.internal.fhir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Numbers as decimal buckets, so that a quantity search ({@code value-quantity=gt5.4|http://unitsofmeasure.org|mg})
 * is a blind-index lookup, in the manner of {@link DateBuckets}.
 * <p>
 * A value is stored under its order of magnitude and its first one, two and three significant digits:
 * 72.5 gets {@code E1}, {@code E1:7}, {@code E1:72} and {@code E1:725} (that is [10, 100), [70, 80), [72, 73) and
 * [72.5, 72.6)); a negative value the same under {@code N}, zero as {@code Z}. A range is covered by the fewest
 * whole buckets inside it; the finest buckets holding its two ends are boundary buckets whose values are opened and
 * compared exactly. Open ranges reach from 10<sup>-30</sup> to 10<sup>30</sup> in magnitude.
 */
public final class QuantityBuckets {

    static final int MIN_EXPONENT = -30;
    static final int MAX_EXPONENT = 30;
    private static final BigDecimal LIMIT = BigDecimal.ONE.scaleByPowerOfTen(MAX_EXPONENT);

    private QuantityBuckets() {
    }

    /** The tokens a value is stored under (empty when its magnitude is outside the indexed range). */
    public static Set<String> tokens(BigDecimal value) {
        Set<String> tokens = new LinkedHashSet<>();
        int sign = value.signum();
        if (sign == 0) {
            tokens.add("Z");
            return tokens;
        }
        BigDecimal magnitude = value.abs();
        int exponent = exponent(magnitude);
        if (exponent < MIN_EXPONENT || exponent >= MAX_EXPONENT) {
            return tokens;
        }
        String prefix = (sign < 0 ? "N" : "E") + exponent;
        BigDecimal mantissa = magnitude.movePointLeft(exponent);
        tokens.add(prefix);
        for (int digits = 1; digits <= 3; digits++) {
            tokens.add(prefix + ":" + mantissa.movePointRight(digits - 1).setScale(0, RoundingMode.FLOOR)
                    .toPlainString());
        }
        return tokens;
    }

    /** Buckets wholly inside a range, and boundary buckets whose values must be compared exactly. */
    public record Cover(List<String> whole, List<String> boundary) {
    }

    /**
     * The buckets covering the values between {@code low} and {@code high} (null for an open end); which ends are
     * included is left to the exact comparison, so both ends' finest buckets are boundary buckets.
     */
    public static Cover cover(BigDecimal low, BigDecimal high) {
        List<String> whole = new ArrayList<>();
        List<String> boundary = new ArrayList<>();
        BigDecimal from = low == null ? LIMIT.negate() : low.max(LIMIT.negate());
        BigDecimal to = high == null ? LIMIT : high.min(LIMIT);
        if (from.compareTo(to) > 0) {
            return new Cover(whole, boundary);
        }
        if (from.signum() <= 0 && to.signum() >= 0) {
            whole.add("Z");
        }
        if (to.signum() > 0) {
            coverMagnitudes("E", from.max(BigDecimal.ZERO), to, whole, boundary);
        }
        if (from.signum() < 0) {
            coverMagnitudes("N", to.min(BigDecimal.ZERO).negate(), from.negate(), whole, boundary);
        }
        return new Cover(whole, boundary);
    }

    /** Covers the magnitudes in {@code [from, to]} (0 ≤ from < to) with buckets named {@code prefix}. */
    private static void coverMagnitudes(String prefix, BigDecimal from, BigDecimal to, List<String> whole,
            List<String> boundary) {
        BigDecimal smallest = BigDecimal.ONE.scaleByPowerOfTen(MIN_EXPONENT);
        BigDecimal t = from.max(smallest);
        if (from.compareTo(smallest) >= 0) {
            BigDecimal start = finestStart(t);
            if (start.compareTo(t) != 0 || from.compareTo(t) == 0) {
                // The range starts inside (or at the very start of) a finest bucket: compare that bucket exactly.
                boundary.add(finestToken(prefix, t));
                t = start.add(finestSize(t));
            }
        }
        while (t.compareTo(to) < 0) {
            int exponent = exponent(t);
            BigDecimal decade = BigDecimal.ONE.scaleByPowerOfTen(exponent);
            BigDecimal mantissa = t.movePointLeft(exponent).stripTrailingZeros();
            String named = null;
            BigDecimal size = null;
            if (mantissa.compareTo(BigDecimal.ONE) == 0 && decade.scaleByPowerOfTen(1).compareTo(to) <= 0) {
                named = prefix + exponent;
                size = decade.scaleByPowerOfTen(1).subtract(t);
            } else {
                for (int digits = 1; digits <= 3 && named == null; digits++) {
                    BigDecimal step = decade.movePointLeft(digits - 1);
                    boolean aligned = mantissa.movePointRight(digits - 1).stripTrailingZeros().scale() <= 0;
                    if (aligned && t.add(step).compareTo(to) <= 0) {
                        named = prefix + exponent + ":" + mantissa.movePointRight(digits - 1)
                                .setScale(0, RoundingMode.FLOOR).toPlainString();
                        size = step;
                    }
                }
            }
            if (named == null) {
                // Less than one finest bucket is left: the range ends inside it.
                boundary.add(finestToken(prefix, t));
                return;
            }
            whole.add(named);
            t = t.add(size);
        }
        if (t.compareTo(to) == 0 && to.compareTo(LIMIT) < 0) {
            // The end value itself lies in the next bucket; whether it is included is the exact comparison's call.
            boundary.add(finestToken(prefix, t));
        }
    }

    private static int exponent(BigDecimal magnitude) {
        return magnitude.precision() - magnitude.scale() - 1;
    }

    private static BigDecimal finestSize(BigDecimal t) {
        return BigDecimal.ONE.scaleByPowerOfTen(exponent(t) - 2);
    }

    private static BigDecimal finestStart(BigDecimal t) {
        BigDecimal size = finestSize(t);
        return t.divide(size).setScale(0, RoundingMode.FLOOR).multiply(size);
    }

    private static String finestToken(String prefix, BigDecimal t) {
        int exponent = exponent(t);
        return prefix + exponent + ":" + t.movePointLeft(exponent).movePointRight(2).setScale(0, RoundingMode.FLOOR)
                .toPlainString();
    }
}

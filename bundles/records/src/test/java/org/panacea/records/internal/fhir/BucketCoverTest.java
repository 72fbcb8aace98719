package org.panacea.records.internal.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The bucket covers against the plain comparison they stand for, on many random values and ranges: a value in a
 * whole bucket lies in the range (no false match without a look), and a value in the range is in a whole or a
 * boundary bucket (nothing missed).
 */
class BucketCoverTest {

    private final Random random = new Random(20261207);

    @Test
    void dateCoversAreExactOutsideTheirBoundaryHours() {
        Instant earliest = Instant.parse("1890-01-01T00:00:00Z");
        long span = Instant.parse("2040-01-01T00:00:00Z").getEpochSecond() - earliest.getEpochSecond();
        for (int trial = 0; trial < 300; trial++) {
            Instant from = randomInstant(earliest, span);
            Instant to = random.nextInt(4) == 0 ? DateBuckets.CEILING
                    : from.plusSeconds((long) (random.nextDouble() * random.nextDouble() * span / 4) + 1);
            if (random.nextInt(4) == 0) {
                from = DateBuckets.FLOOR;
            }
            if (random.nextBoolean()) {
                from = from.truncatedTo(ChronoUnit.DAYS);
                to = to.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            }
            DateBuckets.Cover cover = DateBuckets.cover(from, to);
            Set<String> whole = new HashSet<>(cover.whole());
            Set<String> boundary = new HashSet<>(cover.boundary());
            assertTrue(cover.whole().size() + cover.boundary().size() <= 9 * 2 + 23 * 2 + 30 * 2 + 11 * 2 + 9 * 2 + 20,
                    "a bounded number of tokens: " + cover.whole().size());
            for (int v = 0; v < 200; v++) {
                DateBuckets.Range value = randomValue(earliest, span);
                Set<String> tokens = DateBuckets.tokens(value);
                boolean inWhole = tokens.stream().anyMatch(whole::contains);
                boolean inBoundary = tokens.stream().anyMatch(boundary::contains);
                boolean within = value.within(from, to);
                if (inWhole) {
                    assertTrue(within, value + " matched a whole bucket of [" + from + ", " + to + ")");
                }
                if (within) {
                    assertTrue(inWhole || inBoundary, value + " lies in [" + from + ", " + to + ") but was missed");
                }
            }
        }
    }

    @Test
    void commonDateSearchesNeedFewTokensAndNoBoundary() {
        DateBuckets.Cover bornBefore1950 = DateBuckets.cover(DateBuckets.FLOOR, Instant.parse("1950-01-01T00:00:00Z"));
        assertEquals(List.of("C:10", "C:11", "C:12", "C:13", "C:14", "C:15", "C:16", "C:17", "C:18", "X:190",
                "X:191", "X:192", "X:193", "X:194"), bornBefore1950.whole());
        assertTrue(bornBefore1950.boundary().isEmpty());
        DateBuckets.Cover aYear = DateBuckets.cover(Instant.parse("2019-01-01T00:00:00Z"),
                Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(List.of("Y:2019"), aYear.whole());
        DateBuckets.Cover lastDay = DateBuckets.cover(Instant.parse("2026-12-06T05:30:00Z"),
                Instant.parse("2026-12-07T05:30:00Z"));
        assertEquals(List.of("H:2026-12-06T05", "H:2026-12-07T05"), lastDay.boundary());
        assertEquals(18 + 5, lastDay.whole().size(), "18 hours to midnight and 5 after: " + lastDay.whole());
    }

    @Test
    void partialDatesAndTimeZonesParseToTheirWholeRange() {
        assertEquals(new DateBuckets.Range(Instant.parse("1950-01-01T00:00:00Z"), Instant.parse("1951-01-01T00:00:00Z"),
                DateBuckets.Precision.YEAR), DateBuckets.parse("1950").orElseThrow());
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), DateBuckets.parse("2024-02").orElseThrow().start());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), DateBuckets.parse("2024-02").orElseThrow().end());
        assertEquals(Instant.parse("2023-03-01T08:10:00Z"),
                DateBuckets.parse("2023-03-01T09:10:00+01:00").orElseThrow().start());
        assertEquals(Set.of("C:20", "X:202", "Y:2023", "M:2023-03", "D:2023-03-01", "H:2023-03-01T08"),
                DateBuckets.tokens(DateBuckets.parse("2023-03-01T09:10:00+01:00").orElseThrow()));
        DateBuckets.Range millis = DateBuckets.parse("2026-12-07T05:45:53.719 00:00").orElseThrow();
        assertEquals(Instant.parse("2026-12-07T05:45:53.719Z"), millis.start(), "an unescaped '+' arrives as a space");
        assertEquals(Instant.parse("2026-12-07T05:45:53.720Z"), millis.end(), "precise to the digits given");
        assertFalse(DateBuckets.parse("2023-02-30").isPresent());
        assertFalse(DateBuckets.parse("yesterday").isPresent());
    }

    @Test
    void quantityCoversAreExactOutsideTheirBoundaryBuckets() {
        for (int trial = 0; trial < 400; trial++) {
            BigDecimal low = random.nextInt(5) == 0 ? null : randomNumber();
            BigDecimal high = random.nextInt(5) == 0 ? null : randomNumber();
            if (low != null && high != null && low.compareTo(high) > 0) {
                BigDecimal swap = low;
                low = high;
                high = swap;
            }
            QuantityBuckets.Cover cover = QuantityBuckets.cover(low, high);
            Set<String> whole = new HashSet<>(cover.whole());
            Set<String> boundary = new HashSet<>(cover.boundary());
            for (int v = 0; v < 300; v++) {
                BigDecimal value = v % 3 == 0 && low != null ? low : v % 3 == 1 && high != null ? high
                        : randomNumber();
                Set<String> tokens = QuantityBuckets.tokens(value);
                boolean within = (low == null || value.compareTo(low) >= 0) && (high == null || value.compareTo(high) <= 0);
                boolean inWhole = tokens.stream().anyMatch(whole::contains);
                boolean inBoundary = tokens.stream().anyMatch(boundary::contains);
                if (inWhole) {
                    assertTrue(within, value + " matched a whole bucket of [" + low + ", " + high + "]: " + cover);
                }
                if (within) {
                    assertTrue(inWhole || inBoundary, value + " lies in [" + low + ", " + high + "] but was missed: "
                            + cover);
                }
            }
        }
    }

    @Test
    void quantityTokensNameMagnitudeAndLeadingDigits() {
        assertEquals(Set.of("E1", "E1:7", "E1:72", "E1:725"), QuantityBuckets.tokens(new BigDecimal("72.50")));
        assertEquals(Set.of("N-1", "N-1:5", "N-1:50", "N-1:500"), QuantityBuckets.tokens(new BigDecimal("-0.5")));
        assertEquals(Set.of("Z"), QuantityBuckets.tokens(new BigDecimal("0.00")));
    }

    private BigDecimal randomNumber() {
        int exponent = random.nextInt(9) - 4;
        BigDecimal value = BigDecimal.valueOf(random.nextInt(100_000), random.nextInt(4)).scaleByPowerOfTen(exponent);
        return random.nextInt(6) == 0 ? value.negate() : value;
    }

    private Instant randomInstant(Instant earliest, long span) {
        return earliest.plusSeconds((long) (random.nextDouble() * span));
    }

    private DateBuckets.Range randomValue(Instant earliest, long span) {
        Instant at = randomInstant(earliest, span);
        var date = at.atOffset(java.time.ZoneOffset.UTC);
        String text = switch (random.nextInt(4)) {
            case 0 -> String.format("%04d", date.getYear());
            case 1 -> String.format("%04d-%02d", date.getYear(), date.getMonthValue());
            case 2 -> date.toLocalDate().toString();
            default -> at.truncatedTo(ChronoUnit.SECONDS).toString();
        };
        return DateBuckets.parse(text).orElseThrow();
    }
}

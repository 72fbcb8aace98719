package org.panacea.records.internal.fhir;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Dates as calendar buckets, so that a date search is a blind-index lookup and never a decryption of every row.
 * <p>
 * A date value is stored as one keyed token for each calendar bucket that holds it, from the century down to its own
 * precision: {@code 1961-04-17} gets {@code C:19}, {@code X:196}, {@code Y:1961}, {@code M:1961-04} and
 * {@code D:1961-04-17}; a time adds its hour ({@code H:1961-04-17T10}, in UTC). A search range is covered by the
 * fewest whole buckets that lie inside it (centuries, then decades, years, months, days, hours), and a resource matches
 * when one of its tokens is among them: it matches when its whole value lies within the range. Where a range starts
 * or ends inside an hour, the hour holding that end is a <em>boundary</em> bucket: its resources are candidates that
 * are opened and compared exactly. Searches to the day (the usual case) have no boundary buckets, so they open
 * nothing but the page they return.
 * <p>
 * What the database learns: which rows share a bucket (rows with the same birth year have one token in common, and
 * with the same birth day five), never the date itself, since the tokens are keyed hashes. Open ranges reach from
 * {@link #FLOOR} to {@link #CEILING}.
 */
public final class DateBuckets {

    /** Earliest date an open range reaches ({@code lt1950} means from 1000-01-01). */
    public static final Instant FLOOR = Instant.parse("1000-01-01T00:00:00Z");
    /** End of the latest date an open range reaches. */
    public static final Instant CEILING = Instant.parse("3000-01-01T00:00:00Z");

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})(-(\\d{2})(-(\\d{2})(T(\\d{2}):(\\d{2})(:(\\d{2})(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    private static final Pattern UNESCAPED_PLUS = Pattern.compile(" (\\d{2}:\\d{2})$");

    private DateBuckets() {
    }

    /** How precisely a value is known. */
    public enum Precision {
        YEAR, MONTH, DAY, TIME
    }

    /**
     * A date value as the range of instants it covers, {@code [start, end)}.
     *
     * @param start     first instant
     * @param end       first instant after it
     * @param precision how precisely it was written
     */
    public record Range(Instant start, Instant end, Precision precision) {

        /** Whether this whole range lies within {@code [from, to)}. */
        public boolean within(Instant from, Instant to) {
            return !start.isBefore(from) && !end.isAfter(to);
        }
    }

    /**
     * Parses a FHIR date, dateTime or instant ({@code 2019}, {@code 2019-03}, {@code 2019-03-04},
     * {@code 2019-03-04T10:15:00+01:00}); a time without a zone is read as UTC. Empty when it is not one.
     */
    public static Optional<Range> parse(String text) {
        // A '+' of a time zone left unescaped in a query string arrives as a space (HAPI's client sends it so).
        var match = DATE_TIME.matcher(UNESCAPED_PLUS.matcher(text.strip()).replaceFirst("+$1"));
        if (!match.matches()) {
            return Optional.empty();
        }
        try {
            int year = Integer.parseInt(match.group(1));
            if (match.group(3) == null) {
                Instant start = LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
                return Optional.of(new Range(start, plusYears(start, 1), Precision.YEAR));
            }
            int month = Integer.parseInt(match.group(3));
            if (match.group(5) == null) {
                Instant start = LocalDateTime.of(year, month, 1, 0, 0).toInstant(ZoneOffset.UTC);
                return Optional.of(new Range(start, start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant(),
                        Precision.MONTH));
            }
            int day = Integer.parseInt(match.group(5));
            if (match.group(7) == null) {
                Instant start = LocalDateTime.of(year, month, day, 0, 0).toInstant(ZoneOffset.UTC);
                return Optional.of(new Range(start, start.plus(1, ChronoUnit.DAYS), Precision.DAY));
            }
            int hour = Integer.parseInt(match.group(7));
            int minute = Integer.parseInt(match.group(8));
            int second = match.group(10) == null ? 0 : Integer.parseInt(match.group(10));
            int nanos = match.group(11) == null ? 0 : Integer.parseInt((match.group(11).substring(1) + "000000000")
                    .substring(0, 9));
            ZoneOffset zone = match.group(12) == null || match.group(12).equals("Z") ? ZoneOffset.UTC
                    : ZoneOffset.of(match.group(12));
            Instant start = OffsetDateTime.of(year, month, day, hour, minute, second, nanos, zone).toInstant();
            // A time is as precise as it is written: to the minute, the second, or the last fraction digit given.
            java.time.Duration precision = match.group(10) == null ? java.time.Duration.ofMinutes(1)
                    : match.group(11) == null ? java.time.Duration.ofSeconds(1)
                            : java.time.Duration.ofNanos((long) Math.pow(10, 10 - match.group(11).length()));
            return Optional.of(new Range(start, start.plus(precision), Precision.TIME));
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The tokens a value is stored under: every bucket that holds it, down to its own precision. */
    public static Set<String> tokens(Range value) {
        Set<String> tokens = new LinkedHashSet<>();
        if (value.start.isBefore(FLOOR) || !value.start.isBefore(CEILING)) {
            return tokens;
        }
        var at = value.start.atOffset(ZoneOffset.UTC);
        int year = at.getYear();
        tokens.add("C:" + year / 100);
        tokens.add("X:" + year / 10);
        tokens.add("Y:" + year);
        if (value.precision.compareTo(Precision.MONTH) >= 0) {
            tokens.add("M:" + String.format("%04d-%02d", year, at.getMonthValue()));
        }
        if (value.precision.compareTo(Precision.DAY) >= 0) {
            tokens.add("D:" + String.format("%04d-%02d-%02d", year, at.getMonthValue(), at.getDayOfMonth()));
        }
        if (value.precision == Precision.TIME) {
            tokens.add("H:" + String.format("%04d-%02d-%02dT%02d", year, at.getMonthValue(), at.getDayOfMonth(),
                    at.getHour()));
        }
        return tokens;
    }

    /**
     * The buckets covering {@code [from, to)}.
     *
     * @param whole    buckets that lie wholly inside the range: their values match
     * @param boundary hours the range starts or ends inside: their values are compared exactly
     */
    public record Cover(List<String> whole, List<String> boundary) {
    }

    /** The fewest whole buckets inside {@code [from, to)} (clamped to FLOOR..CEILING), and its boundary hours. */
    public static Cover cover(Instant from, Instant to) {
        Instant start = from.isBefore(FLOOR) ? FLOOR : from;
        Instant end = to.isAfter(CEILING) ? CEILING : to;
        List<String> whole = new ArrayList<>();
        List<String> boundary = new ArrayList<>();
        if (!start.isBefore(end)) {
            return new Cover(whole, boundary);
        }
        Instant t = start;
        if (!hourAligned(t)) {
            Instant hour = t.truncatedTo(ChronoUnit.HOURS);
            boundary.add(hourToken(hour));
            t = hour.plus(1, ChronoUnit.HOURS);
        }
        while (t.plus(1, ChronoUnit.HOURS).compareTo(end) <= 0) {
            Bucket bucket = largestAt(t, end);
            whole.add(bucket.token);
            t = bucket.end;
        }
        if (t.isBefore(end)) {
            String last = hourToken(t);
            if (!boundary.contains(last)) {
                boundary.add(last);
            }
        }
        return new Cover(whole, boundary);
    }

    private record Bucket(String token, Instant end) {
    }

    /** The largest bucket that starts at {@code t} (hour-aligned) and ends by {@code end}. */
    private static Bucket largestAt(Instant t, Instant end) {
        var at = t.atOffset(ZoneOffset.UTC);
        int year = at.getYear();
        boolean startOfYear = at.getDayOfYear() == 1 && at.getHour() == 0;
        if (startOfYear && year % 100 == 0 && !plusYears(t, 100).isAfter(end)) {
            return new Bucket("C:" + year / 100, plusYears(t, 100));
        }
        if (startOfYear && year % 10 == 0 && !plusYears(t, 10).isAfter(end)) {
            return new Bucket("X:" + year / 10, plusYears(t, 10));
        }
        if (startOfYear && !plusYears(t, 1).isAfter(end)) {
            return new Bucket("Y:" + year, plusYears(t, 1));
        }
        boolean startOfDay = at.getHour() == 0;
        Instant nextMonth = at.plusMonths(1).toInstant();
        if (startOfDay && at.getDayOfMonth() == 1 && !nextMonth.isAfter(end)) {
            return new Bucket("M:" + String.format("%04d-%02d", year, at.getMonthValue()), nextMonth);
        }
        Instant nextDay = t.plus(1, ChronoUnit.DAYS);
        if (startOfDay && !nextDay.isAfter(end)) {
            return new Bucket("D:" + String.format("%04d-%02d-%02d", year, at.getMonthValue(), at.getDayOfMonth()),
                    nextDay);
        }
        return new Bucket(hourToken(t), t.plus(1, ChronoUnit.HOURS));
    }

    private static boolean hourAligned(Instant t) {
        return t.equals(t.truncatedTo(ChronoUnit.HOURS));
    }

    private static String hourToken(Instant hour) {
        var at = hour.atOffset(ZoneOffset.UTC);
        return "H:" + String.format("%04d-%02d-%02dT%02d", at.getYear(), at.getMonthValue(), at.getDayOfMonth(),
                at.getHour());
    }

    private static Instant plusYears(Instant t, int years) {
        return t.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
    }
}

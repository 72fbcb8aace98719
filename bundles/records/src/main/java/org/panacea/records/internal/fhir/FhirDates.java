package org.panacea.records.internal.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * FHIR's {@code date}, {@code dateTime} and {@code instant}: partial dates (year, year-month) are legal; a time needs
 * a time zone. Each parses to the earliest instant it can mean, which is what "not in the future" must compare.
 */
public final class FhirDates {

    private static final Pattern DATE = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}(-\\d{2}(-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}))?)?)?");

    private FhirDates() {
    }

    /** The earliest instant of a FHIR {@code date}; throws with a readable message when it is not one. */
    public static Instant parseDate(String text) {
        if (!DATE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)");
        }
        return earliest(text);
    }

    /** The earliest instant of a FHIR {@code dateTime} or {@code instant}. */
    public static Instant parseDateTime(String text) {
        if (!DATE_TIME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a FHIR dateTime (YYYY-MM-DD, or "
                    + "YYYY-MM-DDThh:mm:ss with a time zone such as Z or +01:00)");
        }
        return earliest(text);
    }

    private static Instant earliest(String text) {
        try {
            return switch (text.length()) {
                case 4 -> Year.parse(text).atDay(1).atStartOfDay().toInstant(ZoneOffset.MAX);
                case 7 -> YearMonth.parse(text).atDay(1).atStartOfDay().toInstant(ZoneOffset.MAX);
                case 10 -> LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.MAX);
                default -> OffsetDateTime.parse(text).toInstant();
            };
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a real date", e);
        }
    }
}

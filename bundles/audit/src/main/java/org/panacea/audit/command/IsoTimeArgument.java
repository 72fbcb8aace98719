package org.panacea.audit.command;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads a console time option as an instant: {@code 2024-05-01T10:00:00Z}, with an offset
 * ({@code 2024-05-01T12:00:00+02:00}), without one ({@code 2024-05-01T10:00}, taken as UTC, like the trail), or a
 * date alone ({@code 2024-05-01}, midnight UTC).
 */
final class IsoTimeArgument {

    private IsoTimeArgument() {
    }

    /**
     * @param option the option's name, for the message
     * @throws IllegalArgumentException naming {@code option} when {@code text} is none of the forms above
     */
    static Instant parse(String option, String text) {
        String value = text.strip();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an ISO-8601 time; use e.g."
                    + " 2024-05-01T10:00:00Z or 2024-05-01", notDate);
        }
    }
}

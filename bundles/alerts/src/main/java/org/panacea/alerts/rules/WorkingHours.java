package org.panacea.alerts.rules;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The hours each role works, from a setting such as {@code clinician=07:00-19:00, nurse=22:00-08:00}. A range whose
 * end is before its start runs across midnight (a night shift); the start is inside, the end outside. A role that is
 * not named has no working hours: any time is within them. Immutable.
 */
public final class WorkingHours {

    private final Map<String, Shift> shifts;

    private WorkingHours(Map<String, Shift> shifts) {
        this.shifts = Map.copyOf(shifts);
    }

    /**
     * @throws IllegalArgumentException naming the part that is not {@code role=HH:MM-HH:MM}
     */
    public static WorkingHours parse(String setting) {
        Map<String, Shift> shifts = new LinkedHashMap<>();
        for (String part : setting.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] roleAndRange = part.split("=", 2);
            String[] range = roleAndRange.length == 2 ? roleAndRange[1].split("-", 2) : new String[0];
            if (range.length != 2 || roleAndRange[0].isBlank()) {
                throw new IllegalArgumentException("working.hours: '" + part.strip()
                        + "' is not role=HH:MM-HH:MM (e.g. clinician=07:00-19:00)");
            }
            try {
                Shift shift = new Shift(LocalTime.parse(range[0].strip()), LocalTime.parse(range[1].strip()));
                if (shift.start().equals(shift.end())) {
                    throw new IllegalArgumentException("working.hours: '" + part.strip()
                            + "' starts and ends at the same time; leave the role out for no limit");
                }
                shifts.put(roleAndRange[0].strip().toLowerCase(Locale.ROOT), shift);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("working.hours: '" + part.strip() + "' has a time that is not HH:MM",
                        e);
            }
        }
        return new WorkingHours(shifts);
    }

    public boolean isEmpty() {
        return shifts.isEmpty();
    }

    /** The shift of {@code role}, when it has one. */
    public Optional<Shift> shiftOf(String role) {
        return Optional.ofNullable(shifts.get(role.toLowerCase(Locale.ROOT)));
    }

    /** {@code true} when {@code role} may work at {@code time} (always, for a role without working hours). */
    public boolean allows(String role, LocalTime time) {
        return shiftOf(role).map(shift -> shift.contains(time)).orElse(true);
    }

    /** From {@code start} (inclusive) to {@code end} (exclusive), across midnight when {@code end} is earlier. */
    public record Shift(LocalTime start, LocalTime end) {

        public boolean contains(LocalTime time) {
            if (start.isBefore(end)) {
                return !time.isBefore(start) && time.isBefore(end);
            }
            return !time.isBefore(start) || time.isBefore(end);
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }
}

package org.panacea.alerts.rules;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditEntry;

/**
 * A chart opened outside the working hours of the user's role (the role the entry was recorded under), in the
 * hospital's time zone: one alert per user and episode, the episode ending after {@code quietPeriod} without such an
 * opening, so a night of reading makes one alert, not hundreds.
 */
public final class WorkingHoursRule implements EntryRule {

    private final WorkingHours hours;
    private final ZoneId zone;
    private final BurstDetector detector;

    public WorkingHoursRule(WorkingHours hours, ZoneId zone, Duration quietPeriod) {
        this.hours = hours;
        this.zone = zone;
        this.detector = new BurstDetector(0, quietPeriod);
    }

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (hours.isEmpty() || !ChartOpening.is(entry)) {
            return Optional.empty();
        }
        String role = entry.event().role();
        LocalTime local = entry.time().atZone(zone).toLocalTime();
        if (hours.allows(role, local)) {
            return Optional.empty();
        }
        if (detector.add(entry.event().actor(), "", entry.time()) == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(AlertRule.OUTSIDE_WORKING_HOURS, entry.time(), entry.event().actor(),
                entry.event().patientId(), entry.event().actor() + " (" + role + ") opened Patient/"
                        + entry.event().patientId() + " at " + local.withNano(0) + " " + zone + ", outside "
                        + hours.shiftOf(role).orElseThrow(), entry.sequence()));
    }
}

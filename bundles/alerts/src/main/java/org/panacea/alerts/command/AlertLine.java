package org.panacea.alerts.command;

import java.time.temporal.ChronoUnit;

import org.panacea.api.alerts.Alert;

/** One alert as one console line. */
final class AlertLine {

    private AlertLine() {
    }

    static String format(Alert alert) {
        StringBuilder line = new StringBuilder();
        line.append(alert.id()).append(' ').append(alert.raisedAt().truncatedTo(ChronoUnit.SECONDS)).append(' ')
                .append(alert.rule()).append(' ').append(alert.actor());
        if (!alert.patientId().isEmpty()) {
            line.append(" Patient/").append(alert.patientId());
        }
        line.append(" - ").append(alert.summary());
        alert.acknowledgement().ifPresent(ack -> line.append(" [acknowledged by ").append(ack.by()).append(" at ")
                .append(ack.at().truncatedTo(ChronoUnit.SECONDS)).append(": ").append(ack.note()).append(']'));
        return line.toString();
    }
}

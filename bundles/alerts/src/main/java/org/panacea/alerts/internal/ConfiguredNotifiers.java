package org.panacea.alerts.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.panacea.alerts.notify.AlertMessage;
import org.panacea.alerts.notify.AlertNotifier;
import org.panacea.alerts.notify.SmtpMailer;
import org.panacea.alerts.notify.WebhookNotifier;

/** The e-mail and webhook notifiers {@link AlertsConfig} asks for. */
final class ConfiguredNotifiers {

    private ConfiguredNotifiers() {
    }

    /** @throws IllegalArgumentException naming the setting that is wrong */
    static List<AlertNotifier> of(AlertsConfig config) {
        AlertMessage message = new AlertMessage(config.notify_include_patient());
        Duration timeout = Duration.ofSeconds(Math.max(1, config.notify_timeout_seconds()));
        List<AlertNotifier> notifiers = new ArrayList<>();
        if (!config.mail_host().isBlank()) {
            List<String> to = Arrays.stream(config.mail_to().split(",")).map(String::strip)
                    .filter(address -> !address.isEmpty()).toList();
            if (config.mail_port() < 1 || config.mail_port() > 65535) {
                throw new IllegalArgumentException("mail.port must be in 1..65535, was " + config.mail_port());
            }
            notifiers.add(new SmtpMailer(config.mail_host().strip(), config.mail_port(), config.mail_from().strip(),
                    to, (int) timeout.toMillis(), message));
        }
        if (!config.webhook_url().isBlank()) {
            notifiers.add(new WebhookNotifier(config.webhook_url(), timeout, message));
        }
        return notifiers;
    }
}

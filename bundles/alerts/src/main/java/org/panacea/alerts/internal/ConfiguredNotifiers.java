package org.panacea.alerts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

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
            SmtpMailer.Security security = SmtpMailer.Security.of(config.mail_security());
            notifiers.add(new SmtpMailer(config.mail_host().strip(), config.mail_port(), config.mail_from().strip(),
                    to, (int) timeout.toMillis(), message, security,
                    security == SmtpMailer.Security.NONE ? null : tls(config), config.mail_user().strip(),
                    config._mail_password()));
        }
        if (!config.webhook_url().isBlank()) {
            notifiers.add(new WebhookNotifier(config.webhook_url(), timeout, message));
        }
        return notifiers;
    }

    /** The TLS client of the mail server: the configured trust store, or the JVM's default authorities. */
    private static SSLSocketFactory tls(AlertsConfig config) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore store = null;
            if (!config.mail_trustStore().isBlank()) {
                store = KeyStore.getInstance(config.mail_trustStoreType().strip());
                try (InputStream in = Files.newInputStream(Path.of(config.mail_trustStore().strip()))) {
                    store.load(in, config._mail_trustStorePassword().toCharArray());
                }
            }
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("mail.trustStore: cannot read '" + config.mail_trustStore() + "': "
                    + e.getMessage(), e);
        }
    }
}

package org.panacea.alerts.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.angus.mail.smtp.SMTPSSLTransport;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.panacea.api.alerts.Alert;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Sends each alert as one plain-text e-mail through the hospital's SMTP server with Jakarta Mail (Eclipse Angus), one
 * connection per alert: plain to a relay on the hospital's network, upgraded with {@code STARTTLS} (RFC 3207, port
 * 587; the upgrade is required, never skipped when the server does not offer it), or over implicit TLS (RFC 8314,
 * port 465). Over TLS the server must present a certificate the trust store vouches for, issued to the configured
 * host. With a user name it authenticates (RFC 4954), and only over TLS: a password is never sent in clear.
 * <p>
 * The transports are created directly rather than looked up by protocol name, and the message body is a byte data
 * source rather than a text object: both lookups go through Java's service loader, which cannot see across bundles
 * in OSGi.
 */
public final class SmtpMailer implements AlertNotifier {

    /** How the connection to the mail server is protected. */
    public enum Security {
        /** Plain SMTP, for a relay on the hospital's own network. */
        NONE,
        /** Plain SMTP upgraded with {@code STARTTLS} before anything else is sent; refused when not offered. */
        STARTTLS,
        /** SMTP inside TLS from the first byte. */
        TLS;

        /** @throws IllegalArgumentException naming the accepted values */
        public static Security of(String setting) {
            try {
                return valueOf(setting.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mail.security must be none, starttls or tls, was '" + setting
                        + "'", e);
            }
        }
    }

    private final String host;
    private final int port;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final int timeoutMillis;
    private final AlertMessage message;
    private final Security security;
    private final SSLSocketFactory tls;
    private final String user;
    private final String password;

    /**
     * @param security how the connection is protected
     * @param tls      the TLS client for {@link Security#STARTTLS} and {@link Security#TLS}; ignored for
     *                 {@link Security#NONE}
     * @param user     the login name, or empty to send without authenticating
     * @param password the password of {@code user}
     * @throws IllegalArgumentException when an address is not one, there is no recipient, or a user is given without
     *                                  TLS
     */
    public SmtpMailer(String host, int port, String from, List<String> to, int timeoutMillis, AlertMessage message,
            Security security, SSLSocketFactory tls, String user, String password) {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("mail.to: name at least one recipient when mail.host is set");
        }
        if (!user.isEmpty() && security == Security.NONE) {
            throw new IllegalArgumentException("mail.user: authenticating sends the password, which needs"
                    + " mail.security = starttls or tls");
        }
        if (security != Security.NONE && tls == null) {
            throw new IllegalArgumentException("mail.security = " + security.name().toLowerCase(Locale.ROOT)
                    + " needs a TLS client");
        }
        this.host = host;
        this.port = port;
        this.from = address("mail.from", from);
        this.to = to.stream().map(recipient -> address("mail.to", recipient)).toArray(InternetAddress[]::new);
        this.timeoutMillis = timeoutMillis;
        this.message = message;
        this.security = security;
        this.tls = tls;
        this.user = user;
        this.password = password;
    }

    @Override
    public void send(Alert alert) throws IOException {
        // Jakarta Mail finds its stream encoders through the thread's class loader when a session starts; in OSGi that
        // must be the mail implementation's own.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            Session session = Session.getInstance(properties());
            try (Transport transport = security == Security.TLS ? new SMTPSSLTransport(session, null)
                    : new SMTPTransport(session, null)) {
                MimeMessage mail = compose(session, alert);
                transport.connect(host, port, user.isEmpty() ? null : user, user.isEmpty() ? null : password);
                transport.sendMessage(mail, to);
            }
        } catch (MessagingException e) {
            throw new IOException("The SMTP server " + host + ":" + port + " did not take the alert e-mail: "
                    + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return switch (security) {
            case NONE -> "smtp ";
            case STARTTLS -> "smtp+starttls ";
            case TLS -> "smtps ";
        } + host + ":" + port;
    }

    /** The message: fixed headers, the subject and body from the alert, encoded by Jakarta Mail. */
    MimeMessage compose(Session session, Alert alert) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(from);
        mail.setRecipients(Message.RecipientType.TO, to);
        // setSubject encodes what is not ASCII and folds nothing into a new header: a line break in an alert's text
        // cannot add a header.
        mail.setSubject(message.subject(alert).replaceAll("[\\r\\n]+", " "), StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.setDataHandler(new DataHandler(new ByteArrayDataSource(message.text(alert)
                .getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8")));
        mail.saveChanges();
        return mail;
    }

    private Properties properties() {
        String protocol = security == Security.TLS ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.put(prefix + "host", host);
        properties.put(prefix + "port", Integer.toString(port));
        properties.put(prefix + "connectiontimeout", Integer.toString(timeoutMillis));
        properties.put(prefix + "timeout", Integer.toString(timeoutMillis));
        properties.put(prefix + "writetimeout", Integer.toString(timeoutMillis));
        properties.put(prefix + "localhost", "panacea");
        properties.put(prefix + "auth", Boolean.toString(!user.isEmpty()));
        if (security != Security.NONE) {
            properties.put(prefix + "ssl.socketFactory", tls);
            // Without this, any certificate the trust store vouches for would do, whatever host it was issued to.
            properties.put(prefix + "ssl.checkserveridentity", "true");
            properties.put(prefix + "ssl.protocols", "TLSv1.3 TLSv1.2");
        }
        if (security == Security.STARTTLS) {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", "true");
        }
        return properties;
    }

    private static InternetAddress address(String setting, String address) {
        try {
            InternetAddress parsed = new InternetAddress(address.strip(), true);
            if (parsed.getPersonal() != null || parsed.isGroup()) {
                throw new AddressException("a bare address is expected");
            }
            return parsed;
        } catch (AddressException e) {
            throw new IllegalArgumentException(setting + ": '" + address + "' is not an e-mail address ("
                    + e.getMessage() + ")", e);
        }
    }
}

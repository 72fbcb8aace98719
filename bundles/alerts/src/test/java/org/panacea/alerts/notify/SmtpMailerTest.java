package org.panacea.alerts.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.alerts.notify.MailServer.Mode;
import org.panacea.alerts.notify.SmtpMailer.Security;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertRule;

/**
 * Alert e-mail through real SMTP servers (SubEtha SMTP) in each shape a hospital may run: a plain relay, STARTTLS
 * with a login (port 587), implicit TLS (port 465). And every way it must not go: to a server the trust store does
 * not vouch for or that the certificate does not name, in clear when STARTTLS is not offered, a password over plain
 * SMTP, a header smuggled in through an alert's text.
 */
class SmtpMailerTest {

    private static final Alert ALERT = new Alert(3, AlertRule.BREAK_GLASS, Instant.parse("2026-12-07T10:00:00Z"),
            "dr-er", "p7", "dr-er broke the glass on Patient/p7", 12, "node-a", Optional.empty());

    @TempDir
    static Path keys;

    private static SSLSocketFactory trusting;

    @BeforeAll
    static void trust() throws Exception {
        trusting = MailServer.trusting(keys);
    }

    private static SmtpMailer mailer(String host, int port, Security security, SSLSocketFactory tls, String user,
            String password) {
        return new SmtpMailer(host, port, "panacea@hospital.example", List.of("privacy@hospital.example",
                "security@hospital.example"), 10_000, new AlertMessage(true), security, tls, user, password);
    }

    @Test
    void aPlainRelayGetsOneMessageForEveryRecipient() throws Exception {
        try (MailServer server = MailServer.start(Mode.PLAIN, false, keys)) {
            mailer("localhost", server.port(), Security.NONE, null, "", "").send(ALERT);

            assertEquals(2, server.received().size());
            MailServer.Received first = server.received().get(0);
            assertEquals("panacea@hospital.example", first.from());
            assertEquals("privacy@hospital.example", first.to());
            assertEquals("security@hospital.example", server.received().get(1).to());
            assertEquals("[Panacea alert 3] BREAK_GLASS by dr-er", first.message().getSubject());
            String body = new String(first.message().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("dr-er broke the glass on Patient/p7"), body);
            assertTrue(body.contains("Patient: Patient/p7"), body);
        }
    }

    @Test
    void startTlsWithALoginDelivers() throws Exception {
        try (MailServer server = MailServer.start(Mode.STARTTLS, true, keys)) {
            mailer("localhost", server.port(), Security.STARTTLS, trusting, MailServer.USER, MailServer.PASSWORD)
                    .send(ALERT);

            assertEquals(List.of(MailServer.USER), server.logins());
            assertEquals(2, server.received().size());
            assertEquals("[Panacea alert 3] BREAK_GLASS by dr-er", server.received().get(0).message().getSubject());
        }
    }

    @Test
    void implicitTlsWithALoginDelivers() throws Exception {
        try (MailServer server = MailServer.start(Mode.TLS, true, keys)) {
            mailer("localhost", server.port(), Security.TLS, trusting, MailServer.USER, MailServer.PASSWORD)
                    .send(ALERT);

            assertEquals(2, server.received().size());
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsSent() throws Exception {
        try (MailServer server = MailServer.start(Mode.STARTTLS, true, keys)) {
            IOException refused = assertThrows(IOException.class, () -> mailer("localhost", server.port(),
                    Security.STARTTLS, trusting, MailServer.USER, "guess").send(ALERT));

            assertTrue(refused.getMessage().contains("localhost:" + server.port()), refused.getMessage());
            assertTrue(server.received().isEmpty());
        }
    }

    @Test
    void startTlsIsNeverSkippedWhenTheServerDoesNotOfferIt() throws Exception {
        // A server (or a man in the middle) that does not offer STARTTLS: the password and the alert stay unsent.
        try (MailServer server = MailServer.start(Mode.PLAIN, false, keys)) {
            IOException refused = assertThrows(IOException.class, () -> mailer("localhost", server.port(),
                    Security.STARTTLS, trusting, MailServer.USER, MailServer.PASSWORD).send(ALERT));

            assertTrue(refused.getMessage().contains("STARTTLS"), refused.getMessage());
            assertTrue(server.logins().isEmpty());
            assertTrue(server.received().isEmpty());
        }
    }

    @Test
    void aServerOutsideTheTrustStoreOrNamedOtherwiseGetsNothing() throws Exception {
        for (Mode mode : List.of(Mode.STARTTLS, Mode.TLS)) {
            try (MailServer server = MailServer.start(mode, true, keys)) {
                Security security = mode == Mode.TLS ? Security.TLS : Security.STARTTLS;
                // The JVM's authorities never issued the throw-away certificate.
                assertThrows(IOException.class, () -> mailer("localhost", server.port(), security,
                        (SSLSocketFactory) SSLSocketFactory.getDefault(), MailServer.USER, MailServer.PASSWORD)
                        .send(ALERT));
                // The certificate names localhost only: the same server reached as 127.0.0.1 is not the one it names.
                assertThrows(IOException.class, () -> mailer("127.0.0.1", server.port(), security, trusting,
                        MailServer.USER, MailServer.PASSWORD).send(ALERT));

                assertTrue(server.logins().isEmpty(), mode + ": no password reached the server");
                assertTrue(server.received().isEmpty(), mode + ": nothing delivered");
            }
        }
    }

    @Test
    void aPasswordIsNeverConfiguredForPlainSmtp() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> mailer("localhost", 25,
                Security.NONE, null, MailServer.USER, MailServer.PASSWORD));
        assertTrue(refused.getMessage().startsWith("mail.user"), refused.getMessage());
    }

    @Test
    void anAddressThatIsNotOneIsRefusedWithItsSetting() {
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class, () -> new SmtpMailer("localhost",
                25, "panacea@hospital.example>\r\nBcc: x@evil.example", List.of("privacy@hospital.example"), 1000,
                new AlertMessage(true), Security.NONE, null, "", ""));
        assertTrue(from.getMessage().startsWith("mail.from"), from.getMessage());
        IllegalArgumentException to = assertThrows(IllegalArgumentException.class, () -> new SmtpMailer("localhost",
                25, "panacea@hospital.example", List.of("Privacy Office <privacy@hospital.example>"), 1000,
                new AlertMessage(true), Security.NONE, null, "", ""));
        assertTrue(to.getMessage().startsWith("mail.to"), to.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmtpMailer("localhost", 25, "panacea@hospital.example",
                List.of(), 1000, new AlertMessage(true), Security.NONE, null, "", ""));
        assertThrows(IllegalArgumentException.class, () -> Security.of("ssl"));
        assertEquals(Security.STARTTLS, Security.of(" StartTLS "));
    }

    @Test
    void anAlertsTextCannotAddAHeader() throws Exception {
        Alert hostile = new Alert(4, AlertRule.BULK_ACCESS, Instant.parse("2026-12-07T10:00:00Z"),
                "eve\r\nBcc: leak@evil.example", "p8", "line one\r\nBcc: leak@evil.example\r\n.\r\nQUIT", 13, "node-a",
                Optional.empty());
        try (MailServer server = MailServer.start(Mode.PLAIN, false, keys)) {
            mailer("localhost", server.port(), Security.NONE, null, "", "").send(hostile);

            assertEquals(2, server.received().size(), "only the configured recipients");
            MailServer.Received first = server.received().get(0);
            assertNull(first.message().getHeader("Bcc"));
            assertFalse(first.message().getSubject().contains("\n"));
            String body = new String(first.message().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("QUIT"), "the whole text arrived, a lone dot did not end it: " + body);
        }
    }
}

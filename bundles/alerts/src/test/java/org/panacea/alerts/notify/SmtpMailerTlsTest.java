package org.panacea.alerts.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertRule;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Alert e-mail over implicit TLS to a real SMTPS server (GreenMail) presenting a throw-away certificate for
 * localhost: delivered when the trust store vouches for it, refused (and nothing sent) when it does not.
 */
class SmtpMailerTlsTest {

    private static final String PASSWORD = "test-only";
    private static final Alert ALERT = new Alert(3, AlertRule.BREAK_GLASS, Instant.parse("2026-12-07T10:00:00Z"),
            "dr-er", "p7", "dr-er broke the glass on Patient/p7", 12, "node-a", Optional.empty());

    @TempDir
    static Path keys;

    private static GreenMail smtps;
    private static SSLSocketFactory trusting;

    @BeforeAll
    static void start() throws Exception {
        Path serverStore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        // GreenMail's SMTPS server presents this key instead of its built-in one.
        System.setProperty("greenmail.tls.keystore.file", serverStore.toString());
        System.setProperty("greenmail.tls.keystore.password", PASSWORD);
        System.setProperty("greenmail.tls.key.password", PASSWORD);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtps = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();

        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("smtp", server.getCertificate("smtp"));
        try (OutputStream out = Files.newOutputStream(keys.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        trusting = context.getSocketFactory();
    }

    @AfterAll
    static void stop() {
        smtps.stop();
        System.clearProperty("greenmail.tls.keystore.file");
        System.clearProperty("greenmail.tls.keystore.password");
        System.clearProperty("greenmail.tls.key.password");
    }

    private static SmtpMailer mailer(String host, SSLSocketFactory tls) {
        return new SmtpMailer(host, smtps.getSmtps().getPort(), "panacea@hospital.example",
                List.of("privacy@hospital.example"), 10_000, new AlertMessage(true), tls);
    }

    @Test
    void deliversOverTlsToTheServerTheTrustStoreVouchesFor() throws Exception {
        int before = smtps.getReceivedMessages().length;
        mailer("localhost", trusting).send(ALERT);
        assertTrue(smtps.waitForIncomingEmail(10_000, before + 1));
        assertEquals("[Panacea alert 3] BREAK_GLASS by dr-er", smtps.getReceivedMessages()[before].getSubject());
    }

    @Test
    void aServerOutsideTheTrustStoreOrNamedOtherwiseGetsNothing() throws Exception {
        int before = smtps.getReceivedMessages().length;
        // The JVM's authorities never issued the throw-away certificate.
        assertThrows(java.io.IOException.class, () -> mailer("localhost",
                (SSLSocketFactory) SSLSocketFactory.getDefault()).send(ALERT));
        // The certificate names localhost only: the same server reached as 127.0.0.1 is not the one it names.
        assertThrows(java.io.IOException.class, () -> mailer("127.0.0.1", trusting).send(ALERT));
        Thread.sleep(500);
        assertEquals(before, smtps.getReceivedMessages().length);
    }
}

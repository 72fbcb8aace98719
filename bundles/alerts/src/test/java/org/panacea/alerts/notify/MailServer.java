package org.panacea.alerts.notify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server for tests (SubEtha SMTP on a free port of 127.0.0.1) in the shape a hospital may run: a plain
 * relay, STARTTLS required, or implicit TLS; with or without AUTH. Its TLS key is a throw-away certificate for
 * {@code localhost}, made with the JDK's keytool; {@link #trusting()} is a TLS client that trusts it.
 */
public final class MailServer implements AutoCloseable {

    /** The one account of servers that require AUTH. */
    public static final String USER = "alerts";
    public static final String PASSWORD = "test-only-password";

    private static final String STORE_PASSWORD = "test-only";

    public enum Mode {
        PLAIN, STARTTLS, TLS
    }

    /** One message as the server received it. */
    public record Received(String from, String to, MimeMessage message, String raw) {
    }

    private final SMTPServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> logins = new CopyOnWriteArrayList<>();

    private MailServer(SMTPServer.Builder builder) {
        // One delivery per accepted recipient (RCPT TO), so a test sees exactly whom the envelope named.
        this.server = builder.simpleMessageListener(new SimpleMessageListener() {
            @Override
            public boolean accept(String from, String recipient) {
                return true;
            }

            @Override
            public void deliver(String from, String recipient, InputStream data) throws IOException {
                received.add(parse(from, recipient, data.readAllBytes()));
            }
        }).build();
        server.start();
    }

    /** A server for {@code mode}, with AUTH required when {@code auth}; {@code keys} holds its TLS key. */
    public static MailServer start(Mode mode, boolean auth, Path keys) throws IOException, GeneralSecurityException {
        SMTPServer.Builder builder = SMTPServer.port(0).hostName("localhost")
                .bindAddress(java.net.InetAddress.getLoopbackAddress());
        SSLContext serverTls = serverContext(keys);
        switch (mode) {
            case STARTTLS -> builder.enableTLS().requireTLS().startTlsSocketFactory(serverTls);
            case TLS -> builder.serverSocketFactory(serverTls);
            case PLAIN -> {
            }
        }
        MailServer[] self = new MailServer[1];
        if (auth) {
            builder.requireAuth().authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(
                    (user, password, context) -> {
                        self[0].logins.add(user);
                        if (!USER.equals(user) || !PASSWORD.equals(password)) {
                            throw new LoginFailedException("wrong user or password");
                        }
                    }));
        }
        self[0] = new MailServer(builder);
        return self[0];
    }

    public int port() {
        return server.getPortAllocated();
    }

    public List<Received> received() {
        return received;
    }

    /** Waits up to {@code millis} for at least {@code count} messages; {@code true} when they came. */
    public boolean waitFor(int count, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (received.size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return received.size() >= count;
    }

    /** The user names that tried to log in, in order. */
    public List<String> logins() {
        return logins;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A TLS client that trusts the throw-away certificate of the servers made with {@code keys}. */
    static SSLSocketFactory trusting(Path keys) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("smtp", serverStore(keys).getCertificate("smtp"));
        try (OutputStream out = Files.newOutputStream(keys.resolve("trust.p12"))) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static SSLContext serverContext(Path keys) throws IOException, GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(serverStore(keys), STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** The server's key pair, made on first use: a certificate for localhost only. */
    private static synchronized KeyStore serverStore(Path keys) throws IOException, GeneralSecurityException {
        Path file = keys.resolve("server.p12");
        if (!Files.exists(file)) {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass",
                    STORE_PASSWORD, "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost").redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IOException("keytool failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static Received parse(String from, String to, byte[] data) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(data));
            return new Received(from, to, message, new String(data, StandardCharsets.UTF_8));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}

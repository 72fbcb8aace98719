package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;

/**
 * The RFC 5425 sink against a local TLS server whose self-signed key the test makes with the JDK's keytool: messages
 * arrive octet-counted, and a server the trust store does not vouch for gets nothing.
 */
class TlsSyslogSinkTest {

    private static final String PASSWORD = "test-only";

    @TempDir
    static Path keys;

    private static Path serverStore;
    private static Path trustStore;

    private final Rfc5424Formatter formatter = new Rfc5424Formatter("test-host");

    @BeforeAll
    static void makeAThrowAwayServerKey() throws Exception {
        serverStore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", "syslog", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        // The client trusts exactly that certificate.
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            server.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("syslog", server.getCertificate("syslog"));
        trustStore = keys.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    @Test
    void deliversEntriesAndAnchorsOctetCountedOverTls() throws Exception {
        try (SSLServerSocket server = server()) {
            CompletableFuture<List<String>> received = receive(server, 3);
            SyslogExporter exporter = new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of("target", "tls",
                    "host", "127.0.0.1", "port", server.getLocalPort(), "hostname", "test-host", "trustStore",
                    trustStore.toString(), "_trustStorePassword", PASSWORD)));
            AnchorLine anchor = AnchorLine.seal(new CheckpointSealer(new byte[32]), "node-a", 4, AnchorKind.CHECKPOINT,
                    1000, "c".repeat(64), Instant.parse("2026-12-07T10:00:00Z"), Map.of(), "d".repeat(64));

            // Non-ASCII text: MSG-LEN counts bytes, not characters.
            exporter.onCommitted(List.of(entry(1, "Zoë Ångström"), entry(2, "bob")));
            exporter.onAnchored(anchor);

            assertEquals(List.of(formatter.format(entry(1, "Zoë Ångström")), formatter.format(entry(2, "bob")),
                    formatter.formatAnchor(anchor)), received.get(30, TimeUnit.SECONDS));
            assertTrue(received.get().get(2).contains(" ANCHOR [panacea-anchor@32473 node=\"node-a\""
                    + " kind=\"checkpoint\" seq=\"1000\""), received.get().get(2));
            exporter.close();
        }
    }

    @Test
    void aServerTheTrustStoreDoesNotVouchForGetsNothingAndTheExportDoesNotThrow() throws Exception {
        try (SSLServerSocket server = server()) {
            CompletableFuture<List<String>> received = receive(server, 1);
            // No trust store: the JVM's default authorities, which never issued the test's self-signed certificate.
            SyslogExporter exporter = new SyslogExporter(ConfigProxy.of(SyslogConfig.class, Map.of("target", "tls",
                    "host", "127.0.0.1", "port", server.getLocalPort(), "connectTimeoutSeconds", 5)));

            exporter.onCommitted(List.of(entry(1, "alice")));

            List<String> nothing = received.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), nothing);
            exporter.close();
        }
    }

    /** A TLS server on a free loopback port presenting the throw-away certificate. */
    private static SSLServerSocket server() throws Exception {
        SSLContext context = TlsSyslogSink.context(serverStore, PASSWORD.toCharArray(), "PKCS12", serverStore,
                PASSWORD.toCharArray(), "PKCS12");
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        server.setSoTimeout(20_000);
        return server;
    }

    /** Accepts one connection and reads up to {@code count} RFC 5425 frames, fewer when the client gives up. */
    private static CompletableFuture<List<String>> receive(SSLServerSocket server, int count) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> messages = new ArrayList<>();
            try (SSLSocket client = (SSLSocket) server.accept()) {
                client.setSoTimeout(20_000);
                InputStream in = client.getInputStream();
                while (messages.size() < count) {
                    String frame = frame(in);
                    if (frame == null) {
                        break;
                    }
                    messages.add(frame);
                }
                // Closing TLS 1.3 waits for the peer's close_notify up to the read timeout; the client sends none.
                client.setSoTimeout(100);
            } catch (SocketTimeoutException | javax.net.ssl.SSLException refused) {
                // The client refused the handshake: nothing was sent.
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return messages;
        });
    }

    /** {@code MSG-LEN SP SYSLOG-MSG}, or {@code null} at the end of the stream. */
    private static String frame(InputStream in) throws IOException {
        StringBuilder length = new StringBuilder();
        int c;
        while ((c = in.read()) != ' ') {
            if (c == -1) {
                return null;
            }
            assertTrue(c >= '0' && c <= '9', "MSG-LEN is digits, got " + (char) c);
            length.append((char) c);
        }
        byte[] message = in.readNBytes(Integer.parseInt(length.toString()));
        return new String(message, StandardCharsets.UTF_8);
    }

    private static AuditEntry entry(long sequence, String actor) {
        AuditEntry template = Rfc5424FormatterTest.entry(actor, AuditOutcome.SUCCESS, "p-" + sequence,
                Instant.parse("2024-05-01T10:00:00Z").plusSeconds(sequence));
        return new AuditEntry(sequence, template.time(), template.event(), template.detailsDigest(),
                template.previousHash(), template.hash());
    }
}

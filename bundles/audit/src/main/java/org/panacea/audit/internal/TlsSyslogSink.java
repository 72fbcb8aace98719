package org.panacea.audit.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages to a syslog server over TLS (RFC 5425): one TCP connection, each message framed by octet counting
 * ({@code MSG-LEN SP SYSLOG-MSG}, the length in bytes of the UTF-8 message), so messages may hold any character and a
 * receiver never has to guess where one ends. The server must present a certificate that chains to the trust store
 * and names the configured host (checked as HTTPS clients do); a client certificate is offered when configured. TLS
 * 1.3 or 1.2 only.
 *
 * <p>Connects at the first message and stays connected; after any failure the connection is dropped and the next
 * batch connects again. A message is only known to have left when {@link #flush()} returned; a server that stops
 * reading blocks the sender (the export runs on the trail's listener thread, never on the commit path).
 */
final class TlsSyslogSink implements SyslogSink {

    static final int DEFAULT_PORT = 6514;

    private static final Logger LOG = LoggerFactory.getLogger(TlsSyslogSink.class);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final int CLOSE_TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;
    private final SSLSocketFactory factory;
    private final int timeoutMillis;
    private SSLSocket socket;
    private OutputStream out;

    TlsSyslogSink(String host, int port, SSLSocketFactory factory, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.factory = factory;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The TLS context of the configured stores: the trust store's certificates (or the JVM's default authorities
     * when none is given) and, when given, a client key.
     *
     * @throws IOException when a store cannot be read (missing file, wrong password, unknown type)
     */
    static SSLContext context(Path trustStore, char[] trustPassword, String trustType, Path keyStore,
            char[] keyPassword, String keyType) throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore == null ? null : load(trustStore, trustPassword, trustType));
            KeyManagerFactory keys = null;
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keyStore, keyPassword, keyType), keyPassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot set up TLS for the audit syslog export: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        OutputStream stream = connected();
        try {
            stream.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
            stream.write(bytes);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (socket == null) {
            return;
        }
        try {
            // Closing TLS 1.3 waits for the server's close_notify for up to the read timeout: keep that short.
            socket.setSoTimeout(CLOSE_TIMEOUT_MILLIS);
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the audit syslog connection to {}:{} failed", host, port, e);
        } finally {
            socket = null;
            out = null;
        }
    }

    @Override
    public String toString() {
        return "tls " + host + ":" + port;
    }

    private OutputStream connected() throws IOException {
        if (out != null) {
            return out;
        }
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            // Without this, any certificate the trust store vouches for would do, whatever host it was issued to.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(PROTOCOLS.stream()
                    .filter(Arrays.asList(tls.getSupportedProtocols())::contains).toArray(String[]::new));
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(timeoutMillis);
            tls.startHandshake();
            // RFC 5425 traffic is one-way; the timeout only bounded the handshake.
            tls.setSoTimeout(0);
            socket = tls;
            out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
            return out;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static KeyStore load(Path file, char[] password, String type) throws IOException,
            GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}

package org.panacea.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * DICOM TLS (PS3.15 B.1, the basic TLS secure transport connection profile) from configuration: the archive's key
 * and certificate from a key store, the peers it trusts from a trust store, client certificates required unless
 * configured otherwise, and only the configured protocol versions. The same context secures the associations the
 * archive opens for C-MOVE. A key store that cannot be read stops the service with a message naming the file.
 */
final class DicomTls {

    private final SSLContext context;
    private final String[] protocols;
    private final boolean clientAuth;

    private DicomTls(SSLContext context, String[] protocols, boolean clientAuth) {
        this.context = context;
        this.protocols = protocols;
        this.clientAuth = clientAuth;
    }

    /** The TLS settings of {@code config}, or {@code null} when TLS is off. */
    static DicomTls of(DicomNetworkConfig config, Path home) {
        if (!config.tls_enabled()) {
            return null;
        }
        if (config.tls_keystore_path().isBlank()) {
            throw new IllegalArgumentException("tls.enabled needs tls.keystore.path, the archive's key and "
                    + "certificate");
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(home, config.tls_keystore_path(), config.tls_keystore_password()),
                    config.tls_keystore_password().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(config.tls_truststore_path().isBlank() ? null
                    : load(home, config.tls_truststore_path(), config.tls_truststore_password()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            String[] protocols = config.tls_protocols().split("\\s*,\\s*");
            return new DicomTls(context, protocols, config.tls_client_auth());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("DICOM TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path home, String configured, String password)
            throws IOException, GeneralSecurityException {
        Path file = home.resolve(configured);
        if (!Files.isReadable(file)) {
            throw new IOException("the key store " + file + " cannot be read");
        }
        try (InputStream in = Files.newInputStream(file)) {
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            KeyStore store = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password.toCharArray());
            return store;
        }
    }

    ServerSocket serverSocket() throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setEnabledProtocols(protocols);
        server.setNeedClientAuth(clientAuth);
        return server;
    }

    /** A client socket to a C-MOVE destination, over TLS. */
    Socket clientSocket() throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.setEnabledProtocols(protocols);
        return socket;
    }
}

package org.panacea.dicom.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.dicom.net.Pdu;

/**
 * DICOM TLS from configuration: a peer holding a certificate the trust store accepts associates over TLS; one
 * without a certificate, or speaking plain TCP to the TLS port, never reaches the association. The key pairs are
 * made for the test with the JDK's keytool.
 */
class DicomTlsTest {

    @TempDir
    static Path folder;
    private static Path archiveKeys;
    private static Path peerKeys;

    @BeforeAll
    static void keys() throws Exception {
        archiveKeys = keyPair("panacea");
        peerKeys = keyPair("modality");
    }

    private static Path keyPair(String name) throws Exception {
        Path store = folder.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret",
                "-keypass", "secret").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        return store;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "secret".toCharArray());
        }
        return keys;
    }

    /** Server config: its own key pair, trusting the peer's certificate (a self-signed one is its own issuer). */
    private static NetworkFixture tlsNetwork() {
        return new NetworkFixture(Map.of("tls_enabled", true, "tls_keystore_path", archiveKeys.toString(),
                "tls_keystore_password", "secret", "tls_truststore_path", peerKeys.toString(),
                "tls_truststore_password", "secret"));
    }

    private static SSLSocket connect(int port, boolean withCertificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(archiveKeys));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(peerKeys), "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(withCertificate ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(15000);
        return socket;
    }

    @Test
    void aPeerWithATrustedCertificateAssociatesOverTls() throws Exception {
        try (NetworkFixture network = tlsNetwork(); Peer peer = new Peer(connect(network.port(), true))) {
            peer.associate(Peer.request("PANACEA", "MODALITY", 16384, Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            assertEquals(Pdu.ASSOCIATE_AC, peer.read().type());
            assertTrue(((SSLSocket) peer.socket).getSession().getProtocol().startsWith("TLSv1."));
        }
    }

    @Test
    void aPeerWithoutACertificateNeverReachesTheAssociation() throws Exception {
        try (NetworkFixture network = tlsNetwork(); Peer peer = new Peer(connect(network.port(), false))) {
            assertThrows(IOException.class, () -> {
                peer.associate(Peer.request("PANACEA", "MODALITY", 16384, Peer.context(1, Uids.VERIFICATION,
                        Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
                if (peer.read() == null) {
                    throw new IOException("closed");
                }
            });
            assertTrue(network.audit.events().isEmpty(), "no association, nothing to audit");
        }
    }

    @Test
    void plainTcpToTheTlsPortIsNotAnAssociation() throws Exception {
        try (NetworkFixture network = tlsNetwork(); Peer peer = new Peer(network.port())) {
            peer.associate(Peer.request("PANACEA", "MODALITY", 16384, Peer.context(1, Uids.VERIFICATION,
                    Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
            Pdu answer;
            try {
                answer = peer.read();
            } catch (IOException closed) {
                answer = null;
            }
            assertTrue(answer == null || answer.type() != Pdu.ASSOCIATE_AC, "plain TCP is never accepted");
            assertTrue(network.audit.events().isEmpty());
        }
    }
}

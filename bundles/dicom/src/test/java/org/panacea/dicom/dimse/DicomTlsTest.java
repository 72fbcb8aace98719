package org.panacea.dicom.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * made for the test with the JDK's keytool. The same is tried with dcmtk's {@code echoscu} and {@code storescu}
 * (OpenSSL underneath, written by others), as a modality would connect: skipped where dcmtk is not installed,
 * required when {@code CI} is set ({@code .ci/run} installs it).
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

    /** The key pair of {@code store} as dcmtk reads it: the PKCS#8 private key and the certificate, in PEM. */
    private static Path[] pem(Path store, String name) throws Exception {
        KeyStore keys = load(store);
        Path key = folder.resolve(name + ".key");
        Path certificate = folder.resolve(name + ".crt");
        Files.writeString(key, pem("PRIVATE KEY", keys.getKey(name, "secret".toCharArray()).getEncoded()));
        Files.writeString(certificate, pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
        return new Path[] {key, certificate};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
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

    @Test
    void dcmtkStoresOverTlsWithATrustedCertificate() throws Exception {
        requireDcmtk();
        Path[] modality = pem(peerKeys, "modality");
        Path[] archive = pem(archiveKeys, "panacea");
        Path ct = Path.of(DicomTlsTest.class.getResource("/dicom/CT_small.dcm").toURI());
        try (NetworkFixture network = tlsNetwork()) {
            Result echo = dcmtk("echoscu", "+tls", modality[0].toString(), modality[1].toString(), "+cf",
                    archive[1].toString(), "-aet", "MODALITY", "-aec", "PANACEA", "127.0.0.1",
                    Integer.toString(network.port()));
            assertEquals(0, echo.exit(), echo.output());
            Result store = dcmtk("storescu", "+tls", modality[0].toString(), modality[1].toString(), "+cf",
                    archive[1].toString(), "-aet", "MODALITY", "-aec", "PANACEA", "127.0.0.1",
                    Integer.toString(network.port()), ct.toString());
            assertEquals(0, store.exit(), store.output());
            assertEquals(1, network.stored.size(), "the instance sent over TLS was stored");
            assertTrue(NetworkFixture.sopInstanceUid(network.stored.get(0)).startsWith("1."));
        }
    }

    @Test
    void dcmtkWithoutACertificateOrTrustingAnotherArchiveGetsNoAssociation() throws Exception {
        requireDcmtk();
        Path[] modality = pem(peerKeys, "modality");
        Path[] stranger = pem(keyPair("stranger"), "stranger");
        try (NetworkFixture network = tlsNetwork()) {
            // Anonymous TLS: no certificate to show; the archive asks for one and ends the handshake.
            Result anonymous = dcmtk("echoscu", "+tla", "-ic", "-aet", "MODALITY", "-aec", "PANACEA", "127.0.0.1",
                    Integer.toString(network.port()));
            assertTrue(anonymous.exit() != 0, anonymous.output());
            // A certificate the archive's trust store does not hold.
            Result untrusted = dcmtk("echoscu", "+tls", stranger[0].toString(), stranger[1].toString(), "-ic",
                    "-aet", "MODALITY", "-aec", "PANACEA", "127.0.0.1", Integer.toString(network.port()));
            assertTrue(untrusted.exit() != 0, untrusted.output());
            // The right certificate, but the peer trusts another archive: it refuses the archive's certificate.
            Result wrongArchive = dcmtk("echoscu", "+tls", modality[0].toString(), modality[1].toString(), "+cf",
                    stranger[1].toString(), "-aet", "MODALITY", "-aec", "PANACEA", "127.0.0.1",
                    Integer.toString(network.port()));
            assertTrue(wrongArchive.exit() != 0, wrongArchive.output());
            assertTrue(network.stored.isEmpty());
            assertTrue(network.audit.events().isEmpty(), "no association, nothing to audit");
        }
    }

    private record Result(int exit, String output) {
    }

    private static void requireDcmtk() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/echoscu"))
                && Files.isExecutable(Path.of("/usr/bin/storescu"));
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI needs Debian's dcmtk (echoscu, storescu); .ci/run installs it");
        }
        assumeTrue(installed, "dcmtk is not installed");
    }

    private static Result dcmtk(String tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/" + tool));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), String.join(" ", command) + "\n"
                + new String(output, StandardCharsets.UTF_8));
    }
}

package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.security.SignatureVerdict;

/** Signs real JARs with the JDK's keytool and jarsigner, and checks what the verifier makes of them. */
class JarSignaturesTest {

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    private static Path vendorCert;
    private static Path otherCert;

    @BeforeEach
    void vendorKeys() throws Exception {
        if (vendorCert == null) {
            vendorCert = newKey("vendor", "CN=Test Vendor,O=Panacea Tests");
            otherCert = newKey("stranger", "CN=Stranger,O=Elsewhere");
        }
    }

    private static Path newKey(String alias, String dname) throws Exception {
        run(tool("keytool"), "-genkeypair", "-keystore", keys.resolve(alias + ".p12").toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", dname);
        Path cert = Files.createDirectories(keys.resolve(alias + "-trust")).resolve(alias + ".pem");
        run(tool("keytool"), "-exportcert", "-rfc", "-keystore", keys.resolve(alias + ".p12").toString(),
                "-storepass", "changeit", "-alias", alias, "-file", cert.toString());
        return cert;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private Path plugin(String name) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Panacea-Plugin", "imaging");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("org/example/Filter.class"));
            out.write("pretend bytecode".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static Path sign(Path jar, String alias) throws Exception {
        run(tool("jarsigner"), "-keystore", keys.resolve(alias + ".p12").toString(), "-storepass", "changeit",
                jar.toString(), alias);
        return jar;
    }

    /** A verifier trusting the certificate folder that holds {@code certificate}, or an empty folder. */
    private JarSignatures trusting(Path certificate) {
        return new JarSignatures(TrustedVendorCertificates.load(certificate == null ? dir : certificate.getParent()));
    }

    @Test
    void aJarSignedByATrustedVendorIsTrusted() throws Exception {
        SignatureVerdict verdict = trusting(vendorCert).verify(sign(plugin("good"), "vendor"));
        assertTrue(verdict.trusted(), verdict.reason());
        assertTrue(verdict.signer().contains("Test Vendor"), verdict.signer());
    }

    @Test
    void anUnsignedJarIsRefused() throws Exception {
        SignatureVerdict verdict = trusting(vendorCert).verify(plugin("unsigned"));
        assertFalse(verdict.trusted());
        assertTrue(verdict.reason().startsWith("not signed"), verdict.reason());
    }

    @Test
    void aJarSignedBySomeoneElseIsRefused() throws Exception {
        SignatureVerdict verdict = trusting(vendorCert).verify(sign(plugin("foreign"), "stranger"));
        assertFalse(verdict.trusted());
        assertTrue(verdict.reason().startsWith("untrusted: signed by CN=Stranger"), verdict.reason());
    }

    @Test
    void aJarAlteredAfterSigningIsRefused() throws Exception {
        Path jar = sign(plugin("tampered"), "vendor");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path entry = zip.getPath("org/example/Filter.class");
            Path replacement = dir.resolve("evil");
            Files.writeString(replacement, "malicious bytecode");
            Files.copy(replacement, entry, StandardCopyOption.REPLACE_EXISTING);
        }
        SignatureVerdict verdict = trusting(vendorCert).verify(jar);
        assertFalse(verdict.trusted());
        assertTrue(verdict.reason().startsWith("tampered: entry org/example/Filter.class"), verdict.reason());
    }

    @Test
    void anEntryAddedAfterSigningIsRefused() throws Exception {
        Path jar = sign(plugin("extended"), "vendor");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.writeString(zip.getPath("org/example/Extra.class"), "smuggled");
        }
        SignatureVerdict verdict = trusting(vendorCert).verify(jar);
        assertFalse(verdict.trusted());
        assertEquals("not signed: entry org/example/Extra.class carries no signature", verdict.reason());
    }

    /**
     * What Karaf's {@code bundle:update ID URL} does to the bytes without {@code --raw}: the manifest rewritten with a
     * {@code Bundle-UpdateLocation} header. Refused, since the signed manifest changed, and the reason says why.
     */
    @Test
    void aManifestRewrittenWithAnUpdateLocationIsRefusedWithTheReason() throws Exception {
        Path jar = sign(plugin("relocated"), "vendor");
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path entry = zip.getPath("META-INF/MANIFEST.MF");
            Manifest manifest;
            try (java.io.InputStream in = Files.newInputStream(entry)) {
                manifest = new Manifest(in);
            }
            manifest.getMainAttributes().putValue("Bundle-UpdateLocation", "file:/opt/plugins/relocated.jar");
            try (OutputStream out = Files.newOutputStream(entry)) {
                manifest.write(out);
            }
        }
        SignatureVerdict verdict = trusting(vendorCert).verify(jar);
        assertFalse(verdict.trusted());
        assertTrue(verdict.reason().startsWith("tampered: entry META-INF/MANIFEST.MF"), verdict.reason());
        assertTrue(verdict.reason().contains("bundle:update adds to the bytes it is given unless called with --raw"),
                verdict.reason());
    }

    @Test
    void withNoTrustedCertificatesNothingIsTrusted() throws Exception {
        assertFalse(trusting(null).verify(sign(plugin("lonely"), "vendor")).trusted());
    }
}

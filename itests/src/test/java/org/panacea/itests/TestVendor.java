package org.panacea.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A plugin vendor made up by the test build: its key pair and certificate are generated under {@code target/} by
 * the JDK's keytool (never committed), and it signs plugin bundles with jarsigner, as a real vendor would.
 */
final class TestVendor {

    private static final String PASSWORD = "test-vendor-only";

    final Path directory;
    final Path certificate;
    private final Path keystore;

    TestVendor(Path directory) {
        this.directory = directory;
        this.keystore = directory.resolve("vendor.p12");
        this.certificate = directory.resolve("test-vendor.pem");
    }

    /** Creates the vendor's key and certificate, once per build. */
    TestVendor create() {
        try {
            if (!Files.exists(certificate)) {
                Files.createDirectories(directory);
                run("keytool", "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
                        PASSWORD, "-alias", "vendor", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                        "-dname", "CN=Panacea Test Vendor,O=Panacea integration tests");
                run("keytool", "-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                        "-alias", "vendor", "-file", certificate.toString());
            }
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("test vendor key cannot be made: " + e.getMessage(), e);
        }
    }

    /** A minimal imaging plugin bundle: a manifest with the Panacea-Plugin header and one resource. */
    Path plugin(String symbolicName, boolean signed) {
        Path jar = directory.resolve(symbolicName + (signed ? "-signed" : "-unsigned") + ".jar");
        Manifest manifest = new Manifest();
        var attributes = manifest.getMainAttributes();
        attributes.putValue("Manifest-Version", "1.0");
        attributes.putValue("Bundle-ManifestVersion", "2");
        attributes.putValue("Bundle-SymbolicName", symbolicName);
        attributes.putValue("Bundle-Version", "1.0.0");
        attributes.putValue("Panacea-Plugin", "imaging");
        attributes.putValue("Import-Package", "org.panacea.api.imaging;version=\"[1.0,2)\"");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("OSGI-INF/plugin.txt"));
            out.write(("plugin " + symbolicName).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (signed) {
            sign(jar);
        }
        return jar;
    }

    /** Signs {@code jar} in place with the vendor's key, as {@code jarsigner} does for a real vendor. */
    Path sign(Path jar) {
        try {
            run("jarsigner", "-keystore", keystore.toString(), "-storepass", PASSWORD, jar.toString(), "vendor");
        } catch (IOException e) {
            throw new IllegalStateException("jarsigner failed: " + e.getMessage(), e);
        }
        return jar;
    }

    private static void run(String tool, String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", tool).toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(tool + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(tool + " interrupted", e);
        }
    }
}

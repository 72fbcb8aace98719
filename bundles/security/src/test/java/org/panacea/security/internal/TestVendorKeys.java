package org.panacea.security.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Vendor keys and signed plugin JARs for tests, made with the JDK's keytool and jarsigner as a vendor makes them;
 * everything lives in a test's temporary folder.
 */
public final class TestVendorKeys {

    private static final String PASSWORD = "changeit";

    private final Path folder;

    public TestVendorKeys(Path folder) {
        this.folder = folder;
    }

    /** A new EC key for {@code alias}; returns its certificate exported as PEM ({@code <alias>.pem}). */
    public Path vendor(String alias, String distinguishedName, String... validity) throws Exception {
        List<String> command = new ArrayList<>(List.of("-genkeypair", "-keystore", keystore(alias).toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", distinguishedName));
        command.addAll(validity.length == 0 ? List.of("-validity", "2") : List.of(validity));
        run("keytool", command.toArray(new String[0]));
        Path certificate = Files.createDirectories(folder.resolve("exported")).resolve(alias + ".pem");
        run("keytool", "-exportcert", "-rfc", "-keystore", keystore(alias).toString(), "-storepass", PASSWORD,
                "-alias", alias, "-file", certificate.toString());
        return certificate;
    }

    /** The same certificate DER-encoded ({@code <alias>.cer}). */
    public Path derCertificate(String alias) throws Exception {
        Path certificate = folder.resolve("exported").resolve(alias + ".cer");
        run("keytool", "-exportcert", "-keystore", keystore(alias).toString(), "-storepass", PASSWORD, "-alias", alias,
                "-file", certificate.toString());
        return certificate;
    }

    /** A minimal imaging plugin JAR signed by {@code alias}. */
    public Path signedPlugin(String name, String alias) throws Exception {
        Path jar = folder.resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", name);
        manifest.getMainAttributes().putValue("Panacea-Plugin", "imaging");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("org/example/Filter.class"));
            out.write("pretend bytecode".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        run("jarsigner", "-keystore", keystore(alias).toString(), "-storepass", PASSWORD, jar.toString(), alias);
        return jar;
    }

    private Path keystore(String alias) {
        return folder.resolve(alias + ".p12");
    }

    private static void run(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}

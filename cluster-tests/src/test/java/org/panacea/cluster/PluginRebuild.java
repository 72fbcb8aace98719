package org.panacea.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A new version of the shipped window/level plugin, made as its vendor would make one: the plugin's source with
 * another version constant, compiled against the same API, packed with the released bundle's manifest (and a new
 * {@code Bundle-Version}) and signed with the sample vendor's key, which the distribution trusts. Nothing of the
 * released jar's signature is carried over, so the platform's gate checks the new bytes on their own.
 */
final class PluginRebuild {

    static final String SYMBOLIC_NAME = "org.panacea.imaging-window-level";
    static final String ALGORITHM = "imaging.window-level";
    private static final String CLASS = "org/panacea/plugins/imaging/windowlevel/LinearVoiWindow";

    private PluginRebuild() {
    }

    /** The plugin version the released jar's code declares (its {@code VERSION} constant). */
    static String releasedVersion() throws IOException {
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("VERSION = \"([0-9.]+)\";")
                .matcher(Files.readString(source()));
        if (!version.find()) {
            throw new AssertionError("no VERSION constant in " + source());
        }
        return version.group(1);
    }

    /** Builds and signs the plugin with {@code version} in {@code work}; returns the signed jar. */
    static Path windowLevel(Path work, String version) throws IOException, InterruptedException {
        Path released = Path.of(System.getProperty("panacea.cluster.window-level.jar"));
        Path sources = Files.createDirectories(work.resolve("plugin-src").resolve(CLASS).getParent());
        Path classes = Files.createDirectories(work.resolve("plugin-classes"));
        String code = Files.readString(source()).replace("VERSION = \"" + releasedVersion() + "\";",
                "VERSION = \"" + version + "\";");
        Path source = sources.resolve("LinearVoiWindow.java");
        Files.writeString(source, code);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        String classpath = String.join(java.io.File.pathSeparator, System.getProperty("panacea.cluster.api.jar"),
                System.getProperty("panacea.cluster.plugin-support.jar"),
                System.getProperty("panacea.cluster.ds-annotations.jar"));
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("--release", "17", "-proc:none", "-d",
                classes.toString(), "-classpath", classpath), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile()))
                .call();
        if (!compiled) {
            throw new AssertionError("the plugin's source did not compile: " + diagnostics);
        }

        Path jar = work.resolve("panacea-imaging-window-level-" + version + ".jar");
        try (JarFile original = new JarFile(released.toFile())) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putAll(original.getManifest().getMainAttributes());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file,
                    manifest)) {
                for (JarEntry entry : java.util.Collections.list(original.entries())) {
                    String name = entry.getName();
                    if (name.equals(JarFile.MANIFEST_NAME) || name.startsWith("META-INF/") && !entry.isDirectory()
                            && name.matches("META-INF/[^/]+\\.(SF|EC|RSA|DSA)") || name.startsWith(CLASS)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream in = original.getInputStream(entry)) {
                        byte[] bytes = in.readAllBytes();
                        if (name.startsWith("OSGI-INF/") && name.endsWith(".xml")) {
                            // The service property Declarative Services publishes the version under, as bnd wrote it.
                            bytes = new String(bytes, StandardCharsets.UTF_8).replace("value=\"" + releasedVersion()
                                    + "\"", "value=\"" + version + "\"").getBytes(StandardCharsets.UTF_8);
                        }
                        out.write(bytes);
                    }
                    out.closeEntry();
                }
                try (Stream<Path> compiledClasses = Files.walk(classes)) {
                    for (Path compiledClass : compiledClasses.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(compiledClass).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(compiledClass));
                        out.closeEntry();
                    }
                }
            }
        }
        sign(jar);
        return jar;
    }

    private static Path source() {
        return Path.of(System.getProperty("panacea.cluster.window-level.source"));
    }

    private static void sign(Path jar) throws IOException, InterruptedException {
        Path vendor = Path.of(System.getProperty("panacea.cluster.vendor.dir"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jarsigner")
                .toString(), "-keystore", vendor.resolve("sample-vendor.p12").toString(), "-storepass",
                System.getProperty("panacea.cluster.vendor.password"), jar.toString(), "sample-vendor"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("jarsigner failed: " + output);
        }
    }
}

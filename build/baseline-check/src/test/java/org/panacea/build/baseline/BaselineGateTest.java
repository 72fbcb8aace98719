package org.panacea.build.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.annotation.versioning.ConsumerType;
import org.panacea.api.imaging.ImagingAlgorithm;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.EmbeddedResource;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.version.Version;

/**
 * The build's semantic-versioning gate, checked the way it runs: the api bundle as built is compared with the
 * release recorded in {@code build/baseline-repository} by the same bnd code and settings as
 * {@code bnd-baseline-maven-plugin} (configured in {@code bundles/pom.xml}), then deliberately broken copies of it
 * are compared too. The bnd instructions that turn an export naming a private package into an error are read from
 * {@code bundles/pom.xml} and applied to a small bundle that does it.
 */
class BaselineGateTest {

    private static final String IMAGING = "org.panacea.api.imaging";
    private static final String IMAGING_ALGORITHM = "org/panacea/api/imaging/ImagingAlgorithm.class";

    private static Path root;
    private static String bundlesPom;
    private static Path apiJar;
    private static Path recordedApiJar;

    @BeforeAll
    static void locate() throws IOException, URISyntaxException {
        root = Paths.get(System.getProperty("panacea.root", "../..")).toAbsolutePath().normalize();
        bundlesPom = Files.readString(root.resolve("bundles/pom.xml"), StandardCharsets.UTF_8);
        apiJar = builtJar(ImagingAlgorithm.class);
        String version = property(bundlesPom, "panacea.baseline.version");
        recordedApiJar = root.resolve("build/baseline-repository/org/panacea/panacea-api/" + version
                + "/panacea-api-" + version + ".jar");
        assertTrue(Files.isRegularFile(recordedApiJar), "no recorded release of the api at " + recordedApiJar
                + ": record it with build/record-baseline.sh " + version);
    }

    /** The gate in bundles/pom.xml compares with the recorded release and fails when a bundle has none. */
    @Test
    void everyBundleIsBaselinedAgainstTheRecordedRelease() {
        String plugin = bundlesPom.substring(bundlesPom.indexOf("<artifactId>bnd-baseline-maven-plugin</artifactId>"));
        plugin = plugin.substring(0, plugin.indexOf("</plugin>"));
        assertTrue(plugin.contains("<base><version>${panacea.baseline.version}</version></base>"), plugin);
        assertTrue(plugin.contains("<failOnMissing>true</failOnMissing>"), plugin);
        assertTrue(plugin.contains("<goal>baseline</goal>"), plugin);
        assertTrue(bundlesPom.contains("/build/baseline-repository</url>"), "the baseline repository is declared");
    }

    /** Today's api keeps the recorded release's promises: the build is green against it. */
    @Test
    void theBuiltApiKeepsTheRecordedRelease() throws Exception {
        try (Jar built = new Jar(apiJar.toFile()); Jar recorded = new Jar(recordedApiJar.toFile())) {
            assertEquals(List.of(), mismatches(built, recorded));
        }
    }

    /** Removing a public type of an exported package without a major version fails the baseline. */
    @Test
    void removingAnExportedTypeWithoutAMajorVersionFails() throws Exception {
        try (Jar changed = new Jar(apiJar.toFile()); Jar recorded = new Jar(recordedApiJar.toFile())) {
            assertNotNull(changed.remove(IMAGING_ALGORITHM));
            List<String> mismatches = mismatches(changed, recorded);
            assertEquals(1, mismatches.size(), mismatches.toString());
            assertTrue(mismatches.get(0).startsWith(IMAGING + " MAJOR"), mismatches.toString());
        }
    }

    /**
     * A new abstract method in an interface vendors implement ({@code @ConsumerType}) breaks every plugin: without
     * a major version of its package the baseline fails; with one it passes.
     */
    @Test
    void aNewMethodInAConsumerTypeNeedsAMajorVersion(@TempDir Path work) throws Exception {
        byte[] withNewMethod = compileImagingAlgorithmWithANewMethod(work);
        try (Jar changed = new Jar(apiJar.toFile()); Jar recorded = new Jar(recordedApiJar.toFile())) {
            changed.putResource(IMAGING_ALGORITHM, new EmbeddedResource(withNewMethod, 0L));
            List<String> mismatches = mismatches(changed, recorded);
            assertEquals(1, mismatches.size(), mismatches.toString());
            assertTrue(mismatches.get(0).startsWith(IMAGING + " MAJOR"), mismatches.toString());

            String recordedVersion = exports(recorded).get(IMAGING).getVersion();
            String major = (Integer.parseInt(recordedVersion.split("\\.")[0]) + 1) + ".0.0";
            setExportVersion(changed, IMAGING, major);
            assertEquals(List.of(), mismatches(changed, recorded), "the change with " + IMAGING + " " + major);
        }
    }

    /**
     * Every package a bundle of the release exports is still exported by the bundle as built, unless the bundle's
     * major version moved. bnd's baseline does not hold this while bundle versions are 0.x (it judges a removed
     * package by the bundle's version only, and semantic versioning lets 0.x bundles change at will).
     */
    @Test
    void everyPackageOfTheReleaseIsStillExported() throws Exception {
        Map<String, Manifest> built = builtBundles();
        List<String> removed = new ArrayList<>();
        int compared = 0;
        try (var recordedJars = Files.walk(recordedApiJar.getParent().getParent().getParent())) {
            for (Path file : recordedJars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                if (!file.getParent().getFileName().equals(recordedApiJar.getParent().getFileName())) {
                    continue; // another release
                }
                try (Jar recorded = new Jar(file.toFile())) {
                    if (exports(recorded).isEmpty()) {
                        continue;
                    }
                    Manifest now = built.get(recorded.getBsn());
                    assertNotNull(now, recorded.getBsn() + " exports packages in the release: add "
                            + file.getParent().getParent().getFileName() + " as a test dependency of this module");
                    removed.addAll(removedExports(now, recorded));
                    compared++;
                }
            }
        }
        assertTrue(compared >= 3, "the api, rest and dicom bundles export packages; compared " + compared);
        assertEquals(List.of(), removed);
    }

    /** A package taken out of the api: bnd alone lets it pass, the check above does not. */
    @Test
    void removingAnExportedPackageIsCaught() throws Exception {
        String audit = "org.panacea.api.audit";
        try (Jar changed = new Jar(apiJar.toFile()); Jar recorded = new Jar(recordedApiJar.toFile())) {
            String folder = audit.replace('.', '/') + "/";
            List<String> paths = changed.getResources().keySet().stream().filter(p -> p.startsWith(folder)).toList();
            assertFalse(paths.isEmpty(), "the api has " + audit);
            paths.forEach(changed::remove);
            Manifest manifest = new Manifest(changed.getManifest());
            Parameters exports = OSGiHeader.parseHeader(
                    manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
            assertNotNull(exports.remove(audit));
            manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
            changed.setManifest(manifest);

            assertEquals(List.of(), mismatches(changed, recorded), "bnd's verdict on a 0.x bundle");
            List<String> removed = removedExports(changed.getManifest(), recorded);
            assertEquals(1, removed.size(), removed.toString());
            assertTrue(removed.get(0).startsWith("org.panacea.api " + audit), removed.toString());
        }
    }

    /** An exported package whose API names a private package is an error (a warning by bnd's default). */
    @Test
    void anExportNamingAPrivatePackageIsAnError(@TempDir Path work) throws Exception {
        Path classes = work.resolve("classes");
        compile(work, classes, List.of(),
                "package demo.api; public interface Service { demo.internal.Secret secret(); }",
                "package demo.internal; public class Secret { }",
                "package demo.clean; public interface Clean { String name(); }");

        List<String> withDefaults = build(classes, "demo.api", Map.of());
        assertEquals(List.of(), withDefaults, "bnd alone only warns");

        Map<String, String> fixups = fixupMessages(bundlesPom);
        List<String> errors = build(classes, "demo.api", fixups);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("demo.api") && errors.get(0).contains("private references")
                && errors.get(0).contains("demo.internal"), errors.toString());

        assertEquals(List.of(), build(classes, "demo.clean", fixups), "a self-contained export builds");
    }

    /**
     * The packages whose baseline fails, each as {@code package DELTA new old suggested}: what
     * {@code bnd-baseline-maven-plugin} computes with its settings here (every exported package, nothing ignored).
     */
    private static List<String> mismatches(Jar newer, Jar older) throws Exception {
        try (Processor processor = new Processor()) {
            DiffPluginImpl differ = new DiffPluginImpl();
            differ.setIgnore(new Parameters("", processor));
            Baseline baseline = new Baseline(processor, differ);
            List<String> mismatches = baseline.baseline(newer, older, new Instructions(new Parameters("*", processor)))
                    .stream()
                    .filter(info -> info.mismatch)
                    .map(info -> info.packageName + " " + info.packageDiff.getDelta() + " " + info.newerVersion + " "
                            + info.olderVersion + " " + info.suggestedVersion)
                    .sorted()
                    .collect(Collectors.toCollection(ArrayList::new));
            if (baseline.getBundleInfo().mismatch) {
                mismatches.add("bundle " + baseline.getBundleInfo().bsn + " " + baseline.getBundleInfo().reason);
            }
            assertTrue(processor.isOk(), processor.getErrors().toString());
            return mismatches;
        }
    }

    /**
     * The packages {@code recorded} exports that {@code now} does not, each as {@code bundle package version}; none
     * when the bundle's major version is higher than the release's (a major release may drop packages).
     */
    private static List<String> removedExports(Manifest now, Jar recorded) throws Exception {
        Version recordedVersion = Version.parseVersion(recorded.getVersion());
        Version builtVersion = Version.parseVersion(now.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
        if (builtVersion.getMajor() > recordedVersion.getMajor()) {
            return List.of();
        }
        Parameters exported = OSGiHeader.parseHeader(now.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        String bsn = recorded.getBsn();
        return exports(recorded).entrySet().stream()
                .filter(export -> !exported.containsKey(export.getKey()))
                .map(export -> bsn + " " + export.getKey() + " " + export.getValue().getVersion()
                        + " is no longer exported (a major change of the bundle)")
                .toList();
    }

    /** The manifest of every bundle on the test class path, by symbolic name. */
    private static Map<String, Manifest> builtBundles() throws IOException {
        Map<String, Manifest> bundles = new TreeMap<>();
        Enumeration<URL> manifests = BaselineGateTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            try (InputStream in = manifests.nextElement().openStream()) {
                Manifest manifest = new Manifest(in);
                String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                if (bsn != null && bsn.startsWith("org.panacea.")) {
                    bundles.put(bsn.split(";")[0].trim(), manifest);
                }
            }
        }
        return bundles;
    }

    /** ImagingAlgorithm's own source with one more abstract method, compiled against the built api. */
    private static byte[] compileImagingAlgorithmWithANewMethod(Path work) throws IOException, URISyntaxException {
        String source = Files.readString(
                root.resolve("bundles/api/src/main/java/org/panacea/api/imaging/ImagingAlgorithm.java"));
        int end = source.lastIndexOf('}');
        String changed = source.substring(0, end) + "\n    boolean supports(Image image);\n}\n";
        Path classes = work.resolve("changed");
        compile(work, classes, List.of(apiJar, builtJar(ConsumerType.class)), changed);
        return Files.readAllBytes(classes.resolve(IMAGING_ALGORITHM));
    }

    private static void compile(Path work, Path classes, List<Path> classpath, String... sources) throws IOException {
        Path sourceDir = Files.createDirectories(work.resolve("src-" + classes.getFileName()));
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", classes.toString()));
        if (!classpath.isEmpty()) {
            arguments.add("-cp");
            arguments.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        }
        Pattern declaration = Pattern.compile("package ([\\w.]+);.*?(?:interface|class) (\\w+)", Pattern.DOTALL);
        for (String source : sources) {
            Matcher matcher = declaration.matcher(source);
            assertTrue(matcher.find(), source);
            Path file = sourceDir.resolve(matcher.group(1).replace('.', '/') + "/" + matcher.group(2) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = javac.run(null, output, output, arguments.toArray(String[]::new));
        assertEquals(0, status, output.toString(StandardCharsets.UTF_8));
    }

    /** The errors bnd reports when it builds a bundle of {@code classes} exporting {@code export}. */
    private static List<String> build(Path classes, String export, Map<String, String> instructions)
            throws Exception {
        try (Builder builder = new Builder()) {
            builder.addClasspath(classes.toFile());
            builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, "demo");
            builder.setProperty(Constants.EXPORT_PACKAGE, export + ";version=1.0.0");
            builder.setProperty(Constants.PRIVATEPACKAGE, "demo.*");
            instructions.forEach(builder::setProperty);
            builder.build();
            if (export.equals("demo.api") && instructions.isEmpty()) {
                assertTrue(builder.getWarnings().stream().anyMatch(w -> w.contains("private references")),
                        "bnd warns of the private reference: " + builder.getWarnings());
            }
            return builder.getErrors();
        }
    }

    /** The {@code -fixupmessages} instructions of the bnd configuration every bundle inherits. */
    private static Map<String, String> fixupMessages(String pom) throws IOException {
        int start = pom.indexOf("<bnd><![CDATA[");
        int end = pom.indexOf("]]></bnd>", start);
        assertTrue(start >= 0 && end > start, "bundles/pom.xml has the bnd instructions");
        Properties bnd = new Properties();
        bnd.load(new StringReader(pom.substring(start + "<bnd><![CDATA[".length(), end)));
        Map<String, String> fixups = new TreeMap<>();
        bnd.stringPropertyNames().stream()
                .filter(key -> key.startsWith(Constants.FIXUPMESSAGES))
                .forEach(key -> fixups.put(key, bnd.getProperty(key)));
        assertFalse(fixups.isEmpty(), "bundles/pom.xml names no " + Constants.FIXUPMESSAGES);
        return fixups;
    }

    private static Parameters exports(Jar jar) throws Exception {
        return OSGiHeader.parseHeader(jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
    }

    private static void setExportVersion(Jar jar, String packageName, String version) throws Exception {
        Manifest manifest = new Manifest(jar.getManifest());
        Parameters exports = OSGiHeader.parseHeader(manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        exports.get(packageName).put(Constants.VERSION_ATTRIBUTE, version);
        manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
        jar.setManifest(manifest);
    }

    private static String property(String pom, String name) {
        Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(matcher.find(), "bundles/pom.xml sets " + name);
        return matcher.group(1).trim();
    }

    /** The jar {@code type} was loaded from: the bundle as built, with the manifest bnd wrote. */
    private static Path builtJar(Class<?> type) throws URISyntaxException {
        Path location = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            // A reactor run that stopped before packaging hands over the classes folder: use the jar beside it.
            try (var jars = Files.list(location.getParent())) {
                location = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                        .orElseThrow(() -> new AssertionError(type + " comes from " + type.getProtectionDomain()
                                .getCodeSource().getLocation() + ", not a jar: build with mvn package or install"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return location;
    }
}

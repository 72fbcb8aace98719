package org.panacea.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A plugin vendor's project, made as a vendor makes it, outside this reactor: a throw-away signing key from the
 * JDK's keytool, a project generated from the Panacea archetype (imaging flavour) with Maven in batch mode against
 * the local repository, and two releases of it built into signed KARs, 1.0.0 and then 1.1.0 (the project's version
 * and the algorithm's VERSION bumped together, as the vendor guide says). A second vendor, of ONNX models, generates
 * a model-only project from the archetype's onnx flavour (descriptor and placeholder graph, checked by the test kit's
 * OnnxModelContract in its build) and builds its signed KAR with a key of its own, exactly as "Ship an ONNX model" in
 * the vendor guide says. Built once per test run, in the driver JVM, before the container starts.
 */
final class VendorProject {

    static final String GROUP_ID = "org.example.sdkit";
    static final String ARTIFACT_ID = "sdk-it-box-mean";
    static final String PLUGIN_ID = "example.sdk-it.box-mean";
    static final String SYMBOLIC_NAME = GROUP_ID + "." + ARTIFACT_ID;
    static final String VENDOR = "SDK IT Imaging Ltd";
    private static final String KEY_PASSWORD = "sdk-it-vendor-only";

    static final String MODEL_GROUP_ID = "org.example.sdkit.models";
    static final String MODEL_ARTIFACT_ID = "sdk-it-density";
    static final String MODEL_ID = "example.sdk-it.density";
    static final String MODEL_VENDOR = "SDK IT Models Ltd";
    /** The graph the onnx flavour generates, inside the model project and its bundle. */
    static final String MODEL_GRAPH = "model/example-classifier.onnx";

    private static VendorProject built;

    final Path certificate;
    final Path firstRelease;
    final Path secondRelease;
    final Path modelCertificate;
    final Path modelRelease;
    /** The generated model project's graph, as the vendor built it into the bundle. */
    final Path modelGraph;

    private final Path work;
    private final Path keystore;
    private final Path modelKeystore;

    private VendorProject(Path work) {
        this.work = work;
        this.keystore = work.resolve("vendor-key/vendor.p12");
        this.certificate = work.resolve("vendor-key/sdk-it-vendor.pem");
        this.firstRelease = work.resolve("kars/" + ARTIFACT_ID + "-1.0.0.kar");
        this.secondRelease = work.resolve("kars/" + ARTIFACT_ID + "-1.1.0.kar");
        this.modelKeystore = work.resolve("model-vendor-key/vendor.p12");
        this.modelCertificate = work.resolve("model-vendor-key/sdk-it-model-vendor.pem");
        this.modelRelease = work.resolve("kars/" + MODEL_ARTIFACT_ID + "-1.0.0.kar");
        this.modelGraph = work.resolve(MODEL_ARTIFACT_ID + "/src/main/resources/" + MODEL_GRAPH);
    }

    /** Generates the project and builds both releases, once per JVM. */
    static synchronized VendorProject build(Path work) {
        if (built == null) {
            try {
                VendorProject project = new VendorProject(work);
                project.make();
                built = project;
            } catch (IOException e) {
                throw new IllegalStateException("the vendor project cannot be built: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the vendor project", e);
            }
        }
        return built;
    }

    private void make() throws IOException, InterruptedException {
        long started = System.nanoTime();
        deleteRecursively(work);
        // Maven looks upwards for a .mvn folder to find the project root: this one keeps it from finding Panacea's,
        // so the vendor's build is as standalone as on the vendor's machine.
        Files.createDirectories(work.resolve(".mvn"));
        Files.createDirectories(keystore.getParent());
        Files.createDirectories(firstRelease.getParent());
        jdkTool("keytool", "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass",
                KEY_PASSWORD, "-alias", "vendor", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + VENDOR + ",O=" + VENDOR);
        jdkTool("keytool", "-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", KEY_PASSWORD,
                "-alias", "vendor", "-file", certificate.toString());

        maven(work, "generate", "org.apache.maven.plugins:maven-archetype-plugin:"
                + System.getProperty("panacea.archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=org.panacea", "-DarchetypeArtifactId=panacea-plugin-archetype",
                "-DarchetypeVersion=" + System.getProperty("panacea.version"), "-DarchetypeCatalog=local",
                "-DgroupId=" + GROUP_ID, "-DartifactId=" + ARTIFACT_ID, "-Dversion=1.0.0", "-Dpackage=" + GROUP_ID,
                "-Dflavour=imaging", "-DpluginId=" + PLUGIN_ID, "-DvendorName=" + VENDOR, "-DinteractiveMode=false");
        Path project = work.resolve(ARTIFACT_ID);
        release(project, "1.0.0", firstRelease);

        replaceOnce(project.resolve("pom.xml"), "<version>1.0.0</version>", "<version>1.1.0</version>");
        replaceOnce(project.resolve("src/main/java/" + GROUP_ID.replace('.', '/') + "/BoxMeanFilter.java"),
                "VERSION = \"1.0.0\"", "VERSION = \"1.1.0\"");
        release(project, "1.1.0", secondRelease);

        makeModelProject();
        System.out.println("Vendor projects generated and built (imaging twice, onnx once) in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /**
     * The model vendor's way: a key of its own, a project of the onnx flavour, one signed build whose tests are the
     * test kit's ONNX checks (run here: they are what the guide tells a model vendor to rely on).
     */
    private void makeModelProject() throws IOException, InterruptedException {
        Files.createDirectories(modelKeystore.getParent());
        jdkTool("keytool", "-genkeypair", "-keystore", modelKeystore.toString(), "-storetype", "PKCS12", "-storepass",
                KEY_PASSWORD, "-alias", "vendor", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + MODEL_VENDOR + ",O=" + MODEL_VENDOR);
        jdkTool("keytool", "-exportcert", "-rfc", "-keystore", modelKeystore.toString(), "-storepass", KEY_PASSWORD,
                "-alias", "vendor", "-file", modelCertificate.toString());
        maven(work, "generate-onnx", "org.apache.maven.plugins:maven-archetype-plugin:"
                + System.getProperty("panacea.archetype.plugin.version") + ":generate",
                "-DarchetypeGroupId=org.panacea", "-DarchetypeArtifactId=panacea-plugin-archetype",
                "-DarchetypeVersion=" + System.getProperty("panacea.version"), "-DarchetypeCatalog=local",
                "-DgroupId=" + MODEL_GROUP_ID, "-DartifactId=" + MODEL_ARTIFACT_ID, "-Dversion=1.0.0",
                "-Dpackage=" + MODEL_GROUP_ID, "-Dflavour=onnx", "-DpluginId=" + MODEL_ID,
                "-DvendorName=" + MODEL_VENDOR, "-DinteractiveMode=false");
        Path project = work.resolve(MODEL_ARTIFACT_ID);
        maven(project, "build-onnx-1.0.0", "verify", "-Dvendor.keystore=" + modelKeystore, "-Dvendor.alias=vendor",
                "-Dvendor.storepass=" + KEY_PASSWORD);
        String tests = Files.readString(project.resolve("target/surefire-reports/" + MODEL_GROUP_ID
                + ".ModelsContractTest.txt"));
        if (!tests.contains("Tests run: 5, Failures: 0, Errors: 0, Skipped: 0")) {
            throw new IllegalStateException("the test kit's ONNX checks did not all run and pass:\n" + tests);
        }
        Files.copy(project.resolve("target/" + MODEL_ARTIFACT_ID + "-1.0.0.kar"), modelRelease,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A signed build; the unit tests ran in the archetype's own integration tests, so they are skipped here. */
    private void release(Path project, String version, Path kar) throws IOException, InterruptedException {
        maven(project, "build-" + version, "verify", "-DskipTests", "-Dvendor.keystore=" + keystore,
                "-Dvendor.alias=vendor", "-Dvendor.storepass=" + KEY_PASSWORD);
        Files.copy(project.resolve("target/" + ARTIFACT_ID + "-" + version + ".kar"), kar,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Runs Maven in batch mode against the local repository of this build, offline; when an artifact is missing
     * from it (a first build on a fresh machine), once more online.
     */
    private void maven(Path directory, String step, String... arguments) throws IOException, InterruptedException {
        String home = System.getProperty("maven.home");
        String mvn = home == null ? "mvn" : Path.of(home, "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-Dmaven.repo.local="
                + System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")));
        command.addAll(List.of(arguments));
        List<String> offline = new ArrayList<>(command);
        offline.add(1, "-o");
        Path log = work.resolve("logs/" + step + ".log");
        Files.createDirectories(log.getParent());
        if (run(offline, directory, log) == 0) {
            return;
        }
        Path online = work.resolve("logs/" + step + "-online.log");
        if (run(command, directory, online) != 0) {
            throw new IllegalStateException("mvn " + step + " failed (offline, then online): see " + online + "\n"
                    + tail(online, 40));
        }
    }

    private static int run(List<String> command, Path directory, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return process.waitFor();
    }

    private static void jdkTool(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(tool + " failed: " + output);
        }
    }

    private static void replaceOnce(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalStateException(file + " has no '" + from + "'");
        }
        Files.writeString(file, text.substring(0, at) + to + text.substring(at + from.length()));
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

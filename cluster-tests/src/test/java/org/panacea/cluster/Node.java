package org.panacea.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One node: its own unpacked copy of the distribution on free ports, pointed at the shared database, started as
 * {@code bin/karaf server} so the test holds its process and can kill it without a shutdown.
 */
final class Node implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final Path home;
    final int httpPort;
    final int sshPort;
    private final String passphrase;
    /** PANACEA_* variables the node starts with besides the passphrase: the database, when not in etc/. */
    private final Map<String, String> environment = new HashMap<>();
    private Process process;
    private int starts;

    private Node(String name, Path home, int httpPort, int sshPort, String passphrase) {
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
        this.passphrase = passphrase;
    }

    /**
     * Unpacks the distribution into {@code home} and configures it: ports, {@code karaf.name}, the data sources, the
     * shared anchor folder; no demo cohort (two nodes would both load it) and only the features the test uses. With
     * {@code database} null the distribution's data source configurations stay as they are: the database is the one
     * the node's environment names ({@link #environment}), as in production, or else the distribution's embedded
     * Derby. A {@code null} anchor folder keeps the node's own ({@code data/audit-anchors}).
     */
    static Node unpack(Path distribution, Path home, String name, Database database, Path anchors,
            String passphrase) throws IOException, InterruptedException {
        return unpack(distribution, home, name, database, anchors, passphrase, false);
    }

    /** As {@link #unpack(Path, Path, String, Database, Path, String)}, with the imaging plugins when asked. */
    static Node unpack(Path distribution, Path home, String name, Database database, Path anchors,
            String passphrase, boolean imaging) throws IOException, InterruptedException {
        Files.createDirectories(home);
        run(home.getParent(), Duration.ofMinutes(2), "tar", "-xzf", distribution.toString(), "-C", home.toString(),
                "--strip-components=1");
        int http = freePort();
        int ssh = freePort();
        Path etc = home.resolve("etc");
        replace(etc.resolve("org.ops4j.pax.web.cfg"), "^org\\.osgi\\.service\\.http\\.port\\s*=.*$",
                "org.osgi.service.http.port = " + http);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "^sshPort\\s*=.*$", "sshPort = " + ssh);
        replace(etc.resolve("org.apache.karaf.management.cfg"), "^rmiRegistryPort\\s*=.*$",
                "rmiRegistryPort = " + freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "^rmiServerPort\\s*=.*$",
                "rmiServerPort = " + freePort());
        replace(etc.resolve("system.properties"), "^karaf\\.name\\s*=.*$", "karaf.name = " + name);
        replace(etc.resolve("org.panacea.records.demo.cfg"), "^load\\.on\\.first\\.start\\s*=.*$",
                "load.on.first.start = false");
        // The tests read the charts they write: the demo clinician and nurse are given every patient by a department
        // rule (care relationships themselves are tested by itests' CareAccessIT).
        replace(etc.resolve("org.panacea.records.care.cfg"), "^departments\\s*=.*$",
                "departments = *=clinician+nurse");
        // Imaging and prediction only lengthen the start where a test speaks FHIR and the audit and key APIs.
        String left = imaging ? "prediction" : "imaging|prediction";
        List<String> features = Files.readAllLines(etc.resolve("org.apache.karaf.features.cfg")).stream()
                .filter(line -> !line.matches("\\s*panacea-(" + left + ")/.*,\\s*\\\\\\s*"))
                .collect(Collectors.toList());
        Files.write(etc.resolve("org.apache.karaf.features.cfg"), features);
        for (String source : database == null ? List.<String>of() : List.of("records", "audit", "security")) {
            Files.writeString(etc.resolve("org.ops4j.datasource-panacea-" + source + ".cfg"),
                    "osgi.jdbc.driver.class = org.postgresql.Driver\n"
                            + "url = " + database.url() + "\n"
                            + "user = " + database.user() + "\n"
                            + "password = " + database.password() + "\n"
                            + "dataSourceName = panacea-" + source + "\n");
        }
        if (anchors != null) {
            Files.writeString(etc.resolve("org.panacea.audit.cfg"), "anchorFolder = " + anchors.toAbsolutePath()
                    + "\n");
        }
        return new Node(name, home, http, ssh, passphrase);
    }

    /** Files of etc/ that would hold key material or the passphrase; a node here must have none. */
    List<Path> keyFiles() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            return files.filter(file -> {
                String fileName = file.getFileName().toString();
                return fileName.contains("passphrase") || fileName.endsWith(".bcfks")
                        || fileName.startsWith("panacea-keys") || fileName.startsWith("panacea-audit.key");
            }).toList();
        }
    }

    /**
     * Sets a variable of the environment the node starts in, such as {@code PANACEA_DB_URL}; the test's own
     * {@code PANACEA_*} variables never reach the node.
     */
    Node environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts the node in the background; its console output goes to {@code <home>/console-<n>.log}. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console-" + (++starts) + ".log").toFile());
        // The database comes from the edited configuration or the test, never from a developer's environment.
        builder.environment().keySet().removeIf(key -> key.startsWith("PANACEA_"));
        builder.environment().putAll(environment);
        builder.environment().put("PANACEA_KEYSTORE_PASSPHRASE", passphrase);
        process = builder.start();
    }

    /** Waits until the node serves an authenticated FHIR search, which needs the keys and the database. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while starting; see "
                        + home.resolve("data/log/karaf.log"));
            }
            try {
                if (send("GET", "/fhir/Patient?_count=1", "clinician", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(name + " did not serve FHIR within " + timeout.toSeconds() + " s; see "
                + home.resolve("data/log/karaf.log"));
    }

    HttpResponse<String> send(String method, String path, String user, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/fhir+json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** STOW-RS of {@code files} in one multipart request as a clinician, answered in JSON. */
    HttpResponse<String> stow(List<byte[]> files) throws IOException, InterruptedException {
        String boundary = "stow-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] file : files) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(file);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/dicomweb/studies"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("clinician:clinician".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs a console command over SSH as admin with OpenSSH's client, the password from an askpass script (the
     * distribution's own bin/client closes an exec session of this shell before the command's output); returns its
     * output.
     */
    String console(String command) throws IOException, InterruptedException {
        return run(home, Duration.ofSeconds(60), ssh("admin", command));
    }

    /** Runs a console command over SSH as {@code user} (whose password is its name): exit status and output. */
    Outcome console(String user, String command) throws IOException, InterruptedException {
        return outcome(home, Duration.ofMinutes(10), ssh(user, command));
    }

    private ProcessBuilder ssh(String user, String command) throws IOException {
        Path askpass = home.resolve(user + "-askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\necho " + user + "\n");
        askpass.toFile().setExecutable(true);
        ProcessBuilder ssh = new ProcessBuilder("ssh", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "LogLevel=ERROR", "-p", String.valueOf(sshPort), user + "@127.0.0.1", command);
        ssh.environment().put("SSH_ASKPASS", askpass.toString());
        ssh.environment().put("SSH_ASKPASS_REQUIRE", "force");
        ssh.environment().put("DISPLAY", "none");
        return ssh;
    }

    /** Runs {@code bin/panacea-restore} of this (stopped) node with {@code arguments}: exit status and output. */
    Outcome restore(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/panacea-restore").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The database comes from the node's configuration, as for start().
        builder.environment().keySet().removeIf(key -> key.startsWith("PANACEA_") || key.startsWith("PG"));
        return outcome(home, Duration.ofMinutes(10), builder);
    }

    /** What a command printed (standard output and error together) and its exit status. */
    record Outcome(int exit, String output) {
    }

    /** Whether OpenSSH's client is on the path. */
    static boolean sshClientPresent() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, "ssh")));
    }

    /** kill -9 of the node's JVM (and of the script that started it): no shutdown hook, no final checkpoint. */
    void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(handle -> handle.onExit().join());
    }

    /** Stops the node through Karaf's own stop, killing it when that does not end it within a minute. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            run(home, Duration.ofSeconds(30), home.resolve("bin/stop").toString());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (IOException | InterruptedException | AssertionError e) {
            kill();
        }
    }

    /** Copies the node's logs next to the test's reports, for a failure to be read. */
    void keepLogs(Path folder) {
        try {
            Path target = Files.createDirectories(folder.resolve(name));
            Path log = home.resolve("data/log");
            if (Files.isDirectory(log)) {
                try (Stream<Path> files = Files.list(log)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, target.resolve(file.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> files = Files.list(home)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("console-")).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path directory, Duration timeout, String... command)
            throws IOException, InterruptedException {
        return run(directory, timeout, new ProcessBuilder(command));
    }

    private static String run(Path directory, Duration timeout, ProcessBuilder builder)
            throws IOException, InterruptedException {
        Outcome outcome = outcome(directory, timeout, builder);
        if (outcome.exit() != 0) {
            throw new AssertionError(String.join(" ", builder.command()) + " exited with " + outcome.exit() + ": "
                    + outcome.output());
        }
        return outcome.output();
    }

    private static Outcome outcome(Path directory, Duration timeout, ProcessBuilder builder)
            throws IOException, InterruptedException {
        List<String> command = builder.command();
        Process started = builder.directory(directory.toFile()).redirectErrorStream(true).start();
        started.getOutputStream().close();
        byte[] output = started.getInputStream().readAllBytes();
        if (!started.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            started.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s");
        }
        return new Outcome(started.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void replace(Path file, String regex, String replacement) throws IOException {
        Pattern pattern = Pattern.compile(regex);
        List<String> lines = Files.readAllLines(file);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).matches()) {
                lines.set(i, replacement);
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("No line matching " + regex + " in " + file);
        }
        Files.write(file, lines);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The test's own database in the server: JDBC URL without credentials, and the credentials. */
    record Database(String url, String user, String password) {
    }

    /**
     * A database of the test's own, named {@code prefix} and a random suffix, in the server CI started, so nothing of
     * other tests' tables is in the way. {@code server} is {@code jdbc:postgresql://host:port/db?user=...&password=...}:
     * the nodes get host and port, and the credentials apart.
     */
    static Database freshDatabase(String server, String prefix) throws java.sql.SQLException {
        String name = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(server);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        URI uri = URI.create(server.substring("jdbc:".length()));
        String user = "";
        String password = "";
        for (String parameter : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].equals("user")) {
                user = pair[1];
            } else if (pair[0].equals("password")) {
                password = pair[1];
            }
        }
        return new Database("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/" + name, user, password);
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Collections.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

}

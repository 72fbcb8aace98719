package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built distribution, as the e2e module runs it: an unpacked copy on free ports (HTTP, ssh, JMX), started with
 * {@code bin/start}, ready when FHIR and DICOMweb answer an authenticated request, stopped with {@code bin/stop}.
 * The demo cohort is not loaded (it would load in the background during the measurements). On PostgreSQL when a
 * JDBC URL is given: through the distribution's {@code PANACEA_DB_*} environment variables when its data source
 * configurations read them, else by rewriting those configurations in the copy.
 */
final class PanaceaServer implements Server {

    static final String USER = "clinician";
    private static final List<String> DATA_SOURCES = List.of("records", "audit", "security");

    private final Path home;
    private final int httpPort;
    private final int sshPort;
    private final String database;
    /** What {@code bin/start} was given (the database, a passphrase): a restart after a kill gets the same. */
    private final Map<String, String> startEnvironment;

    private PanaceaServer(Path home, int httpPort, int sshPort, String database,
            Map<String, String> startEnvironment) {
        this.home = home;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
        this.database = database;
        this.startEnvironment = startEnvironment;
    }

    static PanaceaServer start(Path home, String postgresUrl, Duration startLimit) {
        return start(home, postgresUrl, startLimit, Map.of());
    }

    /**
     * Starts the copy in {@code home}; {@code environment} is added to its start script's (a node's passphrase).
     */
    static PanaceaServer start(Path home, String postgresUrl, Duration startLimit, Map<String, String> environment) {
        if (!Files.isExecutable(home.resolve("bin/start"))) {
            throw new IllegalStateException("no unpacked distribution in " + home + " (run with -Pload)");
        }
        int http = Server.freePort();
        edit(home.resolve("etc/org.ops4j.pax.web.cfg"), "org\\.osgi\\.service\\.http\\.port",
                "org.osgi.service.http.port = " + http);
        int ssh = Server.freePort();
        edit(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", "sshPort = " + ssh);
        edit(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort",
                "rmiRegistryPort = " + Server.freePort());
        edit(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort",
                "rmiServerPort = " + Server.freePort());
        edit(home.resolve("etc/org.panacea.records.demo.cfg"), "load\\.on\\.first\\.start",
                "load.on.first.start = false");
        // The load reads the charts it writes as the demo clinician: a department rule gives it every patient.
        edit(home.resolve("etc/org.panacea.records.care.cfg"), "departments", "departments = *=clinician+nurse");

        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/start").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("start.out").toFile());
        String database = "Derby (embedded)";
        Map<String, String> given = new LinkedHashMap<>();
        if (postgresUrl != null && !postgresUrl.isBlank()) {
            database = usePostgres(home, postgresUrl, given);
        }
        given.putAll(environment);
        start.environment().putAll(given);
        run(start);

        PanaceaServer server = new PanaceaServer(home, http, ssh, database, Map.copyOf(given));
        if (!server.awaitReady(startLimit)) {
            server.close();
            throw new IllegalStateException("Panacea did not answer FHIR and DICOMweb within " + startLimit.toSeconds()
                    + " s; the end of data/log/karaf.log:\n" + Server.tail(home.resolve("data/log/karaf.log"), 30));
        }
        return server;
    }

    /** Whether FHIR and DICOMweb answer an authenticated request within {@code limit}. */
    boolean awaitReady(Duration limit) {
        Http client = new Http(USER, USER);
        String base = "http://127.0.0.1:" + httpPort;
        return Server.await(limit, () ->
                client.get(base + "/fhir/metadata", null).status() == 200
                && client.get(base + "/fhir/Patient?identifier=" + Fixtures.IDENTIFIER_SYSTEM + "%7Cready",
                        null).status() == 200
                && client.get(base + "/dicomweb/studies?PatientID=ready", null).status() == 200);
    }

    /** The Karaf console's SSH port of this copy. */
    int sshPort() {
        return sshPort;
    }

    Path home() {
        return home;
    }

    /**
     * {@code kill -9} of the Karaf JVM: no shutdown hook, nothing flushed or closed. Returns once it is gone.
     */
    void kill() {
        karafProcess().ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** {@code bin/start} again (after {@link #kill()}), with the same environment; true once it serves. */
    boolean restart(Duration limit) {
        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/start").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("start.out").toFile()));
        start.environment().putAll(startEnvironment);
        run(start);
        return awaitReady(limit);
    }

    @Override
    public Target target() {
        String base = "http://127.0.0.1:" + httpPort;
        return new Target("panacea", base + "/fhir", base + "/dicomweb", USER, USER);
    }

    @Override
    public String description() {
        return "Panacea on " + database;
    }

    @Override
    public void close() {
        run(new ProcessBuilder(home.resolve("bin/stop").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("start.out").toFile())));
        if (!Server.await(Duration.ofSeconds(60), () -> !Server.listening(httpPort))) {
            // Still serving a minute after bin/stop: end the one JVM that runs from this copy.
            karafProcess().ifPresent(ProcessHandle::destroyForcibly);
        }
        // The JVM may linger after closing its port while it writes the databases: the next server waits for it.
        karafProcess().ifPresent(p -> p.onExit().completeOnTimeout(p, 60, TimeUnit.SECONDS).join());
    }

    @Override
    public Optional<ProcessHandle> process() {
        return karafProcess();
    }

    /** The Karaf JVM started from this copy (its command line names the copy's folder). */
    private Optional<ProcessHandle> karafProcess() {
        String folder = home.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> line.contains("org.apache.karaf.main.Main") && line.contains(folder + "/"))
                .orElse(false))
                .findFirst();
    }

    /**
     * Points the three data sources at the PostgreSQL database of a JDBC URL as {@code .ci/postgres start} prints it
     * ({@code jdbc:postgresql://host:port/db?user=...&password=...}); returns the database's description.
     */
    static String usePostgres(Path home, String jdbcUrl, Map<String, String> environment) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String url = jdbcUrl;
        int query = jdbcUrl.indexOf('?');
        if (query >= 0) {
            url = jdbcUrl.substring(0, query);
            for (String pair : jdbcUrl.substring(query + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        String user = parameters.remove("user");
        String password = parameters.remove("password");
        if (!parameters.isEmpty()) {
            StringBuilder rest = new StringBuilder();
            parameters.forEach((k, v) -> rest.append(rest.length() == 0 ? '?' : '&').append(k).append('=').append(v));
            url += rest;
        }
        Path records = home.resolve("etc/org.ops4j.datasource-panacea-records.cfg");
        if (read(records).contains("PANACEA_DB_URL")) {
            // The distribution reads its database from the environment: nothing in etc/ to change.
            environment.put("PANACEA_DB_DRIVER", "org.postgresql.Driver");
            environment.put("PANACEA_DB_URL", url);
            environment.put("PANACEA_DB_USER", user == null ? "" : user);
            environment.put("PANACEA_DB_PASSWORD", password == null ? "" : password);
        } else {
            // An older distribution: its configurations name the database themselves.
            for (String name : DATA_SOURCES) {
                Path cfg = home.resolve("etc/org.ops4j.datasource-panacea-" + name + ".cfg");
                StringBuilder text = new StringBuilder();
                text.append("osgi.jdbc.driver.name = PostgreSQL JDBC Driver\n");
                text.append("url = ").append(url).append('\n');
                if (user != null) {
                    text.append("user = ").append(user).append('\n');
                }
                if (password != null) {
                    text.append("password = ").append(password).append('\n');
                }
                text.append("dataSourceName = panacea-").append(name).append('\n');
                write(cfg, text.toString());
            }
        }
        URI where = URI.create(url.substring("jdbc:".length()));
        return "PostgreSQL (" + where.getHost() + ":" + where.getPort() + where.getPath() + ")";
    }

    /** Replaces the line that sets {@code keyPattern} in a configuration file, or adds it. */
    static void edit(Path cfg, String keyPattern, String line) {
        String text = read(cfg);
        Matcher matcher = Pattern.compile("(?m)^\\s*" + keyPattern + "\\s*=.*$").matcher(text);
        text = matcher.find() ? matcher.replaceFirst(Matcher.quoteReplacement(line)) : text + "\n" + line + "\n";
        write(cfg, text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(ProcessBuilder process) {
        try {
            int status = process.start().waitFor();
            if (status != 0) {
                throw new IllegalStateException(process.command() + " exited with " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
